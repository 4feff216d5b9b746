"""Every saved version of the practice's guidance text, oldest first; the newest one is shown."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker import clock
from tracker.extensions import db
from tracker.staff.models import User
from tracker.types import UTCDateTime


class GuidanceVersion(db.Model):
    """One edit of one guidance topic, or the practice manager bringing the shipped text back."""

    __tablename__ = "guidance_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(40), index=True)
    body: Mapped[str] = mapped_column(Text)
    # A restore follows the shipped text, even when a later release improves it.
    restored_default: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User] = relationship(lazy="joined")
