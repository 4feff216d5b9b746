"""The staff account model."""

from datetime import date, datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, defaultload, lazyload, load_only, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import clock
from tracker.extensions import db
from tracker.practices.models import Practice
from tracker.practices.scope import PracticeOwned
from tracker.types import IDS_NEVER_REUSED, UTCDateTime, codes_in_sql
from tracker.vocabulary import Labelled


class Role(Labelled):
    RECEPTION = "reception", "Reception"
    GP = "gp", "GP"
    PRACTICE_MANAGER = "practice_manager", "Practice manager"
    # A GP of another practice in the PCN, here only for the cases given to them to review.
    VISITING_GP = "visiting_gp", "GP from another practice"


# The roles a practice gives its own staff (the visiting role comes with a case, not a form).
STAFF_ROLES = (Role.RECEPTION, Role.GP, Role.PRACTICE_MANAGER)


class User(UserMixin, db.Model):
    """A member of staff who signs in to the tracker."""

    __tablename__ = "users"
    __table_args__ = IDS_NEVER_REUSED

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # Printed under their name when they sign a letter: "Practice manager", "GP partner".
    job_title: Mapped[str | None] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    password_hash: Mapped[str] = mapped_column(String(255))
    must_change_password: Mapped[bool] = mapped_column(default=True, server_default=true())
    failed_signin_count: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_demo: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor sign-in: the authenticator secret, when it was confirmed, and the last
    # time step accepted (a code from that step or earlier is a replay).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column()
    # Raised whenever this person's sessions are ended: a sign-in waiting for its code ends too.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # When they last cleared "New for you": changes to their cases after it are new to them.
    news_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Their role in the practice being worked in (read with the account, in the same statement;
    # None where they do not work).
    membership: Mapped["Membership | None"] = relationship(
        "Membership", uselist=False, lazy="joined", viewonly=True, innerjoin=False
    )

    # The token of the session this person is signed in on in this request (not stored here).
    session_token = None
    # Whether they work in another practice too, read with their session (not stored here).
    works_elsewhere = False

    def get_id(self) -> str:
        """What the session cookie holds: the session's token, never the account's id."""
        if not self.session_token:
            raise RuntimeError("Sign in through tracker.security.sessions.start_session")
        return self.session_token

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def works_here(self) -> bool:
        """Whether they work in the practice being worked in now: an active account with a
        role in it. Someone who has left (deactivated, or removed from this practice while
        working in others) does not."""
        return self.active and self.membership is not None

    @property
    def role(self) -> str | None:
        """Their role in the practice being worked in."""
        return self.membership.role if self.membership is not None else None

    @property
    def is_senior_partner(self) -> bool:
        return self.membership is not None and bool(self.membership.is_senior_partner)

    @property
    def is_visiting(self) -> bool:
        """A GP of another practice in the PCN, here for the cases given to them."""
        return self.role == Role.VISITING_GP

    @property
    def works_at(self) -> str | None:
        """For a visiting GP, the name of the practice they work at; None for the practice's own."""
        membership = self.membership
        if membership is None or membership.visiting_from is None:
            return None
        return membership.visiting_from.practice_name

    @property
    def name_here(self) -> str:
        """Their name as this practice's pages, emails and audit show it: a visiting GP's with
        the practice they work at."""
        where = self.works_at
        return f"{self.full_name} ({where})" if where else self.full_name

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def role_label(self) -> str:
        if self.works_at:
            return f"GP at {self.works_at}"
        return role_label(self.role, self.is_senior_partner)

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(
            password, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        )

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_secret is not None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and self.locked_until > now

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


def role_label(role: str | None, senior_partner: bool = False) -> str:
    """ "GP", "GP, senior partner", "Practice manager"; empty for someone with no role here."""
    if role is None:
        return ""
    if role == Role.GP and senior_partner:
        return "GP, senior partner"
    return Role.label_of(role)


def shown_by_name(*relationships, where_they_work: bool = False) -> list:
    """Loader options for the staff a list names and nothing more (who wrote a note, who sent
    a letter): their name, and whether they still work here, but not the rest of the account
    (no password hash or authenticator secret read to show a name). Their role in the
    practice, joined to every account read otherwise, is read with them only for
    `where_they_work` (a visiting GP is named with their own practice: `name_here`). Anything
    else is read when asked for, one account at a time."""
    named = load_only(User.full_name, User.active)
    return [
        defaultload(related).options(named)
        if where_they_work
        else defaultload(related).options(named, lazyload(User.membership))
        for related in relationships
    ]


class Membership(PracticeOwned, db.Model):
    """A person's role in one practice they work in: one account, a role in each practice."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "practice_id"),
        Index("ix_memberships_practice_id_role", "practice_id", "role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(20))
    is_senior_partner: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    # For a visiting GP: the practice of the PCN they work at, named wherever their work shows.
    visiting_from_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id"))
    visiting_from: Mapped[Practice | None] = relationship(
        foreign_keys=[visiting_from_id], viewonly=True
    )


def works_as(*roles: Role):
    """The condition on User: works in the practice being worked in in one of these roles."""
    return User.membership.has(Membership.role.in_(codes_in_sql(roles)))


class StaffLeave(db.Model):
    """A spell of leave: from the first day away to the last, both included. Someone away is
    not offered as a reviewer unless the practice manager chooses them, saying why."""

    __tablename__ = "staff_leave"
    __table_args__ = (Index("ix_staff_leave_user_id_ends_on", "user_id", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
