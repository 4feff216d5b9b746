"""Reading the settings of the practice being worked in: once a request, from a copy each
worker keeps while the saved row is unchanged."""

import time
from dataclasses import dataclass

from flask import current_app, g, has_request_context
from sqlalchemy import inspect, select
from sqlalchemy.orm import make_transient_to_detached

from tracker.extensions import db
from tracker.practices.models import (
    DEFAULT_PRACTICE_NAME,
    DEFAULT_SUMMARY_TIME,
    Practice,
)
from tracker.practices.scope import chosen_practice_id, start_request

__all__ = [
    "DEFAULT_PRACTICE_NAME",
    "DEFAULT_SUMMARY_TIME",
    "Practice",
    "load_settings",
    "work_in_the_installs_only_practice",
    "settings_to_change",
    "settings_version",
]


def load_settings() -> Practice:
    """The settings of the practice being worked in (or, with none chosen, of the install's
    only practice), or unsaved defaults before any practice exists: read once a request, the
    same object all through it.

    A request reads the practice's row as plain values (one statement, at most every
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


def work_in_the_installs_only_practice() -> None:
    """A request by no one signed in works in the install's only practice (read with its
    settings, in the statement the page would read them with anyway); on an install of
    several it works in none, and reads no practice's records."""
    start_request(None)
    g.pop("practice_settings", None)
    start_request(load_settings().id)


def settings_to_change() -> Practice:
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
    elif read is not None and read.id is not None:
        found = read  # already in the session: changed already
    else:
        found = _read_settings()
        if found.id is None:  # no practice yet: the first save makes the install's one
            db.session.add(found)
    g.practice_settings = found
    return found


_SNAPSHOT = "tracker.practice_settings"  # current_app.extensions: {practice id: Snapshot}


@dataclass
class Snapshot:
    values: tuple  # the practice's row as read
    settings: Practice
    checked: float  # time.monotonic() when the row was last read


def _settings_as_saved() -> Practice:
    kept_by_practice: dict[int | None, Snapshot] = current_app.extensions.setdefault(_SNAPSHOT, {})
    chosen = chosen_practice_id()
    kept = kept_by_practice.get(chosen)
    now = time.monotonic()
    if kept is not None and 0 <= now - kept.checked < current_app.config["SETTINGS_CHECKED_EVERY"]:
        return kept.settings
    table = Practice.__table__
    query = select(table)
    # The chosen practice's row; with none chosen, the first two: one means the install's only
    # practice, two that it hosts several and no one practice's settings apply.
    query = query.where(table.c.id == chosen) if chosen is not None else query.limit(2)
    rows = db.session.execute(query.order_by(table.c.id)).all()
    # No practice yet, or several with none chosen (someone not signed in to an install of
    # many): the shipped settings, kept as a row would be.
    values = tuple(rows[0]) if len(rows) == 1 else ("practices", len(rows))
    if kept is not None and kept.values == values:
        kept.checked = now
        return kept.settings
    if len(rows) == 1:
        found = Practice(**rows[0]._mapping)
        make_transient_to_detached(found)  # the saved row, outside any session
    else:
        found = _defaults()
    kept_by_practice[chosen] = Snapshot(values, found, now)
    return found


def _read_settings() -> Practice:
    chosen = chosen_practice_id()
    if chosen is not None:
        found = db.session.get(Practice, chosen)
    else:
        only = db.session.scalars(select(Practice).order_by(Practice.id).limit(2)).all()
        found = only[0] if len(only) == 1 else None
    return _defaults() if found is None else found


def _defaults() -> Practice:
    """The shipped settings, not saved yet."""
    return Practice(
        practice_name=DEFAULT_PRACTICE_NAME,
        ods_code=None,
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


def settings_version(settings: Practice) -> tuple:
    """Every value of the practice's settings: what is worked out from them alone is kept by
    this, so it is worked out again, in every worker, as soon as a saved change is read."""
    return tuple(getattr(settings, column.key) for column in _SETTINGS_COLUMNS)


_SETTINGS_COLUMNS = tuple(Practice.__mapper__.column_attrs)
