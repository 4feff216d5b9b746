"""The queries behind the queues: a fixed number of statements whatever the number of cases."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache
from types import MappingProxyType

from sqlalchemy import Select, and_, bindparam, case, false, func, or_, select
from sqlalchemy.orm import aliased

from tracker import clock
from tracker.cases import clocks
from tracker.cases.kept import kept
from tracker.cases.models import OPEN_CASE_IN_SQL, Case, CaseNameWord, format_nhs_number
from tracker.cases.workflow import OPEN_STAGES, Stage
from tracker.extensions import db
from tracker.names import after_prefix, search_words
from tracker.practices.scope import chosen_practice_id, made_once
from tracker.staff.models import Role, User, works_as
from tracker.types import number_in_sql
from tracker.workdays import start_of_local_day

PAGE_SIZE = 25
REFERENCE = re.compile(r"^SO-?(\d{4})-?(\d{1,6})$", re.IGNORECASE)


@dataclass(slots=True)
class QueueCase:
    """A case as a queue row shows it: the columns the row and its due dates read, and the
    reviewer's name, read as plain values (a queue shows fifty rows; whole cases cost four
    times as much to read)."""

    id: int
    reference: str
    stage: str
    patient_name: str
    nhs_number: str | None
    received_on: date
    urgent: bool
    formal_complaint: bool
    reviewer_id: int | None
    first_assigned_at: datetime | None
    acknowledged_on: date | None
    outcome_clock_from: datetime | None
    outcome_recorded_at: datetime | None
    assign_due_on: date | None
    acknowledge_due_on: date | None
    outcome_due_on: date | None
    duty_doctor_due_on: date | None
    duty_doctor_told_at: datetime | None
    pals_chase_due_on: date | None
    pals_response_on: date | None
    callback_due_on: date | None
    callback_done_at: datetime | None
    response_due_on: date | None
    response_sent_on: date | None
    reviewer_name: str | None
    reviewer_active: bool | None

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)


ROW_FIELDS = (
    Case.id,
    Case.reference,
    Case.stage,
    Case.patient_name,
    Case.nhs_number,
    Case.received_on,
    Case.urgent,
    Case.formal_complaint,
    Case.reviewer_id,
    Case.first_assigned_at,
    Case.acknowledged_on,
    Case.outcome_clock_from,
    Case.outcome_recorded_at,
    Case.assign_due_on,
    Case.acknowledge_due_on,
    Case.outcome_due_on,
    Case.duty_doctor_due_on,
    Case.duty_doctor_told_at,
    Case.pals_chase_due_on,
    Case.pals_response_on,
    Case.callback_due_on,
    Case.callback_done_at,
    Case.response_due_on,
    Case.response_sent_on,
)


# Made once: a new alias on every request costs more than the query it joins (its columns are
# copied afresh each time).
REVIEWER = aliased(User, name="reviewer")


def _queue_rows(query: Select, *more):
    """A query on cases (its conditions, order and limit) reading a queue row's columns, the
    reviewer's name, and `more` after them."""
    return query.with_only_columns(
        *ROW_FIELDS, REVIEWER.full_name, REVIEWER.active, *more
    ).outerjoin_from(Case, REVIEWER, REVIEWER.id == Case.reviewer_id)


def _unnamed_rows(query: Select, *more):
    """As `_queue_rows`, without the reviewer's name: for rows kept between requests, whose
    reviewers are named as they are now (`_named_now`)."""
    return query.with_only_columns(*ROW_FIELDS, *more)


REVIEWER_NAMES = made_once(
    select(User.id, User.full_name, User.active).where(
        User.id.in_(bindparam("ids", expanding=True))
    )
)


def _named_now(cases: list[QueueCase], user: User) -> list[QueueCase]:
    """Copies of the rows with each reviewer's name and whether they are active as they are
    now: the person asking's from their own account, read for this request; anyone else's
    read in one statement, when there is anyone else."""
    known = {user.id: (user.full_name, user.active)}
    others = {case.reviewer_id for case in cases} - known.keys() - {None}
    if others:
        found = db.session.execute(REVIEWER_NAMES, {"ids": sorted(others)})
        known.update((person, (name, active)) for person, name, active in found)
    return [
        replace(case, reviewer_name=name, reviewer_active=active)
        for case in cases
        for name, active in [known.get(case.reviewer_id, (None, None))]
    ]


def queue_cases(query: Select) -> list[QueueCase]:
    """The rows of a query on cases (its conditions, order and limit), with reviewers' names."""
    return _rows_of(_queue_rows(query))


def _rows_of(statement: Select, params: dict | None = None) -> list[QueueCase]:
    """The queue rows a statement reading a row's columns (see `_queue_rows`) finds."""
    return [QueueCase(*row) for row in db.session.execute(statement, params)]


SORTS = {
    "urgent": "Urgent first, then oldest",
    "oldest": "Oldest received first",
    "newest": "Newest received first",
    "name": "Patient name",
    "reference": "Reference",
}


# A page number beyond any practice's queue (a link typed by hand): read as this, so the page's
# offset stays a number the database takes; the queue then shows its last page.
LAST_PAGE_ASKED = 100_000


@dataclass
class QueueFilters:
    stage: str = ""
    reviewer: str = ""
    route: str = ""
    overdue: bool = False
    due_today: bool = False
    urgent: bool = False
    formal: bool = False
    q: str = ""
    sort: str = "urgent"
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "QueueFilters":
        def flag(name: str) -> bool:
            return args.get(name, "") in ("1", "y", "yes", "on", "true")

        try:
            page = min(max(1, int(args.get("page", 1))), LAST_PAGE_ASKED)
        except ValueError:
            page = 1
        sort = args.get("sort", "urgent")
        return cls(
            stage=args.get("stage", "") if args.get("stage", "") in set(Stage) else "",
            reviewer=args.get("reviewer", "")
            if re.fullmatch(r"[0-9]{1,9}|none|left", args.get("reviewer", ""))
            else "",
            route=args.get("route", "").strip(),
            overdue=flag("overdue"),
            due_today=flag("due_today"),
            urgent=flag("urgent"),
            formal=flag("formal"),
            q=args.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else "urgent",
            page=page,
        )

    def as_args(self, **changes) -> dict[str, str]:
        """The filters as URL parameters (defaults left out), so a view can be bookmarked."""
        values = {**self.__dict__, **changes}
        args = {}
        for name in ("stage", "reviewer", "route", "q"):
            if values[name]:
                args[name] = values[name]
        for name in ("overdue", "due_today", "urgent", "formal"):
            if values[name]:
                args[name] = "1"
        if values["sort"] != "urgent":
            args["sort"] = values["sort"]
        if values["page"] != 1:
            args["page"] = str(values["page"])
        return args

    @property
    def active(self) -> bool:
        return bool(self.as_args(sort="urgent", page=1))


@lru_cache(maxsize=16)
def _word_tables(count: int) -> tuple:
    """The name words' table under `count` names, made once for each number of words typed: a
    new alias on every search cost more than reading the index."""
    return tuple(CaseNameWord.__table__.alias(f"word_{n}") for n in range(count))


def birth_date(text: str) -> date | None:
    """A date of birth as staff type it: 15/3/1984, 15-03-1984, 15.3.1984, 15 3 1984 or
    1984-03-15; None when the text is not one."""
    match = BIRTH_DATE.fullmatch(text.strip())
    if not match:
        return None
    day, month, year = (
        (match["d"], match["m"], match["y"])
        if match["d"]
        else (match["d2"], match["m2"], match["y2"])
    )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


BIRTH_DATE = re.compile(
    r"(?P<d>\d{1,2})[/.\- ](?P<m>\d{1,2})[/.\- ](?P<y>\d{4})"
    r"|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})"
)
# A case's number alone ("61" for SO-2026-0061) is looked for among the years cases were logged.
FIRST_YEAR = 2000


def search_condition(text: str):
    """Reference (whole, or the case's number alone), NHS number (with or without spaces, or
    its first digits), date of birth, or the patient's name: every word typed must start a
    word of the name, in any order, whatever the case, accents, apostrophes or hyphens. Each
    is read from an index range."""
    match = REFERENCE.match(text.replace(" ", ""))
    if match:
        return Case.reference == f"SO-{match.group(1)}-{int(match.group(2)):04d}"
    born = birth_date(text)
    if born is not None:
        return Case.date_of_birth == born
    digits = text.replace(" ", "")
    if digits.isdigit():
        if len(digits) >= 10:
            return Case.nhs_number == digits
        prefix = and_(Case.nhs_number >= digits, Case.nhs_number < after_prefix(digits))
        if len(digits) > 6 or int(digits) == 0:
            return prefix
        numbered = [
            f"SO-{year}-{int(digits):04d}"
            for year in range(FIRST_YEAR, clock.today_london().year + 1)
        ]
        return or_(prefix, Case.reference.in_(numbered))
    words = search_words(text)
    if not words:
        return false()
    # One statement over the words: the first word's index range joined, case by case, with
    # each other word's, so the planner sees how few cases have them all before it reads any.
    # The words are the practice's own, like its cases: each table is read within it.
    practice = chosen_practice_id()
    if practice is None:
        return false()
    tables = _word_tables(len(words))
    first = tables[0]
    matches = select(first.c.case_id).where(
        first.c.practice_id == practice,
        first.c.word >= words[0],
        first.c.word < after_prefix(words[0]),
    )
    for table, typed in zip(tables[1:], words[1:], strict=True):
        matches = matches.join(
            table, and_(table.c.practice_id == practice, table.c.case_id == first.c.case_id)
        ).where(table.c.word >= typed, table.c.word < after_prefix(typed))
    # Read the matching cases once, so the count and the page look them up by id; a search
    # that matches very many (a single letter) reads them where it needs them instead.
    found = db.session.scalars(
        matches.distinct().limit(number_in_sql(NAME_MATCHES_LISTED + 1))
    ).all()
    if len(found) > NAME_MATCHES_LISTED:
        return Case.id.in_(matches)
    return Case.id.in_(found) if found else false()


NAME_MATCHES_LISTED = 1000


def straight_to(text: str) -> str | None:
    """The reference of the one case an exact reference or a full NHS number names, if any."""
    match = REFERENCE.match(text.replace(" ", ""))
    digits = text.replace(" ", "")
    if not match and not (digits.isdigit() and len(digits) == 10):
        return None
    found = db.session.scalars(
        select(Case.reference).where(search_condition(text)).limit(number_in_sql(2))
    ).all()
    return found[0] if len(found) == 1 else None


def filtered(filters: QueueFilters, today: date) -> Select:
    query = select(Case)
    if filters.stage:
        query = query.where(Case.stage == filters.stage)
    elif not filters.q:
        # "Not closed" written into the SQL: without it SQLite's planner, which sees six
        # stages of equal size, would rather walk a route's ten years of cases than the open
        # ones in their own index.
        query = query.where(OPEN_CASE_IN_SQL)
    if filters.reviewer == "none":
        query = query.where(Case.reviewer_id.is_(None))
    elif filters.reviewer == "left":
        query = query.where(Case.reviewer_id.in_(select(User.id).where(User.active.is_(False))))
    elif filters.reviewer:
        query = query.where(Case.reviewer_id == int(filters.reviewer))
    if filters.route:
        query = query.where(Case.route_requested == filters.route)
    if filters.urgent:
        query = query.where(Case.urgent.is_(True))
    if filters.formal:
        query = query.where(Case.formal_complaint.is_(True))
    if filters.overdue:
        query = query.where(clocks.overdue_condition(today))
    if filters.due_today:
        query = query.where(clocks.due_today_condition(today))
    if filters.q:
        query = query.where(search_condition(filters.q))
    return query


def ordered(query: Select, sort: str) -> Select:
    orders = {
        "urgent": (Case.urgent.desc(), Case.received_on, Case.id),
        "oldest": (Case.received_on, Case.id),
        "newest": (Case.received_on.desc(), Case.id.desc()),
        "name": (func.lower(Case.patient_name), Case.id),
        "reference": (Case.year, Case.sequence),
    }
    return query.order_by(*orders[sort])


@dataclass
class QueuePage:
    cases: list[QueueCase]
    total: int
    page: int
    pages: int
    stage_counts: dict[str, int] = field(default_factory=dict)


def practice_queue(filters: QueueFilters, today: date, counts: "OpenCounts") -> QueuePage:
    """One page of the practice queue, in one statement: unfiltered, every open case is
    counted already; filtered or searched, the page's rows carry how many match (a window
    over the rows found). A page past the last (an old link) is counted and the last page
    shown."""
    query = ordered(filtered(filters, today), filters.sort)
    if not filters.active:
        total = counts.open
        page = min(filters.page, _pages(total))
        return QueuePage(_page_of(query, page), total, page, _pages(total))
    found = db.session.execute(
        _queue_rows(_page_query(query, filters.page), func.count().over())
    ).all()
    if found or filters.page == 1:
        total = found[0][-1] if found else 0
        return QueuePage(
            [QueueCase(*row[:-1]) for row in found], total, filters.page, _pages(total)
        )
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = min(filters.page, _pages(total))
    rows = _page_of(query, page) if total else []
    return QueuePage(rows, total, page, _pages(total))


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def _page_query(query: Select, page: int) -> Select:
    # The limit written in (see `number_in_sql`), and the offset of the first pages, the ones
    # staff turn to: each written offset is a statement of its own, so a page further on
    # passes its offset as a parameter (and is planned afresh), and the statements stay few.
    offset = (page - 1) * PAGE_SIZE
    written = number_in_sql(offset) if page <= PAGES_WRITTEN_IN else offset
    return query.limit(number_in_sql(PAGE_SIZE)).offset(written)


PAGES_WRITTEN_IN = 10


def _page_of(query: Select, page: int) -> list[QueueCase]:
    return queue_cases(_page_query(query, page))


@dataclass(frozen=True)
class OpenCounts:
    """The open cases in each stage, and how many of them are assigned to the person asking."""

    by_stage: Mapping[str, int]
    mine: int

    @property
    def open(self) -> int:
        return sum(self.by_stage.values())


def is_theirs(visiting: bool):
    """A case is the person's own (`user_id`, bound when run): they review it, or a call-back
    on it waits for them (for a GP of another practice visiting as a reviewer, the cases given
    to them alone)."""
    someone = bindparam("user_id")
    if visiting:
        return Case.reviewer_id == someone
    return or_(
        Case.reviewer_id == someone,
        and_(Case.callback_owner_id == someone, clocks.CALLBACK.waiting_condition),
    )


def _open_counts(visiting: bool) -> Select:
    theirs = func.coalesce(func.sum(case((is_theirs(visiting), 1), else_=0)), 0)
    return made_once(
        select(Case.stage, func.count(), theirs).where(OPEN_CASE_IN_SQL).group_by(Case.stage)
    )


def _my_cases(visiting: bool) -> Select:
    # Urgent first, then by the next due date of each case's waiting targets (so the overdue
    # come first, the most overdue at the top), then the oldest; and how many there are.
    query = (
        select(Case)
        .where(is_theirs(visiting), OPEN_CASE_IN_SQL)
        .order_by(Case.urgent.desc(), clocks.next_due_order(), Case.received_on, Case.id)
        .limit(number_in_sql(MY_CASES_SHOWN))
    )
    return made_once(_unnamed_rows(query)), made_once(_unnamed_rows(query, func.count().over()))


def open_counts(user: User) -> OpenCounts:
    """Open cases in each stage, and the person's own, in one GROUP BY; kept until the
    practice's cases change (`kept`)."""
    visiting = user.role == Role.VISITING_GP
    return kept("open cases by stage", (visiting, user.id), lambda: _counted(visiting, user.id))


def _counted(visiting: bool, user_id: int) -> OpenCounts:
    rows = db.session.execute(OPEN_COUNTS[visiting], {"user_id": user_id}).all()
    by_stage = dict.fromkeys((stage.value for stage in Stage if stage in OPEN_STAGES), 0)
    by_stage.update({stage: count for stage, count, _ in rows})
    # Kept and shared between requests: read-only.
    return OpenCounts(MappingProxyType(by_stage), sum(mine for _, _, mine in rows))


MY_CASES_SHOWN = 25


class MyCases(list):
    """The most urgent of a person's open cases (at most MY_CASES_SHOWN), with how many they
    have in all; the practice queue filtered to them lists the rest."""

    def __init__(self, items, total: int):
        super().__init__(items)
        self.total = total

    @property
    def more(self) -> int:
        return self.total - len(self)


def my_cases(user: User, today: date, counts: OpenCounts | None = None) -> MyCases:
    """Open cases assigned to this person or waiting for their call-back, most urgent and most
    overdue first: one page of rows with how many there are in all (unless the open cases are
    counted already), so a busy reviewer's list costs the same as a quiet one's; kept until
    the practice's cases change (`kept`), their reviewers named as they are now."""
    visiting = user.role == Role.VISITING_GP
    rows, counted = MY_CASES[visiting]
    whose = {"user_id": user.id}
    if counts is not None:
        cases = kept("my cases", (visiting, user.id), lambda: _unnamed(rows, whose))
        total = counts.mine
    else:
        cases, total = kept("my cases, counted", (visiting, user.id), lambda: _mine(counted, whose))
    named = _named_now(cases, user)
    return MyCases([(case, clocks.due_dates(case, today)) for case in named], total)


def _unnamed(statement: Select, params: dict) -> list[QueueCase]:
    return [QueueCase(*row, None, None) for row in db.session.execute(statement, params)]


def _mine(counted: Select, params: dict) -> tuple[list[QueueCase], int]:
    found = db.session.execute(counted, params).all()
    return [QueueCase(*row[:-1], None, None) for row in found], found[0][-1] if found else 0


# Made once (see `made_once`), for a person visiting from another practice and for the rest.
OPEN_COUNTS = {visiting: _open_counts(visiting) for visiting in (False, True)}
MY_CASES = {visiting: _my_cases(visiting) for visiting in (False, True)}
REVIEWERS = made_once(
    select(User.id, User.full_name, User.active)
    .where(works_as(Role.GP, Role.PRACTICE_MANAGER))
    .order_by(User.active.desc(), User.full_name)
)


def reviewers() -> list:
    """The people the queue can be filtered by (id, full name, active), those who left last:
    plain rows, not accounts with their roles, as the filter shows only these."""
    return db.session.execute(REVIEWERS).all()


# Made once (see `made_once`): the home pages ask on every request.
NEW_TODAY = made_once(
    _queue_rows(
        select(Case)
        .where(Case.created_at >= bindparam("start_of_day"))
        .order_by(Case.created_at.desc())
        .limit(number_in_sql(50))
    )
)
WAITING_FOR_TRIAGE = made_once(
    _queue_rows(
        select(Case)
        .where(clocks.triage_overdue_condition(bindparam("today")))
        .order_by(Case.urgent.desc(), Case.received_on, Case.id)
        .limit(number_in_sql(100))
    )
)


def new_today(today: date) -> list[QueueCase]:
    """Requests logged today in the practice."""
    return _rows_of(NEW_TODAY, {"start_of_day": start_of_local_day(today)})


def waiting_for_triage(today: date) -> list[QueueCase]:
    """Logged requests past the assignment target, oldest first."""
    return _rows_of(WAITING_FOR_TRIAGE, {"today": today})
