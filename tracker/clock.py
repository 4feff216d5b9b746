"""The one source of "now", so tests can move time instead of sleeping."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def now_utc() -> datetime:
    """The current moment as an aware UTC datetime."""
    return datetime.now(UTC)


def to_london(moment: datetime) -> datetime:
    """Show a stored UTC moment in the practice's local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)
