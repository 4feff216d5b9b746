"""Record that a formal complaint was acknowledged, and how."""

from typing import Any

from wtforms import RadioField
from wtforms.validators import InputRequired

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.codes import AcknowledgementMethod
from tracker.cases.errors import CaseError
from tracker.cases.forms import VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.fields import DateInputField, DateRequired, NotInFuture
from tracker.forms import choices
from tracker.staff.models import User


class AcknowledgeForm(VersionedForm):
    acknowledged_on = DateInputField(
        "Date acknowledged",
        default=lambda: clock.today_london(),
        validators=[
            DateRequired("Enter the date the complaint was acknowledged"),
            NotInFuture("The date acknowledged must be today or in the past"),
        ],
    )
    method = RadioField(
        "How was it acknowledged?",
        choices=choices(AcknowledgementMethod.choices()),
        validators=[InputRequired("Choose how the complaint was acknowledged")],
    )


class Acknowledge(CaseAction):
    action = Action.ACKNOWLEDGE
    form = AcknowledgeForm
    events = (EventKind.ACKNOWLEDGED,)

    def refusal(self, case: Case, user: User) -> str | None:
        if not case.formal_complaint or case.acknowledged_on is not None:
            return (
                "Only a formal complaint that has not been acknowledged yet needs an "
                "acknowledgement."
            )
        return None

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        if data["acknowledged_on"] < case.received_on:
            raise CaseError(
                "The acknowledgement date cannot be before the request was received",
                field="acknowledged_on",
            )
        case.acknowledged_on = data["acknowledged_on"]
        case.acknowledgement_method = data["method"]
        return Done(EventKind.ACKNOWLEDGED)


ACTION = Acknowledge()
