"""Reading the letter template in force and keeping every change to it, with its audit event."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.cases.letters.defaults import DEFAULT_LETTERS
from tracker.cases.letters.kinds import LetterKind
from tracker.cases.letters.models import LetterTemplateVersion
from tracker.extensions import db
from tracker.staff.models import User


@dataclass(frozen=True)
class CurrentTemplate:
    """The text used for a letter now, and whether it is the shipped one."""

    kind: str
    body: str
    is_default: bool
    changed_at: datetime | None = None
    changed_by: str | None = None


def current_templates() -> dict[str, CurrentTemplate]:
    """The text in force for every letter: the latest saved version, or the shipped text."""
    newest = select(func.max(LetterTemplateVersion.id)).group_by(LetterTemplateVersion.kind)
    latest = {
        row.kind: row
        for row in db.session.scalars(
            select(LetterTemplateVersion).where(LetterTemplateVersion.id.in_(newest))
        )
    }
    found = {}
    for kind in LetterKind:
        version = latest.get(kind)
        if version is None:
            found[kind.value] = CurrentTemplate(kind.value, DEFAULT_LETTERS[kind], True)
        else:
            found[kind.value] = CurrentTemplate(
                kind.value,
                DEFAULT_LETTERS[kind] if version.restored_default else version.body,
                version.restored_default,
                version.created_at,
                version.created_by.full_name,
            )
    return found


def current_template(kind: str) -> CurrentTemplate:
    return current_templates()[kind]


def history(kind: str) -> list[LetterTemplateVersion]:
    """Every saved version of a letter, newest first."""
    return list(
        db.session.scalars(
            select(LetterTemplateVersion)
            .where(LetterTemplateVersion.kind == kind)
            .order_by(LetterTemplateVersion.id.desc())
        )
    )


def _normalise(body: str) -> str:
    return body.replace("\r\n", "\n").strip() + "\n"


def save_template(kind: str, body: str, actor: User) -> LetterTemplateVersion | None:
    """Keep a new version of a letter's text; None when it is the same as the text in force."""
    before = current_template(kind)
    body = _normalise(body)
    if body == _normalise(before.body):
        return None
    version = LetterTemplateVersion(
        kind=kind, body=body, restored_default=False, created_by_id=actor.id
    )
    db.session.add(version)
    record_event(
        EventKind.LETTER_TEMPLATE_EDITED,
        actor,
        changes={f"letter.{kind}": [before.body, body]},
        detail=f"Letter changed: {LetterKind(kind).label}",
    )
    return version


def restore_default(kind: str, actor: User) -> LetterTemplateVersion | None:
    """Bring back the shipped text, kept as a version of its own; None when already in force."""
    before = current_template(kind)
    if before.is_default:
        return None
    shipped = DEFAULT_LETTERS[LetterKind(kind)]
    version = LetterTemplateVersion(
        kind=kind, body=shipped, restored_default=True, created_by_id=actor.id
    )
    db.session.add(version)
    record_event(
        EventKind.LETTER_TEMPLATE_RESTORED,
        actor,
        changes={f"letter.{kind}": [before.body, shipped]},
        detail=f"Shipped letter restored: {LetterKind(kind).label}",
    )
    return version
