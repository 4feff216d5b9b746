"""Working days: Monday to Friday less the bank holidays of the practice's region.

Counted in the practice's own dates (Europe/London), so a request logged at 23:30 UTC on
31 March 2026 (00:30 BST) was received on 1 April.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from tracker import clock

REGIONS = {
    "england": ("England", "ENG"),
    "wales": ("Wales", "WLS"),
    "scotland": ("Scotland", "SCT"),
    "northern_ireland": ("Northern Ireland", "NIR"),
}
DEFAULT_REGION = "england"
ONE_DAY = timedelta(days=1)
# Running counts of working days through each (region, year): derived from the fixed calendar,
# so sharing them between requests holds no state of the practice.
_YEAR_COUNTS: dict[tuple[str, int], list[int]] = {}
_YEAR_POSITIONS: dict[tuple[str, int], list[int]] = {}
_BEFORE_YEAR: dict[tuple[str, int], int] = {}  # a report counts thousands of durations


@lru_cache(maxsize=8)
def _bank_holidays(region: str) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=REGIONS[region][1])


def local_date(moment: datetime | date) -> date:
    """The practice's calendar date for a stored moment (dates pass through)."""
    if isinstance(moment, datetime):
        return clock.to_london(moment).date()
    return moment


def start_of_local_day(day: date) -> datetime:
    """Midnight at the practice on this date, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=clock.LONDON)


class WorkingCalendar:
    """Counting and adding working days for one region."""

    def __init__(self, region: str = DEFAULT_REGION):
        self.region = region if region in REGIONS else DEFAULT_REGION
        self._holidays = _bank_holidays(self.region)

    def is_working_day(self, day: date) -> bool:
        year_counts = self._year_counts(day.year)
        index = day.toordinal() - date(day.year, 1, 1).toordinal()
        return year_counts[index] > (year_counts[index - 1] if index else 0)

    def bank_holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def working_day_on_or_after(self, start: datetime | date) -> date:
        """The start's date when it is a working day, otherwise the next working day."""
        day = local_date(start)
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def add_working_days(self, start: datetime | date, days: int) -> date:
        """The date `days` working days after the start's date (the start day itself not counted)."""
        day = local_date(start)
        if days <= 0:
            return day
        # The working day whose running count is the start's count plus `days`.
        wanted = self._running_count(day) + days
        year = day.year
        while True:
            nth = wanted - self._before_year(year)
            positions = self._year_positions(year)
            if nth <= len(positions):
                return date.fromordinal(date(year, 1, 1).toordinal() + positions[nth - 1])
            year += 1

    def working_days_between(self, start: datetime | date, end: datetime | date) -> int:
        """Working days after the start's date up to and including the end's date (0 on the same day)."""
        first, last = local_date(start), local_date(end)
        if last <= first:
            return 0
        return self._running_count(last) - self._running_count(first)

    def _running_count(self, day: date) -> int:
        """Working days from the start of the day's year up to and including it, plus earlier years."""
        year_counts = self._year_counts(day.year)
        index = day.toordinal() - date(day.year, 1, 1).toordinal()
        return year_counts[index] + self._before_year(day.year)

    def _year_counts(self, year: int) -> list[int]:
        """For each day of the year, the working days from 1 January up to and including it."""
        key = (self.region, year)
        if key not in _YEAR_COUNTS:
            running, counts, positions, day = 0, [], [], date(year, 1, 1)
            while day.year == year:
                if day.weekday() < 5 and day not in self._holidays:
                    running += 1
                    positions.append(len(counts))
                counts.append(running)
                day += ONE_DAY
            _YEAR_POSITIONS[key] = positions
            _YEAR_COUNTS[key] = counts
        return _YEAR_COUNTS[key]

    def _year_positions(self, year: int) -> list[int]:
        """The day of the year (0 for 1 January) of each of its working days, in order."""
        key = (self.region, year)
        if key not in _YEAR_POSITIONS:
            self._year_counts(year)
        return _YEAR_POSITIONS[key]

    def _before_year(self, year: int) -> int:
        """Working days in the years from 2000 up to the one before (a fixed origin for counting)."""
        key = (self.region, year)
        if key not in _BEFORE_YEAR:
            _BEFORE_YEAR[key] = self._sum_before_year(year)
        return _BEFORE_YEAR[key]

    def _sum_before_year(self, year: int) -> int:
        return (
            sum(self._year_counts(y)[-1] for y in range(2000, year))
            if year > 2000
            else -sum(self._year_counts(y)[-1] for y in range(year, 2000))
        )

    def earliest_start_due_on_or_after(self, day: date, days: int) -> date:
        """The earliest start date whose due date (start + `days`) is on or after `day`.

        Starts before it are overdue on `day`; due dates rise with start dates, so a queue can
        turn "overdue" into a plain date comparison in SQL.
        """
        start = day
        while self.add_working_days(start - ONE_DAY, days) >= day:
            start -= ONE_DAY
        return start
