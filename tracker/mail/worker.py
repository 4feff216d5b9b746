"""The mail worker: on each pass, today's reminders and summaries once the daily summary
time has passed on a working day, then the outbox. Between passes it waits (bounded), and a
stop request (SIGTERM, Ctrl+C) ends the wait at once and the loop after the current pass."""

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from tracker import clock
from tracker.extensions import db
from tracker.mail.digests import send_digests
from tracker.mail.reminders import practice_calendar, send_reminders
from tracker.mail.sender import Pass, send_pending
from tracker.practices.scope import in_practice
from tracker.practices.services import practice_ids
from tracker.settings.models import load_settings

log = logging.getLogger(__name__)

MAX_WAIT_SECONDS = 300


def summary_time_passed(now: datetime) -> bool:
    """A working day at the practice, at or after the daily summary's time."""
    local = clock.to_london(now)
    if not practice_calendar().is_working_day(local.date()):
        return False
    hour, minute = load_settings().summary_hour_minute
    return (local.hour, local.minute) >= (hour, minute)


@dataclass
class WorkerPass:
    reminders: int = 0
    summaries: int = 0
    mail: Pass | None = None


def one_pass() -> WorkerPass:
    """In each practice, its reminders and summaries when it is time there (each once a day),
    then the outbox, for every practice at once."""
    done = WorkerPass()
    now = clock.now_utc()
    for practice_id in practice_ids():
        with in_practice(practice_id):
            if summary_time_passed(now):
                done.reminders += send_reminders()
                done.summaries += send_digests()
                db.session.commit()
    done.mail = send_pending()
    return done


def run_worker(stop: threading.Event, interval: float = 30, max_passes: int | None = None) -> int:
    """Passes until stopped (or max_passes); a pass that fails (the database down, say) is
    logged once and tried again after the wait. Returns the passes made."""
    wait = max(1.0, min(float(interval), MAX_WAIT_SECONDS))
    passes = 0
    while not stop.is_set() and (max_passes is None or passes < max_passes):
        try:
            done = one_pass()
            if done.mail and (done.mail.sent or done.mail.failed):
                log.info("Mail: %s sent, %s failed", done.mail.sent, done.mail.failed)
        except SQLAlchemyError as problem:
            db.session.rollback()
            log.warning("Mail worker pass failed, trying again: %s", problem.__class__.__name__)
        finally:
            db.session.remove()
        passes += 1
        if max_passes is not None and passes >= max_passes:
            break
        stop.wait(wait)
    return passes
