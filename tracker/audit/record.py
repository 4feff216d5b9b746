"""Writing the audit log: one event per change, added to the change's own transaction."""

from typing import Any

from tracker import clock
from tracker.audit.kinds import ALWAYS_CLINICAL, EventKind
from tracker.audit.models import Event, EventPersonalData
from tracker.extensions import db
from tracker.staff.models import User


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every value that differs."""
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


def record_event(
    kind: EventKind,
    actor: User | None,
    *,
    case_id: int | None = None,
    from_stage: str | None = None,
    to_stage: str | None = None,
    changes: dict[str, list[Any]] | None = None,
    personal_changes: dict[str, list[Any]] | None = None,
    detail: str | None = None,
    personal_detail: str | None = None,
    clinical: bool = False,
) -> Event:
    """Add an event to the session; it is committed with the change it describes.

    `detail` is the system's own description. `personal_changes` and `personal_detail` hold
    what identifies a patient or was typed about them (a reason, a closing note): they are kept
    beside the event, so retention can remove them without touching the event itself.
    `clinical` marks an event about clinical material (a clinical note, document or letter);
    the kinds that are clinical by name are marked whatever the caller says.
    """
    event = Event(
        kind=EventKind(kind),
        actor_id=actor.id if actor else None,
        case_id=case_id,
        from_stage=from_stage,
        to_stage=to_stage,
        changes=changes or {},
        detail=detail,
        clinical=clinical or kind in ALWAYS_CLINICAL,
        occurred_at=clock.now_utc(),
    )
    if personal_changes or personal_detail:
        event.personal = EventPersonalData(changes=personal_changes or {}, detail=personal_detail)
    db.session.add(event)
    return event
