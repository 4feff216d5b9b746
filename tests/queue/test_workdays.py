"""The working-day calendar around bank holidays, weekends and the clock changes."""

from datetime import UTC, date, datetime

import pytest

from tracker.workdays import WorkingCalendar, local_date

ENGLAND = WorkingCalendar("england")


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Easter 2026: Good Friday 3 April, Easter Monday 6 April.
        (date(2026, 4, 2), 1, date(2026, 4, 7)),
        (date(2026, 4, 2), 2, date(2026, 4, 8)),
        (date(2026, 4, 3), 2, date(2026, 4, 8)),  # received on Good Friday
        # Late August bank holiday, Monday 31 August 2026.
        (date(2026, 8, 28), 1, date(2026, 9, 1)),
        (date(2026, 8, 27), 3, date(2026, 9, 2)),
        # Christmas 2026: Friday 25, Saturday 26 (observed Monday 28).
        (date(2026, 12, 24), 1, date(2026, 12, 29)),
        (date(2026, 12, 23), 2, date(2026, 12, 29)),
        (date(2026, 12, 24), 3, date(2026, 12, 31)),
        # Weekends
        (date(2026, 11, 20), 1, date(2026, 11, 23)),  # Friday -> Monday
        (date(2026, 11, 21), 2, date(2026, 11, 24)),  # Saturday -> Tuesday
        (date(2026, 11, 23), 10, date(2026, 12, 7)),
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_adding_working_days(start, days, due):
    assert ENGLAND.add_working_days(start, days) == due


def test_bank_holidays_of_christmas_2026_are_not_working_days():
    for day in (date(2026, 12, 25), date(2026, 12, 26), date(2026, 12, 27), date(2026, 12, 28)):
        assert not ENGLAND.is_working_day(day)
    assert ENGLAND.is_working_day(date(2026, 12, 24)) and ENGLAND.is_working_day(date(2026, 12, 29))
    assert ENGLAND.bank_holiday_name(date(2026, 12, 28)) == "Boxing Day (observed)"


def test_counting_working_days_between_moments():
    assert ENGLAND.working_days_between(date(2026, 4, 2), date(2026, 4, 8)) == 2
    assert ENGLAND.working_days_between(date(2026, 12, 24), date(2026, 12, 29)) == 1
    assert ENGLAND.working_days_between(date(2026, 11, 20), date(2026, 11, 20)) == 0
    assert (
        ENGLAND.working_days_between(date(2026, 11, 20), date(2026, 11, 23)) == 1
    )  # over a weekend
    assert ENGLAND.working_days_between(date(2026, 11, 24), date(2026, 11, 20)) == 0


def test_moments_are_counted_in_the_practice_local_date():
    # 23:30 UTC on 31 March 2026 is 00:30 BST on 1 April.
    received = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert local_date(received) == date(2026, 4, 1)
    assert ENGLAND.add_working_days(received, 1) == date(2026, 4, 2)
    # 23:30 UTC on 24 October 2026 (BST ends the next day) is 00:30 on 25 October.
    assert local_date(datetime(2026, 10, 24, 23, 30, tzinfo=UTC)) == date(2026, 10, 25)
    # In GMT, 23:30 UTC is still the same day.
    assert local_date(datetime(2026, 11, 24, 23, 30, tzinfo=UTC)) == date(2026, 11, 24)
    assert (
        ENGLAND.working_days_between(
            datetime(2026, 3, 30, 12, 0, tzinfo=UTC), datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
        )
        == 2
    )


def test_regions_have_their_own_bank_holidays():
    scotland = WorkingCalendar("scotland")
    assert not scotland.is_working_day(date(2026, 1, 2))  # 2 January holiday in Scotland
    assert ENGLAND.is_working_day(date(2026, 1, 2))
    assert scotland.is_working_day(date(2026, 4, 6))  # no Easter Monday holiday in Scotland
    assert not WorkingCalendar("northern_ireland").is_working_day(
        date(2026, 3, 17)
    )  # St Patrick's Day


@pytest.mark.parametrize("days", [0, 1, 2, 3, 10])
@pytest.mark.parametrize(
    "today",
    [
        date(2026, 4, 7),
        date(2026, 9, 1),
        date(2026, 12, 29),
        date(2026, 11, 24),
        date(2026, 11, 28),
    ],
)
def test_overdue_cutoff_matches_adding_days(today, days):
    cutoff = ENGLAND.earliest_start_due_on_or_after(today, days)
    for offset in range(-40, 3):
        start = date.fromordinal(today.toordinal() + offset)
        due = ENGLAND.add_working_days(start, days)
        assert (due < today) == (start < cutoff), (start, due, cutoff)


@pytest.mark.parametrize("region", ["england", "scotland", "northern_ireland"])
def test_counts_agree_with_walking_the_calendar_day_by_day(region):
    """The running counts give what stepping through weekdays and bank holidays gives."""
    import holidays

    from tracker.workdays import REGIONS

    bank = holidays.country_holidays("GB", subdiv=REGIONS[region][1])
    calendar = WorkingCalendar(region)

    def walk(start: date, days: int) -> date:
        day = start
        while days > 0:
            day = date.fromordinal(day.toordinal() + 1)
            if day.weekday() < 5 and day not in bank:
                days -= 1
        return day

    start = date(2025, 12, 1)
    for offset in range(0, 460, 3):  # December 2025 to early 2027, New Year and Easter included
        day = date.fromordinal(start.toordinal() + offset)
        assert calendar.is_working_day(day) == (day.weekday() < 5 and day not in bank), day
        for days in (0, 1, 2, 3, 10):
            due = calendar.add_working_days(day, days)
            assert due == walk(day, days), (day, days)
            assert calendar.working_days_between(day, due) == days
