"""Improvement actions: what a practice decides to change after a case (a complaint upheld, or a
second opinion that found something missed), each with an owner, a due date, progress notes and
the evidence it was done. Owners are reminded when one falls due and when it is overdue.

Who may do what, in one place: GPs and the practice manager add actions; the owner and the
practice manager record progress and completion; everyone in the practice sees the list, and an
action marked clinical shows its words only to those who see clinical material.
"""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Text, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import clock
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.practices.scope import PracticeOwned
from tracker.staff.access import sees_clinical
from tracker.staff.models import Role, User
from tracker.types import UTCDateTime

HIDDEN = "Clinical detail: for GPs and the practice manager"


class ImprovementAction(PracticeOwned, db.Model):
    """One thing the practice will change, raised from a case."""

    __tablename__ = "improvement_actions"
    __table_args__ = (
        Index("ix_improvement_actions_practice_id_due_on", "practice_id", "done_at", "due_on"),
        Index("ix_improvement_actions_case_id", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    description: Mapped[str] = mapped_column(Text)
    clinical: Mapped[bool] = mapped_column(default=False, server_default=false())
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    evidence: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(lazy="joined")
    owner: Mapped[User] = relationship(foreign_keys=[owner_id], lazy="joined")

    def status(self, today: date) -> str:
        if self.done_at is not None:
            return "done"
        if self.due_on < today:
            return "overdue"
        if self.due_on == today:
            return "due today"
        return "open"


class ImprovementNote(PracticeOwned, db.Model):
    """Progress on an action, in the words of whoever recorded it."""

    __tablename__ = "improvement_notes"
    __table_args__ = (Index("ix_improvement_notes_action_id", "action_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("improvement_actions.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    text: Mapped[str] = mapped_column(Text)

    author: Mapped[User] = relationship(lazy="joined")


# --- who may do what -------------------------------------------------------------------------


def may_add(user: User) -> bool:
    return user.role in (Role.GP, Role.PRACTICE_MANAGER)


def may_update(user: User, action: ImprovementAction) -> bool:
    """The owner and the practice manager record progress and completion."""
    return user.role == Role.PRACTICE_MANAGER or (
        user.id == action.owner_id and user.role in (Role.RECEPTION, Role.GP)
    )


def words_for(user: User, action: ImprovementAction, text: str | None) -> str | None:
    """What this person may read of an action's words: a clinical action's only for those who
    see clinical material."""
    if action.clinical and not sees_clinical(user):
        return HIDDEN
    return text


# --- reading ------------------------------------------------------------------------------


SHOWN = ("open", "overdue", "done", "all")


def listed(shown: str, owner_id: int | None, today: date) -> list[ImprovementAction]:
    """The practice's actions: open (not done, soonest due first), overdue, done (latest first)
    or all; with `owner_id`, that person's only."""
    query = select(ImprovementAction)
    if owner_id is not None:
        query = query.where(ImprovementAction.owner_id == owner_id)
    if shown == "open":
        query = query.where(ImprovementAction.done_at.is_(None))
    elif shown == "overdue":
        query = query.where(ImprovementAction.done_at.is_(None), ImprovementAction.due_on < today)
    elif shown == "done":
        query = query.where(ImprovementAction.done_at.is_not(None))
    if shown == "done":
        query = query.order_by(ImprovementAction.done_at.desc(), ImprovementAction.id.desc())
    else:
        query = query.order_by(
            ImprovementAction.done_at.is_not(None), ImprovementAction.due_on, ImprovementAction.id
        )
    return list(db.session.scalars(query.limit(500)))


def notes_of(action_id: int) -> list[ImprovementNote]:
    return list(
        db.session.scalars(
            select(ImprovementNote)
            .where(ImprovementNote.action_id == action_id)
            .order_by(ImprovementNote.created_at, ImprovementNote.id)
        )
    )


def due_by(day: date) -> list[ImprovementAction]:
    """Actions not done and due on or before this day (the reminders)."""
    return list(
        db.session.scalars(
            select(ImprovementAction)
            .where(ImprovementAction.done_at.is_(None), ImprovementAction.due_on <= day)
            .order_by(ImprovementAction.due_on, ImprovementAction.id)
        )
    )
