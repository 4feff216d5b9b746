"""Record what PALS said back."""

from typing import Any

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.forms import NOTE_MAX, VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.fields import DateInputField, DateRequired, NotInFuture
from tracker.forms import strip
from tracker.staff.models import User


class PalsResponseForm(VersionedForm):
    response_on = DateInputField(
        "Date of the PALS response",
        default=lambda: clock.today_london(),
        validators=[
            DateRequired("Enter the date of the PALS response"),
            NotInFuture("The date of the PALS response must be today or in the past"),
        ],
    )
    summary = TextAreaField(
        "What PALS said",
        filters=[strip],
        validators=[
            DataRequired("Enter what PALS said"),
            Length(
                max=NOTE_MAX, message=f"What PALS said must be {NOTE_MAX:,} characters or fewer"
            ),
        ],
    )


class RecordPalsResponse(CaseAction):
    action = Action.RECORD_PALS_RESPONSE
    form = PalsResponseForm
    events = (EventKind.PALS_RESPONSE_RECORDED,)

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        case.pals_response_on = data["response_on"]
        case.pals_response_summary = data["summary"]
        return Done(EventKind.PALS_RESPONSE_RECORDED)


ACTION = RecordPalsResponse()
