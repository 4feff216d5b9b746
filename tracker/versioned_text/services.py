"""Reading the text in force and keeping every change to it, with its audit event, for each
registration (the guidance topics, the letter templates)."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import func, select

from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db, kept_a_while
from tracker.practices.scope import readable_now
from tracker.staff.models import User, shown_by_name
from tracker.types import codes_in_sql
from tracker.versioned_text.models import TextVersion


@dataclass(frozen=True)
class CurrentText:
    """The text in force for one key now, and whether it is the shipped one."""

    key: str
    body: str
    is_default: bool
    changed_at: datetime | None = None
    changed_by: str | None = None


def _normalise(body: str) -> str:
    return body.replace("\r\n", "\n").strip() + "\n"


@dataclass(frozen=True)
class VersionedTexts:
    """One family of texts: the model keeping its versions, the shipped texts by key, and how
    its changes are written in the audit log ("guidance.intake": before and after)."""

    model: type[TextVersion]
    shipped: Mapping[str, str]
    label_of: Callable[[str], str]
    audit_key: str  # the prefix of each change's name in the audit log
    edited: EventKind
    restored: EventKind
    edited_detail: str  # "... {label}"
    restored_detail: str
    # Kept in each worker for SETTINGS_CHECKED_EVERY seconds, like the practice's settings:
    # for texts only shown (guidance), never for texts that go into a record (letters).
    kept_in_each_worker: bool = False

    @property
    def _kept_name(self) -> str:
        return f"tracker.texts.{self.model.__tablename__}"

    def _latest(self, keys: list[str]) -> dict[str, TextVersion]:
        model = self.model
        known = codes_in_sql(key for key in keys if key in self.shipped)
        newest = select(func.max(model.id)).where(model.key.in_(known)).group_by(model.key)
        return {
            row.key: row
            for row in db.session.scalars(
                select(model).where(model.id.in_(newest)).options(*shown_by_name(model.created_by))
            )
        }

    def current_texts(self, keys: Iterable[str] | None = None) -> dict[str, CurrentText]:
        """The text in force for each key (every key when none are named): the latest saved
        version, or the shipped text. A family kept a while is read from the database at
        most every SETTINGS_CHECKED_EVERY seconds in each worker; a save clears what the
        saving worker keeps, so whoever saved sees the change at once."""
        wanted = tuple(str(key) for key in (self.shipped if keys is None else keys))
        if not self.kept_in_each_worker or not has_app_context():
            return self._read(wanted)
        return kept_a_while(
            self._kept_name,
            (readable_now(), wanted),
            current_app.config["SETTINGS_CHECKED_EVERY"],
            lambda: self._read(wanted),
        )

    def _read(self, wanted: tuple[str, ...]) -> dict[str, CurrentText]:
        latest = self._latest(list(wanted))
        found = {}
        for key in wanted:
            version = latest.get(key)
            if version is None:
                found[key] = CurrentText(key, self.shipped[key], True)
            else:
                found[key] = CurrentText(
                    key,
                    self.shipped[key] if version.restored_default else version.body,
                    version.restored_default,
                    version.created_at,
                    version.created_by.full_name,
                )
        return found

    def current(self, key: str) -> CurrentText:
        return self.current_texts([key])[str(key)]

    def _in_force(self, key: str) -> CurrentText:
        """The text in force now, read from the database whatever this worker keeps."""
        return self._read((str(key),))[str(key)]

    def history(self, key: str) -> list[TextVersion]:
        """Every saved version of a text, newest first."""
        model = self.model
        return list(
            db.session.scalars(select(model).where(model.key == key).order_by(model.id.desc()))
        )

    def save(self, key: str, body: str, actor: User) -> TextVersion | None:
        """Keep a new version of a text; None when it is the same as the text in force."""
        before = self._in_force(key)
        body = _normalise(body)
        if body == _normalise(before.body):
            return None
        return self._keep(key, before, body, False, actor)

    def restore_default(self, key: str, actor: User) -> TextVersion | None:
        """Bring back the shipped text, kept as a version of its own; None when it is already
        in force."""
        before = self._in_force(key)
        if before.is_default:
            return None
        return self._keep(key, before, self.shipped[key], True, actor)

    def _keep(
        self, key: str, before: CurrentText, body: str, restored: bool, actor: User
    ) -> TextVersion:
        version = self.model(key=key, body=body, restored_default=restored, created_by_id=actor.id)
        db.session.add(version)
        if has_app_context():
            current_app.extensions.pop(self._kept_name, None)
        record_event(
            self.restored if restored else self.edited,
            actor,
            changes={f"{self.audit_key}.{key}": [before.body, body]},
            detail=(self.restored_detail if restored else self.edited_detail).format(
                label=self.label_of(key)
            ),
        )
        return version
