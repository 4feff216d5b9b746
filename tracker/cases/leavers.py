"""A leaver: their account stops signing in and each of their open cases is handed on to
someone else with the reason, in one transaction, so no open case keeps a reviewer who left.

The hand-ons go through `cases.actions.perform` like any action, after the account is closed:
the new reviewer is told, and the leaver, whose account no longer receives mail, is not.
"""

from dataclasses import dataclass, field

from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.cases.actions import perform
from tracker.cases.models import Case
from tracker.cases.reviewers import why_no_reviewer
from tracker.cases.workflow import Action
from tracker.extensions import db
from tracker.staff import services
from tracker.staff.models import User


@dataclass
class LeaverCase:
    """One of a leaver's open cases: who takes it on (an account id, as chosen), and any
    problem with that choice."""

    case: Case
    chosen: str = ""
    problem: str | None = None
    choices: list[tuple[str, str]] = field(default_factory=list)
    # Why no one the patient's request names can take it; then anyone who did not give the
    # first opinion may, and the hand-on records why (the reason given).
    no_one_asked: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.no_one_asked = why_no_reviewer(self.case)


def deactivate_and_hand_on(leaver: User, by: User, cases: list[LeaverCase], reason: str) -> None:
    """Close the leaver's account (or, for someone who works in other practices too, end their
    role in this one) and hand each of their open cases here on with the reason, each hand-on
    and the leaving audited. Raises StaffError or CaseError (nothing is kept: the caller rolls
    back); the caller commits."""
    elsewhere = services.works_elsewhere(leaver)
    if elsewhere:
        services.leave_practice(leaver, by=by)
    else:
        services.deactivate_user(leaver, by=by)
    db.session.flush()
    for row in cases:
        perform(
            row.case,
            Action.HAND_ON,
            by,
            {
                "reviewer_id": row.chosen,
                "reason": reason,
                "outside_request": row.no_one_asked is not None,
            },
            row.case.version,
        )
    handed = f"; {len(cases)} open case(s) handed on" if cases else ""
    record_event(
        EventKind.LEFT_PRACTICE if elsewhere else EventKind.ACCOUNT_DEACTIVATED,
        by,
        changes={"account": [None, leaver.email]},
        detail=(
            f"{leaver.full_name} no longer works in this practice{handed}"
            if elsewhere
            else f"{leaver.full_name}'s account deactivated{handed}"
        ),
    )
