"""Signed-in sessions kept on the server: the browser's cookie carries only a random token,
whose hash finds the row here, so the server can end any session at once (sign-out, a new
password, a reset, deactivation, or someone ending it from another session)."""

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    ForeignKey,
    Index,
    String,
    and_,
    bindparam,
    delete,
    exists,
    false,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, aliased, lazyload, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from tracker import clock
from tracker.extensions import db
from tracker.practices.scope import across_practices
from tracker.staff.models import Membership, User
from tracker.types import UTCDateTime
from tracker.vocabulary import Labelled

# The record of a session (its address and browser) is kept this long after its last use; the
# audit log keeps every sign-in and sign-out for as long as it keeps anything.
SESSION_RECORDS_KEPT = timedelta(days=90)
# A session's last-seen time is written at most this often, so most requests only read it;
# an idle sign-out may come up to this much early.
SEEN_EVERY = timedelta(seconds=30)


class EndReason(Labelled):
    SIGNED_OUT = "signed_out", "Signed out"
    IDLE = "idle", "Not used for the idle time"
    LIFETIME = "lifetime", "Reached the time limit"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset by the practice manager"
    DEACTIVATED = "deactivated", "Account deactivated"
    LOCKED = "locked", "Account locked after wrong passwords"
    TWO_FACTOR_CHANGED = "two_factor_changed", "Two-factor sign-in set up or reset"
    ENDED_BY_THEM = "ended_by_them", "Ended from another of their sessions"
    ENDED_BY_MANAGER = "ended_by_manager", "Ended by the practice manager"
    NO_LONGER_THERE = "no_longer_there", "No longer works in the session's practice"


class UserSession(db.Model):
    """One sign-in on one browser, from sign-in until it ends."""

    __tablename__ = "user_sessions"
    __table_args__ = (
        Index("ix_user_sessions_user_open", "user_id", "ended_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The practice this session is working in: one of the person's, changed with the switcher.
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(20))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    address: Mapped[str] = mapped_column(String(64), default="", server_default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="", server_default="")
    # Signed in at a provider (its key in the install's settings) rather than with a password:
    # the provider's own session id (its back-channel logout names it), and whether the
    # provider said the person used more than one factor, which stands for the tracker's code.
    provider: Mapped[str | None] = mapped_column(String(30))
    provider_session: Mapped[str | None] = mapped_column(String(255))
    provider_multi_factor: Mapped[bool] = mapped_column(default=False, server_default=false())

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def end_reason_label(self) -> str:
        return EndReason.label_of(self.end_reason)

    @property
    def browser(self) -> str:
        """The browser and system in a few words, from what the browser said it was."""
        return describe_browser(self.user_agent)


def hash_token(token: str) -> str:
    """Only the token's hash is stored: a copy of the table opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class AtProvider:
    """A sign-in at a provider: its key, its own session id (None if it sent none) and whether
    it said more than one factor was used."""

    provider: str
    session_id: str | None
    multi_factor: bool


def open_session(
    user: User,
    *,
    practice_id: int | None,
    address: str,
    user_agent: str,
    at_provider: AtProvider | None = None,
) -> str:
    """Record a new session for this person, working in this practice, and return the token
    its cookie carries."""
    token = secrets.token_urlsafe(32)
    now = clock.now_utc()
    db.session.add(
        UserSession(
            token_hash=hash_token(token),
            user_id=user.id,
            practice_id=practice_id,
            started_at=now,
            last_seen_at=now,
            address=(address or "")[:64],
            user_agent=(user_agent or "")[:255],
            provider=at_provider.provider if at_provider else None,
            provider_session=at_provider.session_id[:255]
            if at_provider and at_provider.session_id
            else None,
            provider_multi_factor=bool(at_provider and at_provider.multi_factor),
        )
    )
    return token


@functools.cache
def _session_lookup():
    """The statement finding a session by its token's hash, its person and their membership of
    the session's practice, and whether they work in another practice too: built once, as a
    new alias on every request made SQLAlchemy compile it afresh (a millisecond a request)."""
    other = aliased(Membership)
    works_elsewhere = (
        exists()
        .where(other.user_id == User.id, other.practice_id != UserSession.practice_id)
        .correlate(User, UserSession)
    )
    return (
        select(UserSession, User, Membership, works_elsewhere)
        .join(User, User.id == UserSession.user_id)
        .outerjoin(
            Membership,
            and_(
                Membership.user_id == User.id,
                Membership.practice_id == UserSession.practice_id,
            ),
        )
        .where(UserSession.token_hash == bindparam("token_hash"))
        .options(lazyload(User.membership))
    )


def find_session(token: str) -> tuple[UserSession, User] | None:
    """The session this token opens and its person with their role in the session's practice
    (None if they no longer work there) and whether they work in another practice too, in one
    statement; None if unknown."""
    if not token or len(token) > 100:
        return None
    with across_practices("finding the session a cookie names, before its practice is known"):
        row = db.session.execute(_session_lookup(), {"token_hash": hash_token(token)}).first()
    if row is None:
        return None
    user_session, user, membership, user.works_elsewhere = row
    set_committed_value(user, "membership", membership)
    return user_session, user


def note_seen(user_session: UserSession) -> None:
    """Move the session's last-seen time on, writing only when it has gone stale."""
    now = clock.now_utc()
    if now - user_session.last_seen_at < SEEN_EVERY:
        return
    db.session.execute(
        update(UserSession)
        .where(UserSession.id == user_session.id)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    user_session.last_seen_at = now
    db.session.commit()


def end_session(user_session: UserSession, reason: EndReason, *, by: User | None = None) -> None:
    """End one session now; the caller commits."""
    if user_session.ended_at is not None:
        return
    user_session.ended_at = clock.now_utc()
    user_session.end_reason = reason.value
    user_session.ended_by_id = by.id if by is not None else None


def end_sessions(
    user: User,
    reason: EndReason,
    *,
    keep: UserSession | None = None,
    by: User | None = None,
    working_in: int | None = None,
) -> int:
    """End every open session of this person (but `keep`), and any sign-in half done; the
    caller commits. Returns how many sessions ended. With `working_in`, only the sessions
    working in that practice end (someone who no longer works there)."""
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if working_in is None:
        user.session_version = (user.session_version or 0) + 1  # a code step under way ends too
    else:
        query = query.where(UserSession.practice_id == working_in)
    query = query.values(
        ended_at=clock.now_utc(),
        end_reason=reason.value,
        ended_by_id=by.id if by is not None else None,
    ).execution_options(synchronize_session=False)
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    return db.session.execute(query).rowcount


def open_sessions(user: User, *, since: datetime) -> list[UserSession]:
    """This person's sessions not ended and seen since the given time, newest first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(
                UserSession.user_id == user.id,
                UserSession.ended_at.is_(None),
                UserSession.last_seen_at >= since,
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def forget_old_sessions(*, dry_run: bool = False) -> int:
    """Delete the records of sessions last used more than SESSION_RECORDS_KEPT ago (ended, or
    long past every limit); the caller commits. Returns how many."""
    cutoff = clock.now_utc() - SESSION_RECORDS_KEPT
    old = or_(UserSession.ended_at < cutoff, UserSession.last_seen_at < cutoff)
    if dry_run:
        return len(db.session.scalars(select(UserSession.id).where(old)).all())
    return db.session.execute(
        delete(UserSession).where(old).execution_options(synchronize_session=False)
    ).rowcount


BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
SYSTEMS = (
    ("Windows", "Windows"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def describe_browser(user_agent: str) -> str:
    """'Chrome on Windows' and the like; 'Unknown browser' when it cannot be told."""
    agent = user_agent or ""
    browser = next((name for marker, name in BROWSERS if marker in agent), None)
    if browser is None and "Safari/" in agent:
        browser = "Safari"
    system = next((name for marker, name in SYSTEMS if marker in agent), None)
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"
