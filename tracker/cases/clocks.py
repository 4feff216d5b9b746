"""Due dates for each case, kept on the case from the targets in force when it was logged,
and the practice's targets now (for new cases, and for the pages that name them)."""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, and_, false, or_

from tracker import clock
from tracker.cases.models import Case
from tracker.cases.workflow import Stage
from tracker.settings.models import PracticeSettings, load_settings
from tracker.workdays import local_date

AWAITING_OUTCOME = (Stage.ASSIGNED, Stage.IN_REVIEW)


@dataclass(frozen=True)
class Targets:
    assign_days: int
    acknowledge_days: int
    outcome_days: int

    @classmethod
    def from_settings(cls, settings: PracticeSettings) -> "Targets":
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
    case_open: bool = True

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


def due_dates(case: Case, today: date | None = None) -> list[Due]:
    """The targets that apply to this case, in the order they come, with the due dates the
    case keeps (from the targets in force when it was logged)."""
    today = today or clock.today_london()
    is_open = case.stage != Stage.CLOSED
    found = []
    if case.duty_doctor_due_on is not None:
        told_on = local_date(case.duty_doctor_told_at) if case.duty_doctor_told_at else None
        found.append(Due("Tell the duty doctor", case.duty_doctor_due_on, told_on, today, is_open))
    assigned_on = local_date(case.first_assigned_at) if case.first_assigned_at else None
    if assigned_on is not None or case.stage == Stage.LOGGED:
        found.append(Due("Assign a reviewer", case.assign_due_on, assigned_on, today))
    if case.formal_complaint:
        found.append(
            Due(
                "Acknowledge the complaint",
                case.acknowledge_due_on,
                case.acknowledged_on,
                today,
                is_open,
            )
        )
    if case.outcome_due_on is not None and (
        case.outcome_recorded_at or case.stage in AWAITING_OUTCOME
    ):
        found.append(
            Due(
                "Record the outcome",
                case.outcome_due_on,
                local_date(case.outcome_recorded_at) if case.outcome_recorded_at else None,
                today,
                is_open,
            )
        )
    return found


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


# --- the same rules as SQL conditions, for filters and counts -------------------------------


def _pending_conditions(before: date) -> list[ColumnElement[bool]]:
    """Open cases with a target not met whose due date is before `before`."""
    return [
        and_(
            Case.stage == Stage.LOGGED,
            Case.first_assigned_at.is_(None),
            Case.assign_due_on < before,
        ),
        and_(
            Case.stage != Stage.CLOSED,
            Case.formal_complaint.is_(True),
            Case.acknowledged_on.is_(None),
            Case.acknowledge_due_on < before,
        ),
        and_(Case.stage.in_(AWAITING_OUTCOME), Case.outcome_due_on < before),
        and_(
            Case.stage != Stage.CLOSED,
            Case.duty_doctor_told_at.is_(None),
            Case.duty_doctor_due_on < before,
        ),
    ]


def overdue_condition(today: date) -> ColumnElement[bool]:
    """Open cases with any target past its due date."""
    return or_(*_pending_conditions(today))


def due_today_condition(today: date) -> ColumnElement[bool]:
    """Open cases with a target due today."""
    due_by_today = _pending_conditions(today + timedelta(days=1))
    overdue = _pending_conditions(today)
    parts = [and_(due, ~late) for due, late in zip(due_by_today, overdue, strict=True)]
    return or_(*parts) if parts else false()


def triage_overdue_condition(today: date) -> ColumnElement[bool]:
    """Logged cases waiting past the assignment target."""
    return _pending_conditions(today)[0]
