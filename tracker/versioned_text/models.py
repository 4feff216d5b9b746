"""What every saved version of a versioned text holds; each registration keeps its own table."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text, false
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from tracker import clock
from tracker.staff.models import User
from tracker.types import UTCDateTime


class TextVersion:
    """One edit of one text, or the practice manager bringing the shipped text back. A model
    using it names its table and its `key` (which guidance topic, which letter)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    # A restore follows the shipped text, even when a later release improves it.
    restored_default: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    if TYPE_CHECKING:  # each model maps it to its own column, kept as it was named
        key: Mapped[str]

    @declared_attr
    def created_by(cls) -> Mapped[User]:
        return relationship(User, lazy="joined")
