"""Each case's stored due dates and working days to its targets, counted again for the whole
practice when a newly announced bank holiday falls inside them."""

from types import SimpleNamespace

from sqlalchemy import bindparam, select, update

from tracker.cases.models import CLOCK_DATES as COUNTED
from tracker.cases.models import CLOCK_SOURCES, TARGETS, Case, keep_clock_dates
from tracker.extensions import db
from tracker.workdays import WorkingCalendar

# What keep_clock_dates counts from.
INPUTS = ("stage", *CLOCK_SOURCES, *TARGETS)


def recount_working_days(batch: int = 2000) -> int:
    """Count every case's due dates and working days again, each with the bank holidays of the
    region it was logged under (after upgrading the `holidays` package for a newly announced
    bank holiday). Reads and writes in batches; returns how many cases changed. The cases'
    versions are left alone: no one changed the case itself."""
    table = Case.__table__
    change = (
        update(table)
        .where(table.c.id == bindparam("case_id"))
        .values({name: bindparam(f"new_{name}") for name in COUNTED})
    )
    changed, last_id = 0, 0
    while True:
        rows = db.session.execute(
            select(
                table.c.id,
                table.c.bank_holiday_region,
                *(table.c[name] for name in INPUTS),
                *(table.c[name] for name in COUNTED),
            )
            .where(table.c.id > last_id)
            .order_by(table.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return changed
        updates = []
        for case_id, region, *dates in rows:
            inputs, stored = dates[: len(INPUTS)], tuple(dates[len(INPUTS) :])
            counted = SimpleNamespace(
                **dict(zip(INPUTS, inputs, strict=True)), **dict(zip(COUNTED, stored, strict=True))
            )
            keep_clock_dates(counted, WorkingCalendar(region))
            now = tuple(getattr(counted, name) for name in COUNTED)
            if now != stored:
                updates.append(
                    {
                        "case_id": case_id,
                        **{f"new_{n}": v for n, v in zip(COUNTED, now, strict=True)},
                    }
                )
        if updates:
            db.session.execute(change, updates)
            changed += len(updates)
        last_id = rows[-1][0]
