"""Reading the guidance in force and keeping every change to it, with its audit event."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db
from tracker.guidance.defaults import DEFAULT_TEXTS
from tracker.guidance.models import GuidanceVersion
from tracker.guidance.topics import TOPICS
from tracker.staff.models import User


@dataclass(frozen=True)
class CurrentText:
    """The text shown for a topic now, and whether it is the shipped one."""

    topic: str
    body: str
    is_default: bool
    changed_at: datetime | None = None
    changed_by: str | None = None


def _latest(topics: list[str]) -> dict[str, GuidanceVersion]:
    newest = (
        select(func.max(GuidanceVersion.id))
        .where(GuidanceVersion.topic.in_(topics))
        .group_by(GuidanceVersion.topic)
    )
    rows = db.session.scalars(select(GuidanceVersion).where(GuidanceVersion.id.in_(newest)))
    return {row.topic: row for row in rows}


def current_texts(topics: list[str]) -> dict[str, CurrentText]:
    """The text in force for each topic: the latest saved version, or the shipped default."""
    latest = _latest(topics)
    found = {}
    for topic in topics:
        version = latest.get(topic)
        if version is None:
            found[topic] = CurrentText(topic, DEFAULT_TEXTS[topic], True)
        else:
            found[topic] = CurrentText(
                topic,
                DEFAULT_TEXTS[topic] if version.restored_default else version.body,
                version.restored_default,
                version.created_at,
                version.created_by.full_name,
            )
    return found


def current_text(topic: str) -> CurrentText:
    return current_texts([topic])[topic]


def history(topic: str) -> list[GuidanceVersion]:
    """Every saved version of a topic, newest first."""
    return list(
        db.session.scalars(
            select(GuidanceVersion)
            .where(GuidanceVersion.topic == topic)
            .order_by(GuidanceVersion.id.desc())
        )
    )


def _normalise(body: str) -> str:
    return body.replace("\r\n", "\n").strip() + "\n"


def save_text(topic: str, body: str, actor: User) -> GuidanceVersion | None:
    """Keep a new version of a topic's text; None when it is the same as the text in force."""
    before = current_text(topic)
    body = _normalise(body)
    if body == _normalise(before.body):
        return None
    version = GuidanceVersion(
        topic=topic, body=body, restored_default=False, created_by_id=actor.id
    )
    db.session.add(version)
    record_event(
        EventKind.GUIDANCE_EDITED,
        actor,
        changes={f"guidance.{topic}": [before.body, body]},
        detail=f"Guidance changed: {TOPICS[topic].title}",
    )
    return version


def restore_default(topic: str, actor: User) -> GuidanceVersion | None:
    """Bring back the shipped text, kept as a version of its own; None when it is already in force."""
    before = current_text(topic)
    if before.is_default:
        return None
    version = GuidanceVersion(
        topic=topic, body=DEFAULT_TEXTS[topic], restored_default=True, created_by_id=actor.id
    )
    db.session.add(version)
    record_event(
        EventKind.GUIDANCE_RESTORED,
        actor,
        changes={f"guidance.{topic}": [before.body, DEFAULT_TEXTS[topic]]},
        detail=f"Shipped guidance restored: {TOPICS[topic].title}",
    )
    return version
