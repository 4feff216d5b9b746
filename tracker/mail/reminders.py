"""Time-based reminders, run on working days (`tracker send-reminders`, and the worker), for
the targets of tracker.cases.clocks, selected by the same conditions as the queues' filters:

- a formal complaint's acknowledgement due by the next working day, or overdue: the practice
  manager and the reception mailbox;
- an outcome due by the next working day, or overdue: the reviewer;
- PALS to be chased (no response after the case's working days for it): the practice manager,
  once for each referral;
- a formal complaint's final response due by the next working day (the date agreed with the
  complainant), or overdue: the practice manager;
- an improvement action due by the next working day, or overdue: its owner.

Each is written once per case, kind and day, so running the command again sends nothing new.
"""

from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from tracker import clock
from tracker.cases.clocks import ACKNOWLEDGE, OUTCOME, PALS_CHASE, RESPONSE, Target
from tracker.cases.improvement import due_by
from tracker.cases.models import Case
from tracker.cases.notices import notify, practice_managers
from tracker.extensions import db
from tracker.outbox.models import Notice
from tracker.settings.models import load_settings
from tracker.staff.models import User
from tracker.workdays import WorkingCalendar


def practice_calendar() -> WorkingCalendar:
    return WorkingCalendar(load_settings().bank_holiday_region)


def _when(target: Target, case: Case, today: date, next_working_day: date) -> str:
    """The target's status as the case page shows it, or when it falls due."""
    due = target.due_for(case, today)
    if due.status in ("overdue", "due today"):
        return due.status
    if due.due_on == next_working_day and (due.due_on - today).days == 1:
        return "due tomorrow"
    return f"due on {clock.format_date(due.due_on)}"


def _due_soon(
    target: Target,
    notice: Notice,
    recipients: Callable[[Case], list[User | str]],
    subject: str,
    body: str,
    today: date,
    next_working_day: date,
    *conditions,
) -> int:
    """An email about each case whose `target` is due by the next working day, or overdue, to
    its recipients, once a day; `{when}` in the subject and body says when. Returns how many
    were queued."""
    cases = db.session.scalars(
        select(Case)
        .where(target.due_by(next_working_day), *conditions)
        .order_by(target.due, Case.id)
    )
    queued = 0
    for case in cases:
        when = _when(target, case, today, next_working_day)
        queued += len(
            notify(
                notice,
                case,
                recipients(case),
                f"{subject.format(when=when)}: {case.reference}",
                body.format(when=when),
                due=f"{target.name} by {clock.format_date(target.due_on(case))}",
                dedupe_key=f"{notice}:{case.id}:{today.isoformat()}",
            )
        )
    return queued


def send_reminders(today: date | None = None) -> int:
    """Queue today's reminders (none on a weekend or bank holiday); returns how many rows."""
    today = today or clock.today_london()
    calendar = practice_calendar()
    if not calendar.is_working_day(today):
        return 0
    next_working_day = calendar.add_working_days(today, 1)
    settings = load_settings()
    queued = 0

    office: list[User | str] = [*practice_managers()]
    if settings.reception_mailbox:
        office.append(settings.reception_mailbox)
    queued += _due_soon(
        ACKNOWLEDGE,
        Notice.ACKNOWLEDGEMENT_DUE,
        lambda case: office,
        "Complaint acknowledgement {when}",
        "The acknowledgement of this formal complaint is {when}.",
        today,
        next_working_day,
    )
    queued += _due_soon(
        OUTCOME,
        Notice.OUTCOME_DUE,
        lambda case: [case.reviewer],
        "Outcome {when}",
        "The outcome of your review of this case is {when}.",
        today,
        next_working_day,
        Case.reviewer_id.is_not(None),
    )

    managers = practice_managers()
    waiting = db.session.scalars(
        select(Case).where(PALS_CHASE.due_by(today)).order_by(PALS_CHASE.due, Case.id)
    )
    for case in waiting:
        silent = calendar.working_days_between(case.pals_referred_on, today)
        queued += len(
            notify(
                Notice.PALS_NO_RESPONSE,
                case,
                managers,
                f"No response from PALS after {silent} working days: {case.reference}",
                f"The case was referred to PALS on {clock.format_date(case.pals_referred_on)} and no response is recorded.",
                due="",
                dedupe_key=f"{Notice.PALS_NO_RESPONSE}:{case.id}:{case.pals_referred_on.isoformat()}",
            )
        )
    queued += _due_soon(
        RESPONSE,
        Notice.RESPONSE_DUE,
        lambda case: managers,
        "Final response {when}",
        "The final response to this formal complaint, on the date agreed with the "
        "complainant, is {when}.",
        today,
        next_working_day,
    )

    for action in due_by(next_working_day):
        if action.due_on < today:
            when = "overdue"
        elif action.due_on == today:
            when = "due today"
        else:
            when = "due tomorrow" if (action.due_on - today).days == 1 else "due soon"
        queued += len(
            notify(
                Notice.ACTION_DUE,
                action.case,
                [action.owner],
                f"Improvement action {when}: {action.case.reference}",
                f"An improvement action you own, raised from this case, is {when}. Its words "
                "are in the tracker, under Actions.",
                due=f"Improvement action due by {clock.format_date(action.due_on)}",
                dedupe_key=f"{Notice.ACTION_DUE}:{action.id}:{today.isoformat()}",
            )
        )
    return queued
