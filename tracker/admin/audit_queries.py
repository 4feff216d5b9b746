"""Reading the audit log: the practice manager's filters."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.models import Event
from tracker.cases.models import Case
from tracker.extensions import db


@dataclass
class AuditFilters:
    actor_id: int | None = None
    reference: str | None = None
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def apply(self, query: Select) -> Select:
        if self.actor_id is not None:
            query = query.where(Event.actor_id == self.actor_id)
        if self.reference:
            query = query.where(
                Event.case_id.in_(
                    select(Case.id).where(Case.reference == self.reference.strip().upper())
                )
            )
        if self.kind:
            query = query.where(Event.kind == self.kind)
        if self.date_from:
            query = query.where(Event.occurred_at >= _london_midnight(self.date_from))
        if self.date_to:
            query = query.where(
                Event.occurred_at < _london_midnight(self.date_to + timedelta(days=1))
            )
        return query


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.LONDON)


def filtered_events(filters: AuditFilters) -> Select:
    """Events matching the filters, newest first."""
    query = select(Event).order_by(Event.occurred_at.desc(), Event.id.desc())
    return filters.apply(query)


def kinds_in_use() -> list[str]:
    return sorted(set(db.session.scalars(select(Event.kind).distinct())) | set(EventKind))


def references_for(case_ids: set[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    rows = db.session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids)))
    return dict(rows.all())
