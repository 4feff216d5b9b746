"""Every saved version of the practice's guidance text, oldest first; the newest one is shown."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, synonym

from tracker.extensions import db
from tracker.practices.scope import PracticeOwned
from tracker.versioned_text.models import TextVersion


class GuidanceVersion(TextVersion, PracticeOwned, db.Model):
    """One edit of one guidance topic, or the practice manager bringing the shipped text back."""

    __tablename__ = "guidance_versions"

    topic: Mapped[str] = mapped_column(String(40), index=True)
    key = synonym("topic")
