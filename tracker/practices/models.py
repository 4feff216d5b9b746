"""Practices and the primary care networks (or federations) they belong to."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, validates

from tracker import clock
from tracker.extensions import db
from tracker.types import UTCDateTime

DEFAULT_PRACTICE_NAME = "Your GP practice"
DEFAULT_SUMMARY_TIME = "07:30"
DEFAULT_PCN_NAME = "Your primary care network"
ODS_CODE_PATTERN = r"^[A-Z0-9]{3,10}$"


class Icb(db.Model):
    """An integrated care board: the PCNs of its area answer to it."""

    __tablename__ = "icbs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    ods_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())


class Pcn(db.Model):
    """A primary care network, GP federation or other group of practices hosted together."""

    __tablename__ = "pcns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160), unique=True)
    ods_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    icb_id: Mapped[int | None] = mapped_column(ForeignKey("icbs.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())


class NetworkRole(db.Model):
    """Someone who sees every practice of a PCN (a PCN manager) or of an ICB (an ICB manager)
    in figures without identifiers: never a case, a patient or a practice's settings."""

    __tablename__ = "network_roles"
    __table_args__ = (
        CheckConstraint("(pcn_id IS NULL) <> (icb_id IS NULL)", name="one_network"),
        UniqueConstraint("user_id", "pcn_id", "icb_id"),
        Index("ix_network_roles_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    pcn_id: Mapped[int | None] = mapped_column(ForeignKey("pcns.id"))
    icb_id: Mapped[int | None] = mapped_column(ForeignKey("icbs.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=lambda: clock.now_utc())


class Practice(db.Model):
    """A GP practice: its name, ODS code and letterhead, and everything its practice manager
    sets for it (targets, region, PALS office, mailboxes, reminders, security, retention)."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_name: Mapped[str] = mapped_column(String(120), default=DEFAULT_PRACTICE_NAME)
    # The practice's Organisation Data Service code, unique in the install; None until set (an
    # install of one practice may never set it).
    ods_code: Mapped[str | None] = mapped_column(String(10), unique=True)
    pcn_id: Mapped[int | None] = mapped_column(ForeignKey("pcns.id"))
    # The letterhead on letters to patients
    practice_address: Mapped[str] = mapped_column(String(400), default="", server_default="")
    practice_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    pals_office_name: Mapped[str] = mapped_column(String(160), default="", server_default="")
    pals_phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    pals_email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    pals_web_address: Mapped[str] = mapped_column(String(300), default="", server_default="")
    pals_postal_address: Mapped[str] = mapped_column(String(400), default="", server_default="")
    assign_target_days: Mapped[int] = mapped_column(default=2, server_default="2")
    acknowledge_target_days: Mapped[int] = mapped_column(default=3, server_default="3")
    outcome_target_days: Mapped[int] = mapped_column(default=10, server_default="10")
    bank_holiday_region: Mapped[str] = mapped_column(
        String(20), default="england", server_default="england"
    )
    # Security and information governance
    idle_sign_out_minutes: Mapped[int] = mapped_column(default=15, server_default="15")
    two_factor_for_everyone: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Where the install offers sign-in at NHSmail or NHS Care Identity: whether the practice's
    # staff must use it (the practice manager's password and code stay, as a way in when it is
    # not working, audited at each use).
    sign_in_at_provider_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    retention_years: Mapped[int] = mapped_column(default=10, server_default="10")
    # Email notifications: the shared mailboxes, when PALS is chased, the daily summary's time
    # (HH:MM, UK time) and the kinds the practice has turned off (codes, comma separated).
    duty_doctor_mailbox: Mapped[str] = mapped_column(String(254), default="", server_default="")
    reception_mailbox: Mapped[str] = mapped_column(String(254), default="", server_default="")
    pals_chase_working_days: Mapped[int] = mapped_column(default=10, server_default="10")
    daily_summary_time: Mapped[str] = mapped_column(
        String(5), default=DEFAULT_SUMMARY_TIME, server_default=DEFAULT_SUMMARY_TIME
    )
    notices_off: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # Whether a GP of another practice in the PCN may be given this practice's cases to review.
    outside_reviewers_allowed: Mapped[bool] = mapped_column(default=False, server_default=false())
    updated_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime, default=lambda: clock.now_utc(), onupdate=lambda: clock.now_utc()
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def pals_contact_missing(self) -> bool:
        """True until the local PALS office's name and at least one way to reach it are set."""
        return not self.pals_office_name or not (
            self.pals_phone or self.pals_email or self.pals_web_address
        )

    @property
    def turned_off(self) -> list[str]:
        """The notification kinds the practice manager has turned off."""
        return [code for code in (self.notices_off or "").split(",") if code]

    def notice_on(self, kind: str) -> bool:
        return str(kind) not in self.turned_off

    @property
    def summary_hour_minute(self) -> tuple[int, int]:
        hours, _, minutes = (self.daily_summary_time or DEFAULT_SUMMARY_TIME).partition(":")
        return int(hours), int(minutes)

    @validates("ods_code")
    def _blank_is_none(self, _key, value: str | None) -> str | None:
        return value.strip().upper() or None if value else None
