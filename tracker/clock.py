"""The one source of "now", so tests and demo seeding can move time instead of sleeping."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

_travelled_to: ContextVar[datetime | None] = ContextVar("travelled_to", default=None)


def now_utc() -> datetime:
    """The current moment as an aware UTC datetime."""
    return _travelled_to.get() or datetime.now(UTC)


def today_london() -> date:
    """Today's date in the practice (Europe/London)."""
    return to_london(now_utc()).date()


def to_london(moment: datetime) -> datetime:
    """Show a stored UTC moment in the practice's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)


@contextmanager
def travel_to(moment: datetime) -> Iterator[None]:
    """Make now_utc() return this moment inside the block (demo seeding writes history)."""
    token = _travelled_to.set(moment)
    try:
        yield
    finally:
        _travelled_to.reset(token)


# The one way dates and times are written for staff: 3 March 2026, and 3 March 2026, 14:05.
DATE_FORMAT = "%-d %B %Y"
TIME_FORMAT = "%H:%M"


def format_date(value: date | datetime | None) -> str:
    """A date as staff read it; a stored moment is first put in the practice's local time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_london(value).date()
    return _day_as_read(value)


@lru_cache(maxsize=4096)
def _day_as_read(day: date) -> str:
    # A queue's rows repeat a few days many times over: each written once.
    return day.strftime(DATE_FORMAT)


def format_moment(value: datetime | None, joiner: str = ", ") -> str:
    """A stored moment in the practice's local time, date and time."""
    if value is None:
        return ""
    local = to_london(value)
    return f"{local.strftime(DATE_FORMAT)}{joiner}{local.strftime(TIME_FORMAT)}"
