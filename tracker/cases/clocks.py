"""The targets each case is measured against, each described once as data (TARGETS), and what
is made from them: the due dates and their status on the case page and in a queue's rows, the
SQL conditions behind the queues' filters, counts and order, the daily summaries and the
reminders; and the practice's targets now (for new cases, and for the pages that name them).

A target's due date is kept on the case (`models.keep_clock_dates`, from the targets in force
when the case was logged); it waits to be met while the case is in one of its stages and the
column that ends it is empty.
"""

from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from typing import Any

from sqlalchemy import ColumnElement, Date, and_, case, false, func, literal, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.functions import GenericFunction

from tracker import clock
from tracker.cases.models import OPEN_CASE_IN_SQL, Case
from tracker.cases.workflow import OPEN_STAGES, Stage
from tracker.settings.models import Practice, load_settings
from tracker.types import codes_in_sql
from tracker.workdays import local_date

AWAITING_OUTCOME = frozenset({Stage.ASSIGNED, Stage.IN_REVIEW})


@dataclass(frozen=True)
class Targets:
    assign_days: int
    acknowledge_days: int
    outcome_days: int

    @classmethod
    def from_settings(cls, settings: Practice) -> "Targets":
        return cls(
            settings.assign_target_days,
            settings.acknowledge_target_days,
            settings.outcome_target_days,
        )


def current_targets() -> Targets:
    """The targets in the practice's settings now."""
    return Targets.from_settings(load_settings())


@dataclass(frozen=True)
class Due:
    """One target on one case: when it is due, and when (if ever) it was met."""

    name: str
    due_on: date
    done_on: date | None
    today: date
    case_open: bool = True  # still waiting to be met: the case is in one of the target's stages

    @property
    def status(self) -> str:
        if self.done_on is not None:
            return "met" if self.done_on <= self.due_on else "met late"
        if not self.case_open:
            return "not met"
        if self.due_on < self.today:
            return "overdue"
        if self.due_on == self.today:
            return "due today"
        return "due"

    @property
    def pending(self) -> bool:
        return self.done_on is None and self.case_open

    @property
    def met(self) -> bool | None:
        return None if self.done_on is None else self.done_on <= self.due_on


@dataclass(frozen=True)
class Target:
    """A target: the due date the case keeps for it, the column whose value meets it, the
    stages in which it waits to be met, and (for some) the flag that makes it apply at all."""

    key: str
    name: str  # on the case page and in a queue row's "next due"
    due: InstrumentedAttribute  # the date the case keeps (empty when the target never started)
    done: InstrumentedAttribute  # a date or a moment: the target is met once it is set
    stages: frozenset[Stage]  # the stages in which it waits to be met
    applies: InstrumentedAttribute | None = None  # only cases with this flag set
    # Once the case has left those stages without meeting it: shown as "Not met" (a target the
    # patient was owed whatever happened next), or not shown (a step the case no longer needed).
    unmet_shown: bool = True

    # --- on one case (a Case, or a queue row with the same names) ---------------------------

    def due_on(self, item: Any) -> date | None:
        if self.applies is not None and not getattr(item, self.applies.key):
            return None
        return getattr(item, self.due.key)

    def done_on(self, item: Any) -> date | None:
        value = getattr(item, self.done.key)
        return None if value is None else local_date(value)  # a moment: the practice's date

    def waiting(self, item: Any) -> bool:
        """Not met yet, and the case in one of the target's stages."""
        return (
            self.due_on(item) is not None
            and self.done_on(item) is None
            and item.stage in self.stages
        )

    def due_for(self, item: Any, today: date) -> Due | None:
        """How the target stands on this case today, or None when it is not shown."""
        due_on = self.due_on(item)
        if due_on is None:
            return None
        done_on = self.done_on(item)
        waiting = done_on is None and item.stage in self.stages
        if done_on is None and not waiting and not self.unmet_shown:
            return None
        return Due(self.name, due_on, done_on, today, waiting)

    # --- the same, as SQL conditions on cases ------------------------------------------------

    @cached_property  # an expression without parameters: built once, used by every query
    def waiting_condition(self) -> ColumnElement[bool]:
        if self.stages == OPEN_STAGES:
            in_stage = OPEN_CASE_IN_SQL
        elif len(self.stages) == 1:
            in_stage = Case.stage == codes_in_sql(self.stages)[0]
        else:
            in_stage = Case.stage.in_(codes_in_sql(self.stages))
        parts = [in_stage, self.done.is_(None), self.due.is_not(None)]
        if self.applies is not None:
            parts.append(self.applies.is_(True))
        return and_(*parts)

    def due_before(self, day: date) -> ColumnElement[bool]:
        """Waiting, and due before this day (overdue on it)."""
        return and_(self.waiting_condition, self.due < day)

    def due_by(self, day: date) -> ColumnElement[bool]:
        """Waiting, and due on or before this day."""
        return and_(self.waiting_condition, self.due <= day)

    def due_on_day(self, day: date) -> ColumnElement[bool]:
        """Waiting, and due on this very day."""
        return and_(self.waiting_condition, self.due == day)

    def next_due(self) -> ColumnElement[date]:
        """The due date while waiting, otherwise none."""
        return case((self.waiting_condition, self.due), else_=None)


DUTY_DOCTOR = Target(
    "duty_doctor",
    "Tell the duty doctor",
    Case.duty_doctor_due_on,
    Case.duty_doctor_told_at,
    OPEN_STAGES,
    applies=Case.urgent,
)
ASSIGN = Target(
    "assign",
    "Assign a reviewer",
    Case.assign_due_on,
    Case.first_assigned_at,
    frozenset({Stage.LOGGED}),
    unmet_shown=False,
)
ACKNOWLEDGE = Target(
    "acknowledge",
    "Acknowledge the complaint",
    Case.acknowledge_due_on,
    Case.acknowledged_on,
    OPEN_STAGES,
    applies=Case.formal_complaint,
)
OUTCOME = Target(
    "outcome",
    "Record the outcome",
    Case.outcome_due_on,
    Case.outcome_recorded_at,
    AWAITING_OUTCOME,
    unmet_shown=False,
)
PALS_CHASE = Target(
    "pals_chase",
    "Chase PALS if no response",
    Case.pals_chase_due_on,
    Case.pals_response_on,
    OPEN_STAGES,
    unmet_shown=False,
)
CALLBACK = Target(
    "callback",
    "Call back",
    Case.callback_due_on,
    Case.callback_done_at,
    OPEN_STAGES,
    unmet_shown=False,
)
RESPONSE = Target(
    "response",
    "Send the final response",
    Case.response_due_on,
    Case.response_sent_on,  # set by sending the final response letter
    OPEN_STAGES,
    applies=Case.formal_complaint,
    unmet_shown=False,  # a complaint withdrawn before it is answered needs no response
)
# In the order they come on a case.
TARGETS: tuple[Target, ...] = (
    DUTY_DOCTOR,
    ASSIGN,
    ACKNOWLEDGE,
    OUTCOME,
    PALS_CHASE,
    CALLBACK,
    RESPONSE,
)
# What a queue row reads to show its due dates.
COLUMNS = tuple(
    dict.fromkeys(
        column
        for target in TARGETS
        for column in (target.due, target.done, *([target.applies] if target.applies else []))
    )
)


def due_dates(item: Any, today: date | None = None) -> list[Due]:
    """The targets shown for this case (or queue row), in the order they come, with the due
    dates the case keeps."""
    today = today or clock.today_london()
    return [due for target in TARGETS if (due := target.due_for(item, today)) is not None]


def is_overdue(dues: list[Due]) -> bool:
    return any(due.pending and due.status == "overdue" for due in dues)


@dataclass(frozen=True)
class RowState:
    """What a queue row shows of a case's due dates: its tags and the next target."""

    overdue: bool
    due_today: bool
    next: Due | None


def row_state(dues: list[Due]) -> RowState:
    pending = [due for due in dues if due.pending]
    statuses = {due.status for due in pending}
    upcoming = min(pending, key=lambda due: due.due_on) if pending else None
    return RowState("overdue" in statuses, "due today" in statuses, upcoming)


# --- for filters, counts and order ---------------------------------------------------------


def overdue_condition(today: date) -> ColumnElement[bool]:
    """Open cases with a target waiting past its due date."""
    return or_(*(target.due_before(today) for target in TARGETS))


def due_today_condition(today: date) -> ColumnElement[bool]:
    """Open cases with a target waiting that is due today."""
    parts = [target.due_on_day(today) for target in TARGETS]
    return or_(*parts) if parts else false()


def triage_overdue_condition(today: date) -> ColumnElement[bool]:
    """Logged cases waiting past the assignment target."""
    return ASSIGN.due_before(today)


class earliest(GenericFunction):
    """The earliest of some dates: LEAST on PostgreSQL, the scalar min() on SQLite."""

    type = Date()
    name = "least"
    inherit_cache = True


@compiles(earliest, "sqlite")
def _earliest_on_sqlite(element, compiler, **kw) -> str:
    return f"min({compiler.process(element.clauses, **kw)})"


@cache  # an expression without parameters: built once, used by every queue and home page
def next_due_order() -> ColumnElement[date]:
    """The earliest due date of a case's waiting targets (the row's "next due"; overdue cases
    come first), and cases with none last: a queue's "most overdue first"."""
    never = literal(date.max, Date)
    return earliest(*(func.coalesce(target.next_due(), never) for target in TARGETS))
