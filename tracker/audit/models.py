"""The events table. Rows are only ever inserted: nothing in the app updates or deletes one.

What an event says about the patient (identifiers, free text staff typed) is kept beside it in
event_personal_data, so that retention can remove it without touching the event itself.

An event about clinical material (a clinical note, a clinical document, a letter with the
reviewer's clinical detail: added, removed or downloaded) is marked clinical when it is written,
and what was typed for it is shown only to those `sees_clinical` allows.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, event, false
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tracker import clock
from tracker.extensions import db
from tracker.practices.scope import PracticeOwned, practice_of_new_row_if_any
from tracker.staff.access import sees_clinical
from tracker.staff.models import User
from tracker.types import IDS_NEVER_REUSED, UTCDateTime


class Event(PracticeOwned, db.Model):
    """One thing that happened, to a case or to the system."""

    __tablename__ = "events"
    __table_args__ = (
        # A case's events in order; "New for you" reads the recent events of the person's
        # cases and checks each one's practice, who did it and what it was, from here alone.
        Index(
            "ix_events_case_id_occurred_at",
            "case_id",
            "occurred_at",
            "practice_id",
            "actor_id",
            "kind",
        ),
        # "New for you" reads the newest events and checks each one's case: from this index
        # alone, without the events' rows.
        Index("ix_events_news", "practice_id", "occurred_at", "case_id", "actor_id", "kind"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The practice the event happened in; None for the install's own (a sign-in attempt before
    # any practice was chosen, on an install of several).
    practice_id: Mapped[int | None] = mapped_column(  # type: ignore[assignment]
        ForeignKey("practices.id"), default=practice_of_new_row_if_any
    )
    occurred_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=lambda: clock.now_utc(), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str | None] = mapped_column(String(20))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    detail: Mapped[str | None] = mapped_column(Text)
    # About a clinical note, document or letter: what was typed for it is clinical material.
    clinical: Mapped[bool] = mapped_column(default=False, server_default=false())

    actor: Mapped[User | None] = relationship(lazy="joined")
    personal: Mapped["EventPersonalData | None"] = relationship(lazy="joined")

    @property
    def all_changes(self) -> dict[str, Any]:
        """Changed fields with old and new values, the patient's details included while held."""
        merged = dict(self.changes or {})
        if self.personal is not None:
            merged.update(self.personal.changes or {})
        return merged

    @property
    def full_detail(self) -> str | None:
        """The event's note: a reason or comment someone typed, or the system's own words."""
        if self.personal is not None and self.personal.detail:
            return self.personal.detail
        return self.detail

    def detail_seen_by(self, viewer: User) -> str | None:
        """The event's note as this person may read it: of a clinical event, someone who may
        not see clinical material gets only the system's own words (never a description, a
        file name, a reason or a note someone typed)."""
        return self.detail_for(sees_clinical(viewer))

    def detail_for(self, clinical_shown: bool) -> str | None:
        """The event's note for a reader who may (or may not) see clinical material."""
        if self.clinical and not clinical_shown:
            return self.detail
        return self.full_detail


class EventPersonalData(PracticeOwned, db.Model):
    """The patient's details an event recorded; removed when the case passes its retention period."""

    __tablename__ = "event_personal_data"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), primary_key=True)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    detail: Mapped[str | None] = mapped_column(Text)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove an event."""


@event.listens_for(Session, "before_flush")
def _refuse_event_changes(session: Session, flush_context, instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, Event):
            raise AppendOnlyError("Events are append-only: they are never changed or deleted")
