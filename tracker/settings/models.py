"""The single row of practice settings."""

import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g, has_request_context
from sqlalchemy import ForeignKey, String, false, inspect, select
from sqlalchemy.orm import Mapped, make_transient_to_detached, mapped_column

from tracker import clock
from tracker.extensions import db
from tracker.types import UTCDateTime

SETTINGS_ID = 1
DEFAULT_PRACTICE_NAME = "Your GP practice"
DEFAULT_SUMMARY_TIME = "07:30"


class PracticeSettings(db.Model):
    """One row (id 1) holding what the practice manager sets for the whole practice."""

    __tablename__ = "practice_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_name: Mapped[str] = mapped_column(String(120), default=DEFAULT_PRACTICE_NAME)
    ods_code: Mapped[str] = mapped_column(String(10), default="")
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


def load_settings() -> PracticeSettings:
    """The practice's settings to read, or unsaved defaults before anyone has saved them: read
    once a request, the same object all through it.

    A request reads the settings row as plain values (one statement, at most every
    SETTINGS_CHECKED_EVERY seconds in each worker) and, while they are what this worker last
    turned into settings, is given the same object again: building the mapped object from the
    row cost more than the rest of the sign-in page's reading. The object is not in any
    database session; to change the settings, use `settings_to_change`. Outside a request (the
    mail worker, the command line) the row is read afresh each time."""
    if not has_request_context():
        return _read_settings()
    found = g.get("practice_settings")
    if found is None:
        found = g.practice_settings = _settings_as_saved()
    return found


def settings_to_change() -> PracticeSettings:
    """The settings in the request's database session, to change and save; the rest of the
    request reads them too."""
    if not has_request_context():
        return _read_settings()
    current_app.extensions.pop(_SNAPSHOT, None)  # this worker reads the saved change at once
    read = g.get("practice_settings")
    if read is not None and inspect(read).detached:
        # This request's reading of the saved row, placed in the session without reading it
        # again.
        found = db.session.merge(read, load=False)
    elif read is not None:
        found = read  # already in the session: defaults never saved, or changed already
    else:
        found = _read_settings()
    g.practice_settings = found
    return found


_SNAPSHOT = "tracker.practice_settings"  # current_app.extensions: a Snapshot


@dataclass
class Snapshot:
    values: tuple  # the settings row as read
    settings: PracticeSettings
    checked: float  # time.monotonic() when the row was last read


def _settings_as_saved() -> PracticeSettings:
    kept: Snapshot | None = current_app.extensions.get(_SNAPSHOT)
    now = time.monotonic()
    if kept is not None and now - kept.checked < current_app.config["SETTINGS_CHECKED_EVERY"]:
        return kept.settings
    table = PracticeSettings.__table__
    row = db.session.execute(select(table).where(table.c.id == SETTINGS_ID)).first()
    if row is None:
        return _defaults()  # never saved
    values = tuple(row)
    if kept is not None and kept.values == values:
        kept.checked = now
        return kept.settings
    found = PracticeSettings(**row._mapping)
    make_transient_to_detached(found)  # the saved row, outside any session
    current_app.extensions[_SNAPSHOT] = Snapshot(values, found, now)
    return found


def _read_settings() -> PracticeSettings:
    found = db.session.get(PracticeSettings, SETTINGS_ID)
    return _defaults() if found is None else found


def _defaults() -> PracticeSettings:
    """The shipped settings, not saved yet."""
    return PracticeSettings(
        id=SETTINGS_ID,
        practice_name=DEFAULT_PRACTICE_NAME,
        ods_code="",
        practice_address="",
        practice_phone="",
        pals_office_name="",
        pals_phone="",
        pals_email="",
        pals_web_address="",
        pals_postal_address="",
        assign_target_days=2,
        acknowledge_target_days=3,
        outcome_target_days=10,
        bank_holiday_region="england",
        idle_sign_out_minutes=15,
        two_factor_for_everyone=False,
        retention_years=10,
        duty_doctor_mailbox="",
        reception_mailbox="",
        pals_chase_working_days=10,
        daily_summary_time=DEFAULT_SUMMARY_TIME,
        notices_off="",
    )


def settings_version(settings: PracticeSettings) -> tuple:
    """Every value of the practice's settings: what is worked out from them alone is kept by
    this, so it is worked out again, in every worker, as soon as a saved change is read."""
    return tuple(getattr(settings, column.key) for column in _SETTINGS_COLUMNS)


_SETTINGS_COLUMNS = tuple(PracticeSettings.__mapper__.column_attrs)
