"""Tables for sign-in rate limiting, two-factor recovery codes and the identities people sign
in with at a provider."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from tracker import clock
from tracker.extensions import db
from tracker.types import UTCDateTime


class SignInFailure(db.Model):
    """One failed sign-in from an address; counted by every worker to slow guessing."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index("ix_sign_in_failures_address_failed_at", "address", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInIdentity(db.Model):
    """A person's identity at a sign-in provider (NHSmail, NHS Care Identity), linked to their
    account the first time they sign in with it, by the email address the provider vouches
    for; from then on the provider's lasting key for them finds the account."""

    __tablename__ = "sign_in_identities"
    __table_args__ = (
        UniqueConstraint("provider", "subject", name="uq_sign_in_identities_provider_subject"),
        UniqueConstraint("user_id", "provider", name="uq_sign_in_identities_user_id_provider"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    provider: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(255))
    # The address the provider vouched for when the identity was linked.
    linked_by_email: Mapped[str] = mapped_column(String(254))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())
