"""The figures of a month, counted in the database from index ranges of the month's dates;
working days come from the counts kept on each case, read as a spread for the percentiles."""

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache, lru_cache

from sqlalchemy import (
    Date,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal,
    select,
    union_all,
)

from tracker.cases.codes import (
    Channel,
    ClosureReason,
    ComplaintFinding,
    Outcome,
    PatientResponse,
    Route,
)
from tracker.cases.kept import kept
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.practices.scope import made_once
from tracker.staff.models import Membership, Role, User
from tracker.types import UTCDateTime
from tracker.workdays import start_of_local_day


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None) -> "Month | None":
        try:
            year, month = (int(part) for part in (text or "").split("-"))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return cls(year, month)
        except ValueError:
            pass
        return None

    @classmethod
    def containing(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return self.first_day.strftime("%B %Y")

    @property
    def short_label(self) -> str:
        return self.first_day.strftime("%b %y")

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date.fromordinal(self.next().first_day.toordinal() - 1)

    @property
    def start(self) -> datetime:
        """Midnight at the practice on the first day, as an aware moment."""
        return start_of_local_day(self.first_day)

    @property
    def end(self) -> datetime:
        return self.next().start

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def back(self, months: int) -> "Month":
        found = self
        for _ in range(months):
            found = found.previous()
        return found


def months_between(first: Month, last: Month) -> list[Month]:
    found, current = [], first
    while (current.year, current.month) <= (last.year, last.month):
        found.append(current)
        current = current.next()
    return found


class _AnyMonth:
    """A month whose dates are parameters: the report's statements are built once with it
    (functools.cache below) and run with a month's dates (`_dates_of`), since building them
    afresh on every request cost more than running them.

    The dates are written into the SQL as each statement runs (`literal_execute`), not sent
    as parameters: PostgreSQL cannot tell a month's range from a decade's in a plan made for
    any dates, so it planned each of these statements afresh on every request (a millisecond
    for the reviewers' loads); with the month written in, each month's statements are
    planned once and their plans kept."""

    first_day = bindparam("month_first_day", type_=Date, literal_execute=True)
    last_day = bindparam("month_last_day", type_=Date, literal_execute=True)
    start = bindparam("month_start", type_=UTCDateTime, literal_execute=True)
    end = bindparam("month_end", type_=UTCDateTime, literal_execute=True)


ANY_MONTH = _AnyMonth()


def _dates_of(month: Month) -> dict:
    return {
        "month_first_day": month.first_day,
        "month_last_day": month.last_day,
        "month_start": month.start,
        "month_end": month.end,
    }


def _in_dates(column, month: Month):
    return and_(column >= month.first_day, column <= month.last_day)


def _in_moments(column, month: Month):
    return and_(column >= month.start, column < month.end)


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass
class Durations:
    """Working days from a clock's start to its target event, for the events of a month, kept
    as how many events took each number of days (a month of any size is a few dozen rows)."""

    spread: dict[int, int]
    within_target: int = 0
    targets: tuple[int, ...] = ()  # the targets the events' cases kept, fewest days first

    @classmethod
    def from_rows(cls, rows) -> "Durations":
        """From (days, the case's target, how many) rows."""
        spread: dict[int, int] = {}
        within, targets = 0, set()
        for days, target, n in rows:
            spread[days] = spread.get(days, 0) + n
            targets.add(target)
            if days <= target:
                within += n
        return cls(spread, within, tuple(sorted(targets)))

    @property
    def target_label(self) -> str:
        """ "target 2 days", or the range when the cases kept different targets."""
        if not self.targets:
            return ""
        low, high = self.targets[0], self.targets[-1]
        days = "day" if high == 1 else "days"
        return f"target {low} {days}" if low == high else f"targets {low} to {high} days"

    @property
    def count(self) -> int:
        return sum(self.spread.values())

    def _nth(self, rank: int) -> int:
        """The value at this 1-based rank, counting from the fewest days."""
        seen = 0
        for days in sorted(self.spread):
            seen += self.spread[days]
            if seen >= rank:
                return days
        raise IndexError(rank)

    @property
    def median(self) -> float | int | None:
        count = self.count
        if not count:
            return None
        if count % 2:
            return self._nth(count // 2 + 1)
        return (self._nth(count // 2) + self._nth(count // 2 + 1)) / 2

    @property
    def p90(self) -> int | None:
        """Nearest-rank 90th percentile: the smallest value with at least 90% of values at or below it."""
        count = self.count
        return self._nth(math.ceil(0.9 * count)) if count else None

    @property
    def pct_within_target(self) -> float | None:
        count = self.count
        return round(100 * self.within_target / count, 1) if count else None


@dataclass
class ReviewerLoad:
    name: str
    role: str
    assigned: int
    outcomes: int
    open_at_month_end: int


@dataclass
class MonthFigures:
    month: Month
    received: int = 0
    formal_complaints: int = 0
    urgent: int = 0
    closed: int = 0
    open_at_month_end: int = 0
    pals_referrals: int = 0
    pals_concluded: int = 0
    registered_elsewhere: int = 0
    by_route: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    responses: dict[str, int] = field(default_factory=dict)
    to_assign: Durations | None = None
    to_outcome: Durations | None = None
    reviewers: list[ReviewerLoad] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.received,
                self.closed,
                self.open_at_month_end,
                sum(self.outcomes.values()),
                self.pals_referrals,
            )
        )


def _open_at_end_parts(month: Month):
    """The two halves of "open at month end" (never closed; closed after the month), each
    answered from the closed_at index instead of a pass over every case."""
    received_by_end = Case.received_on <= month.last_day
    return (
        and_(Case.closed_at.is_(None), received_by_end),
        and_(Case.closed_at >= month.end, received_by_end),
    )


def _count_where(*conditions):
    return select(func.count()).select_from(Case).where(*conditions).scalar_subquery()


def counts(month: Month):
    """The month's single-number figures beyond its requests, in one statement; each is a
    count over an index range, so the time taken follows the month's cases, not the ten years'."""
    return db.session.execute(_counts_statement(), _dates_of(month)).one()


# Each statement below is built once and made once (`made_once`): kept to a practice once, so
# a report does not walk its statements again for their cache keys.
@cache
def _counts_statement() -> Select:
    month = ANY_MONTH
    never_closed, closed_after = _open_at_end_parts(month)
    return made_once(
        select(
            _count_where(_in_moments(Case.closed_at, month)).label("closed"),
            (_count_where(never_closed) + _count_where(closed_after)).label("open_at_month_end"),
            _count_where(_in_dates(Case.pals_referred_on, month)).label("pals_referrals"),
            _count_where(_in_dates(Case.pals_response_on, month)).label("pals_concluded"),
            _count_where(
                _in_dates(Case.registered_elsewhere_on, month),
                Case.closure_reason == ClosureReason.REGISTERED_ELSEWHERE,
            ).label("registered_elsewhere"),
        )
    )


def _tally(rows, codes) -> dict[str, int]:
    found = dict.fromkeys((c.value for c in codes), 0)
    for code, n in rows:
        if code is not None:
            found[code] = found.get(code, 0) + n
    return found


def _received(figures: MonthFigures) -> None:
    """Requests received in the month: in all, formal, urgent, by route and by channel, from one
    grouped read of the month's entries in the received_on index."""
    rows = db.session.execute(_received_statement(), _dates_of(figures.month)).all()
    figures.received = sum(n for *_, n in rows)
    figures.formal_complaints = sum(n for _, _, formal, _, n in rows if formal)
    figures.urgent = sum(n for _, _, _, urgent, n in rows if urgent)
    figures.by_route = _tally(((route, n) for route, _, _, _, n in rows), Route)
    figures.by_channel = _tally(((channel, n) for _, channel, _, _, n in rows), Channel)


@cache
def _received_statement() -> Select:
    return made_once(
        select(Case.route_requested, Case.channel, Case.formal_complaint, Case.urgent, func.count())
        .where(_in_dates(Case.received_on, ANY_MONTH))
        .group_by(Case.route_requested, Case.channel, Case.formal_complaint, Case.urgent)
    )


def _outcomes(figures: MonthFigures) -> None:
    """Outcomes recorded in the month, and the patients' responses to them."""
    rows = db.session.execute(_outcomes_statement(), _dates_of(figures.month)).all()
    figures.outcomes = _tally(((outcome, n) for outcome, _, n in rows), Outcome)
    figures.responses = _tally(((response, n) for _, response, n in rows), PatientResponse)


@cache
def _outcomes_statement() -> Select:
    return made_once(
        select(Case.outcome, Case.patient_response, func.count())
        .where(_in_moments(Case.outcome_recorded_at, ANY_MONTH))
        .group_by(Case.outcome, Case.patient_response)
    )


def report_figures(month: Month) -> tuple[MonthFigures, list[tuple[Month, int, int]]]:
    """The monthly report's figures and its trend to the month, counted from the cases' own
    columns and kept until a case changes them (`kept`); the reviewers are named as they are
    now, read each time."""
    figures, points, sums = kept(
        "monthly report",
        month,
        lambda: (month_figures(month, with_assign=True), trend(month), _reviewer_sums(month)),
    )
    figures = replace(figures)  # the kept figures stay as counted
    figures.reviewers = _named(sums)
    return figures, points


def month_figures(month: Month, with_assign: bool = False) -> MonthFigures:
    """The month's figures counted from its cases, with the working days to assignment when
    asked; the reviewers' loads are the monthly report's own (`report_figures`)."""
    figures = MonthFigures(month)
    _received(figures)
    number = counts(month)
    figures.closed = number.closed
    figures.open_at_month_end = number.open_at_month_end
    figures.pals_referrals = number.pals_referrals
    figures.pals_concluded = number.pals_concluded
    figures.registered_elsewhere = number.registered_elsewhere
    _outcomes(figures)
    figures.to_outcome = outcome_durations(month)
    if with_assign:
        figures.to_assign = assign_durations(month)
    return figures


def _durations(days_column, moment_column, month: Month, target_column) -> Durations:
    """Each case is within the target it kept from when it was logged."""
    statement = _durations_statement(days_column, moment_column, target_column)
    return Durations.from_rows(db.session.execute(statement, _dates_of(month)).all())


@cache
def _durations_statement(days_column, moment_column, target_column) -> Select:
    return made_once(
        select(days_column, target_column, func.count())
        .where(_in_moments(moment_column, ANY_MONTH), days_column.is_not(None))
        .group_by(days_column, target_column)
    )


def assign_durations(month: Month) -> Durations:
    """Working days from receipt to first assignment, for the month's first assignments."""
    return _durations(
        Case.working_days_to_assign, Case.first_assigned_at, month, Case.assign_target_days
    )


def outcome_durations(month: Month) -> Durations:
    """Working days from assignment (or reopening) to outcome, for the month's outcomes."""
    return _durations(
        Case.working_days_to_outcome, Case.outcome_recorded_at, month, Case.outcome_target_days
    )


def _reviewer_sums(month: Month) -> list[tuple[int, int, int, int]]:
    """Per reviewer: (reviewer, assigned and outcomes in the month, open at its end), for each
    reviewer with any.
    Only the month's assignments and outcomes and the open cases are read (through indexes),
    then summed."""
    rows = db.session.execute(_reviewer_sums_statement(), _dates_of(month)).all()
    return [tuple(row) for row in rows if any(row[1:])]


def _named(sums: list[tuple[int, int, int, int]]) -> list[ReviewerLoad]:
    """The loads with each reviewer's name and role as they are now, in order of name."""
    if not sums:
        return []
    counted = {reviewer_id: counts for reviewer_id, *counts in sums}
    rows = db.session.execute(_REVIEWERS_NAMED, {"ids": sorted(counted)}).all()
    loads = []
    for reviewer_id, name, role, senior in rows:
        role_label = "GP, senior partner" if senior else Role.label_of(role)
        loads.append(ReviewerLoad(name, role_label, *counted[reviewer_id]))
    return loads


_REVIEWERS_NAMED = made_once(
    select(User.id, User.full_name, Membership.role, Membership.is_senior_partner)
    .outerjoin(Membership, Membership.user_id == User.id)
    .where(User.id.in_(bindparam("ids", expanding=True)))
    .order_by(User.full_name)
)


@cache
def _reviewer_sums_statement() -> Select:
    month = ANY_MONTH
    never_closed, closed_after = _open_at_end_parts(month)

    def part(condition, assigned: int, outcomes: int, still_open: int):
        return select(
            Case.reviewer_id.label("reviewer_id"),
            literal(assigned, Integer).label("assigned"),
            literal(outcomes, Integer).label("outcomes"),
            literal(still_open, Integer).label("still_open"),
        ).where(condition, Case.reviewer_id.is_not(None))

    parts = union_all(
        part(_in_moments(Case.assigned_at, month), 1, 0, 0),
        part(_in_moments(Case.outcome_recorded_at, month), 0, 1, 0),
        part(never_closed, 0, 0, 1),
        part(closed_after, 0, 0, 1),
    ).subquery()
    return made_once(
        select(
            parts.c.reviewer_id,
            func.sum(parts.c.assigned),
            func.sum(parts.c.outcomes),
            func.sum(parts.c.still_open),
        ).group_by(parts.c.reviewer_id)
    )


def trend(last: Month, months: int = 12) -> list[tuple[Month, int, int]]:
    """(month, requests received, outcomes recorded) for the months up to `last`, in one
    statement of index range counts, so it reads only the window's index entries."""
    window = months_between(last.back(months - 1), last)
    values = {}
    for n, month in enumerate(window):
        values.update(
            {
                f"received_from_{n}": month.first_day,
                f"received_to_{n}": month.last_day,
                f"outcomes_from_{n}": month.start,
                f"outcomes_to_{n}": month.end,
            }
        )
    row = db.session.execute(_trend_statement(len(window)), values).one()
    return [(month, row[2 * i], row[2 * i + 1]) for i, month in enumerate(window)]


@lru_cache(maxsize=4)
def _trend_statement(months: int) -> Select:
    """The trend's statement for this many months, built once with its dates as parameters: its
    48 conditions cost more to build on every request than to run."""
    columns = []
    for n in range(months):
        columns.append(
            _count_where(
                Case.received_on >= bindparam(f"received_from_{n}"),
                Case.received_on <= bindparam(f"received_to_{n}"),
            )
        )
        columns.append(
            _count_where(
                Case.outcome_recorded_at >= bindparam(f"outcomes_from_{n}"),
                Case.outcome_recorded_at < bindparam(f"outcomes_to_{n}"),
            )
        )
    return made_once(select(*columns))


# --- the annual return of written complaints (April to March) ------------------------------


@dataclass
class ComplaintsYear:
    year: int
    brought_forward: int
    new: int
    resolved: int
    upheld: int
    partially_upheld: int
    not_upheld: int
    carried_forward: int

    @property
    def label(self) -> str:
        return f"April {self.year} to March {self.year + 1}"


def complaints_year(year: int) -> ComplaintsYear:
    """Formal complaints for the year from 1 April: brought forward, new, resolved by finding, carried forward."""
    first, last = date(year, 4, 1), date(year + 1, 3, 31)
    start, end = start_of_local_day(first), start_of_local_day(date(year + 1, 4, 1))
    open_at = lambda moment, day: and_(  # noqa: E731 - one condition, used twice
        Case.received_on <= day, Case.closed_at.is_(None) | (Case.closed_at >= moment)
    )
    resolved = and_(Case.closed_at >= start, Case.closed_at < end)
    row = db.session.execute(
        select(
            _count_if(open_at(start, date.fromordinal(first.toordinal() - 1))).label(
                "brought_forward"
            ),
            _count_if(and_(Case.received_on >= first, Case.received_on <= last)).label("new"),
            _count_if(resolved).label("resolved"),
            _count_if(and_(resolved, Case.complaint_finding == ComplaintFinding.UPHELD)).label(
                "upheld"
            ),
            _count_if(
                and_(resolved, Case.complaint_finding == ComplaintFinding.PARTIALLY_UPHELD)
            ).label("partially"),
            _count_if(and_(resolved, Case.complaint_finding == ComplaintFinding.NOT_UPHELD)).label(
                "not_upheld"
            ),
            _count_if(open_at(end, last)).label("carried_forward"),
        ).where(Case.formal_complaint.is_(True))
    ).one()
    return ComplaintsYear(
        year,
        row.brought_forward,
        row.new,
        row.resolved,
        row.upheld,
        row.partially,
        row.not_upheld,
        row.carried_forward,
    )
