"""Each case's stored working days to its targets, counted again for the whole practice."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, select, update

from tracker.cases.models import Case, count_working_days
from tracker.extensions import db
from tracker.workdays import WorkingCalendar


@dataclass
class _Dates:
    received_on: date
    first_assigned_at: datetime | None
    outcome_clock_from: datetime | None
    outcome_recorded_at: datetime | None
    working_days_to_assign: int | None = None
    working_days_to_outcome: int | None = None


def recount_working_days(region: str, batch: int = 2000) -> int:
    """Count every case's working days again with this region's bank holidays: after the
    practice changes its region, or when a newly announced bank holiday falls inside cases'
    durations. Reads and writes in batches; returns how many cases changed. The cases'
    versions are left alone: no one changed the case itself."""
    calendar = WorkingCalendar(region)
    table = Case.__table__
    change = (
        update(table)
        .where(table.c.id == bindparam("case_id"))
        .values(
            working_days_to_assign=bindparam("to_assign"),
            working_days_to_outcome=bindparam("to_outcome"),
        )
    )
    changed, last_id = 0, 0
    while True:
        rows = db.session.execute(
            select(
                table.c.id,
                table.c.received_on,
                table.c.first_assigned_at,
                table.c.outcome_clock_from,
                table.c.outcome_recorded_at,
                table.c.working_days_to_assign,
                table.c.working_days_to_outcome,
            )
            .where(table.c.id > last_id)
            .order_by(table.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return changed
        updates = []
        for case_id, *dates, to_assign, to_outcome in rows:
            counted = _Dates(*dates)
            count_working_days(counted, calendar)
            if (counted.working_days_to_assign, counted.working_days_to_outcome) != (
                to_assign,
                to_outcome,
            ):
                updates.append(
                    {
                        "case_id": case_id,
                        "to_assign": counted.working_days_to_assign,
                        "to_outcome": counted.working_days_to_outcome,
                    }
                )
        if updates:
            db.session.execute(change, updates)
            changed += len(updates)
        last_id = rows[-1][0]
