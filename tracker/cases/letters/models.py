"""Every saved version of each letter template, and each letter as it was sent."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from tracker import clock
from tracker.extensions import db
from tracker.practices.scope import PracticeOwned
from tracker.staff.models import User
from tracker.types import IDS_NEVER_REUSED, UTCDateTime
from tracker.versioned_text.models import TextVersion


class LetterTemplateVersion(TextVersion, PracticeOwned, db.Model):
    """One edit of one letter template, or the practice manager bringing the shipped text back."""

    __tablename__ = "letter_template_versions"

    kind: Mapped[str] = mapped_column(String(20), index=True)
    key = synonym("kind")


class CaseLetter(PracticeOwned, db.Model):
    """A letter marked as sent: the PDF exactly as it was made, so it reads the same later
    whatever happens to the template, the settings or the case. Patient data: the subject
    access export includes it and the retention purge removes it."""

    __tablename__ = "case_letters"
    __table_args__ = (
        Index("ix_case_letters_case_id_sent_at", "case_id", "sent_at"),
        IDS_NEVER_REUSED,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[str] = mapped_column(String(20))
    sent_method: Mapped[str] = mapped_column(String(20))
    # Addressed to the patient, or to the person acting for them.
    recipient: Mapped[str] = mapped_column(String(20), default="patient", server_default="patient")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The reviewer added clinical detail to it: GPs and the practice manager only.
    clinical: Mapped[bool] = mapped_column(default=False, server_default=false())
    file_name: Mapped[str] = mapped_column(String(120))
    # Read only when the letter is downloaded or exported, not when letters are listed.
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    sent_by: Mapped[User] = relationship(lazy="joined")
