"""Reading the audit log: the "viewed" events, the practice manager's filters and labels."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select

from tracker import clock
from tracker.audit.models import Event
from tracker.cases.models import Case
from tracker.cases.services import record_event
from tracker.extensions import db
from tracker.staff.models import User

VIEW_INTERVAL = timedelta(minutes=10)

KIND_LABELS = {
    "viewed": "Case viewed",
    "signed_in": "Signed in",
    "signed_out": "Signed out",
    "sign_in_failed": "Sign-in failed",
    "account_locked": "Account locked",
    "password_changed": "Password changed",
    "password_reset": "Password reset",
    "account_created": "Account created",
    "account_changed": "Account changed",
    "account_deactivated": "Account deactivated",
    "account_reactivated": "Account reactivated",
    "two_factor_enrolled": "Two-factor sign-in set up",
    "two_factor_reset": "Two-factor sign-in reset",
    "recovery_code_used": "Recovery code used",
    "settings_changed": "Settings changed",
    "guidance_edited": "Guidance changed",
    "guidance_restored": "Shipped guidance restored",
    "audit_exported": "Audit log exported",
    "subject_access_export": "Subject access export",
    "identifiers_removed": "Identifiers removed (retention)",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind) or kind.replace("_", " ").capitalize()


def record_view(case: Case, viewer: User) -> bool:
    """Record that this person opened the case, at most once per person per case per 10
    minutes; True when an event was added."""
    since = clock.now_utc() - VIEW_INTERVAL
    recent = db.session.scalar(
        select(Event.id)
        .where(
            Event.case_id == case.id,
            Event.actor_id == viewer.id,
            Event.kind == "viewed",
            Event.occurred_at > since,
        )
        .limit(1)
    )
    if recent is not None:
        return False
    record_event("viewed", viewer, case)
    return True


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
    return sorted(set(db.session.scalars(select(Event.kind).distinct())) | set(KIND_LABELS))


def references_for(case_ids: set[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    rows = db.session.execute(select(Case.id, Case.reference).where(Case.id.in_(case_ids)))
    return dict(rows.all())
