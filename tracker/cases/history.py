"""A case's history in the audit log: what changed (old → new) and who looked."""

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, exists, func, insert, select

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.models import Event
from tracker.audit.record import record_event
from tracker.cases.case_fields import PERSONAL_FIELDS, TRACKED_FIELDS
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.practices.scope import made_once
from tracker.staff.models import User, shown_by_name
from tracker.types import codes_in_sql

VIEW_INTERVAL = timedelta(minutes=10)
# Looking at a case or its documents changes nothing on it: the audit log keeps these.
AUDIT_LOG_ONLY = (EventKind.VIEWED, EventKind.DOCUMENT_DOWNLOADED, EventKind.LETTER_DOWNLOADED)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(case: Case) -> dict[str, Any]:
    """The tracked fields as JSON-ready values (people by name)."""
    values = {}
    for name, key in TRACKED_FIELDS.items():
        value = getattr(case, name)
        if key != name:  # a person, recorded by name
            person = db.session.get(User, value) if value else None
            values[key] = person.name_here if person else None
        else:
            values[key] = _plain(value)
    return values


def record_case_event(
    kind: EventKind,
    actor: User | None,
    case: Case,
    *,
    from_stage: str | None = None,
    to_stage: str | None = None,
    changes: dict[str, list[Any]] | None = None,
    detail: str | None = None,
    personal_detail: str | None = None,
    clinical: bool = False,
) -> Event:
    """An event on this case; the patient's details among the changes are kept beside it.
    `clinical` marks an event about a clinical note, document or letter."""
    changes = changes or {}
    return record_event(
        kind,
        actor,
        case_id=case.id,
        from_stage=from_stage,
        to_stage=to_stage,
        changes={k: v for k, v in changes.items() if k not in PERSONAL_FIELDS},
        personal_changes={k: v for k, v in changes.items() if k in PERSONAL_FIELDS},
        detail=detail,
        personal_detail=personal_detail,
        clinical=clinical,
    )


def record_view(case: Case, viewer: User, *, viewed_lately: bool) -> bool:
    """Record that this person opened the case, at most once per person per case per 10
    minutes: not when `viewed_lately` (`VIEWED_LATELY`, read with the case). True when an
    event was added."""
    if viewed_lately:
        return False
    db.session.execute(
        VIEW, {"actor_id": viewer.id, "case_id": case.id, "occurred_at": clock.now_utc()}
    )
    return True


# A view's event, written without the ORM's unit of work: nothing else in the request is
# written, and the event is not news (`news.NOT_NEWS`), so none of the flush's own work applies.
# Its practice is the one worked in, as for every new row (`PracticeOwned`).
VIEW = insert(Event.__table__).values(
    kind=EventKind.VIEWED.value,
    actor_id=bindparam("actor_id"),
    case_id=bindparam("case_id"),
    occurred_at=bindparam("occurred_at"),
)


# Whether the person opening the case has a view of it recorded since `since` (10 minutes
# ago, `view_window_start`): a column of the case page's statement, the viewer and the time
# bound. The index on a case's events by time answers it without reading a row.
VIEWED_LATELY = exists().where(
    Event.case_id == Case.id,
    Event.actor_id == bindparam("viewer_id"),
    Event.kind == EventKind.VIEWED,
    Event.occurred_at > bindparam("since"),
)


def view_window_start() -> datetime:
    return clock.now_utc() - VIEW_INTERVAL


def latest_event_id(case: Case) -> int:
    """The newest event on the case (0 for none): a form opened now is opened after it."""
    return db.session.scalar(select(func.max(Event.id)).where(Event.case_id == case.id)) or 0


def events_since(case: Case, seen: int | None) -> list[Event]:
    """What was done to the case after the event `seen`, oldest first (none when not known)."""
    if seen is None:
        return []
    query = (
        select(Event)
        .where(
            Event.case_id == case.id,
            Event.id > seen,
            Event.kind.not_in(codes_in_sql(AUDIT_LOG_ONLY)),
        )
        .order_by(Event.id)
    )
    return list(db.session.scalars(query))


TIMELINE = made_once(
    select(Event)
    .where(Event.case_id == bindparam("case_id"), Event.kind.not_in(codes_in_sql(AUDIT_LOG_ONLY)))
    .order_by(Event.occurred_at.desc(), Event.id.desc())
    .options(*shown_by_name(Event.actor, where_they_work=True))
)


def timeline_for(case: Case) -> list[Event]:
    """The case's events, newest first; views and downloads are in the audit log, not the
    timeline."""
    return list(db.session.scalars(TIMELINE, {"case_id": case.id}))


def agreed_response_dates(timeline: list[Event]) -> list[date]:
    """Every date agreed for a complaint's final response, first to last, from its history
    (newest first, as the timeline is)."""
    found = []
    for event in reversed(timeline):
        change = (event.changes or {}).get("response_due_on")
        if change and change[1]:
            found.append(date.fromisoformat(change[1]))
    return found
