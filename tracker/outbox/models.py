"""The outbox of email waiting to go, sent or given up on, and each person's choices of how
they hear about each kind of notification."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker import clock
from tracker.extensions import db
from tracker.practices.scope import PracticeOwned
from tracker.types import IDS_NEVER_REUSED, UTCDateTime
from tracker.vocabulary import Labelled


class Notice(Labelled):
    """Every kind of email the tracker sends, with the words the settings pages use."""

    ASSIGNED = "assigned", "A case is assigned or handed to you"
    REASSIGNED_AWAY = "reassigned_away", "A case of yours is given to someone else"
    REOPENED = "reopened", "A case is reopened and given to you"
    URGENT = "urgent", "An urgent clinical concern is logged"
    ACKNOWLEDGEMENT_DUE = "acknowledgement_due", "A formal complaint's acknowledgement is due"
    OUTCOME_DUE = "outcome_due", "An outcome is due"
    PALS_NO_RESPONSE = "pals_no_response", "PALS has not responded to a referral"
    RESPONSE_DUE = "response_due", "A complaint's final response is due"
    ACTION_DUE = "action_due", "An improvement action you own is due"
    DAILY_SUMMARY = "daily_summary", "The daily summary"
    TEST = "test", "Test message"


# What the practice manager can turn off, and what each person may move to their summary.
SWITCHABLE = tuple(kind for kind in Notice if kind is not Notice.TEST)
ALWAYS_IMMEDIATE = frozenset({Notice.URGENT, Notice.DAILY_SUMMARY, Notice.TEST})
CHOOSABLE = tuple(kind for kind in SWITCHABLE if kind not in ALWAYS_IMMEDIATE)


class MailStatus(Labelled):
    QUEUED = "queued", "Queued", "nhsuk-tag--blue"
    SENT = "sent", "Sent", "nhsuk-tag--green"
    FAILED = "failed", "Failed", "nhsuk-tag--red"
    HELD = "held", "Held for the daily summary", "nhsuk-tag--grey"
    SUMMARISED = "summarised", "In a daily summary", "nhsuk-tag--grey"


class Delivery(Labelled):
    IMMEDIATE = "immediate", "As it happens"
    DAILY_SUMMARY = "daily_summary", "In my daily summary"


class OutboxMessage(PracticeOwned, db.Model):
    """One email to one recipient. Written with the change that causes it; the sender marks
    it sent once (or failed, with the error, after its last attempt)."""

    __tablename__ = "mail_outbox"
    __table_args__ = (
        Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_mail_outbox_user_id_status", "user_id", "status"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    kind: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    case_reference: Mapped[str | None] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(200))
    # One line for the daily summary when the person chose to hear about this kind there.
    summary_line: Mapped[str] = mapped_column(String(300), default="", server_default="")
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reminders and summaries name what they are for (kind, case or person, day): the same
    # key twice is refused, so running a command again sends nothing new.
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)

    @property
    def kind_label(self) -> str:
        return Notice.label_of(self.kind)

    @property
    def status_enum(self) -> MailStatus:
        return MailStatus(self.status)


class NotificationPreference(db.Model):
    """How one person hears about one kind: as it happens (the default) or in the summary."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(20), default=Delivery.IMMEDIATE)
