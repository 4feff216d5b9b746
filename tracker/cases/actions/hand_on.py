"""Hand a case on from a reviewer who has left, at whatever stage it is, with the reason.

The practice manager does this for each of a leaver's open cases when deactivating their
account (cases.leavers), or later from the case page for a case whose reviewer has left.
"""

from typing import Any

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import ChoosesReviewer, Done
from tracker.cases.errors import CaseError
from tracker.cases.forms import NOTE_MAX, ReviewerForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.forms import strip
from tracker.staff.models import User


class HandOnForm(ReviewerForm):
    reviewer = SelectField(
        "New reviewer",
        validate_choice=False,
        validators=[DataRequired("Choose who takes the case on")],
    )
    reason = TextAreaField(
        "Reason",
        description="For example: Dr Second has left the practice.",
        filters=[strip],
        validators=[
            DataRequired("Enter the reason for handing the case on"),
            Length(max=NOTE_MAX, message=f"Reason must be {NOTE_MAX:,} characters or fewer"),
        ],
    )


class HandOn(ChoosesReviewer):
    action = Action.HAND_ON
    form = HandOnForm
    events = (EventKind.HANDED_ON,)

    def refusal(self, case: Case, user: User) -> str | None:
        if case.reviewer is None or case.reviewer.works_here:
            return (
                "Only a case whose reviewer has left is handed on this way. "
                "Use 'Assign a reviewer' to give it to someone else."
            )
        return None

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        reviewer = self.chosen_reviewer(case, actor, data)
        reason = (data.get("reason") or "").strip()
        if not reason:
            raise CaseError("Enter the reason for handing the case on", field="reason")
        case.reviewer_id = reviewer.id
        case.assigned_at = clock.now_utc()  # the stage, the review and its clocks carry on
        return Done(EventKind.HANDED_ON, reason)


ACTION = HandOn()
