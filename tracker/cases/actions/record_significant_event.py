"""Flag a case as a significant event (a mistake that caused or could have caused significant
harm) and record its significant event analysis reference, whether the duty of candour applies,
and when the patient was told. Open to GPs and the practice manager at any stage, as such a
finding often comes after a case has closed; recorded again, it is corrected, with the history
keeping each version."""

from typing import Any

from wtforms import RadioField, StringField
from wtforms.validators import InputRequired, Length

from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.errors import CaseError
from tracker.cases.forms import VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.fields import DateInputField, NotInFuture
from tracker.forms import choices, strip
from tracker.staff.models import User

YES, NO, UNDECIDED = "yes", "no", "undecided"


class SignificantEventForm(VersionedForm):
    significant_event = RadioField(
        "Is this a significant event?",
        description="A mistake that caused, or could have caused, significant harm to the patient.",
        choices=choices([(YES, "Yes"), (NO, "No: remove the flag")]),
        validators=[InputRequired("Choose whether this is a significant event")],
    )
    sea_reference = StringField(
        "Significant event analysis reference",
        description="The reference of the practice's analysis, once there is one.",
        filters=[strip],
        validators=[Length(max=60, message="The reference must be 60 characters or fewer")],
    )
    candour_applies = RadioField(
        "Does the duty of candour apply?",
        description="When a notifiable safety incident caused, or could cause, moderate or "
        "worse harm, the patient is told, given an apology and told what happens next.",
        choices=choices([(YES, "Yes"), (NO, "No"), (UNDECIDED, "Not decided yet")]),
        default=UNDECIDED,
    )
    candour_told_on = DateInputField(
        "Date the patient was told",
        description="Needed when the duty of candour applies, once they have been told.",
        validators=[NotInFuture("The date must be today or in the past")],
    )


class RecordSignificantEvent(CaseAction):
    action = Action.RECORD_SIGNIFICANT_EVENT
    form = SignificantEventForm
    events = (EventKind.SIGNIFICANT_EVENT_RECORDED,)
    edits = ("significant_event", "sea_reference", "candour_applies", "candour_told_on")

    def filled_from(self, case: Case) -> SignificantEventForm:
        form = SignificantEventForm(formdata=None)
        form.significant_event.data = YES if case.significant_event else None
        form.sea_reference.data = case.sea_reference
        form.candour_applies.data = {True: YES, False: NO}.get(case.candour_applies, UNDECIDED)
        form.candour_told_on.data = case.candour_told_on
        return form

    def build_form(self, case: Case, user: User, *, first_view: bool) -> SignificantEventForm:
        return self.filled_from(case) if first_view else SignificantEventForm()

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        if data["significant_event"] == NO:
            if not case.significant_event:
                raise CaseError(
                    "This case is not flagged as a significant event", field="significant_event"
                )
            case.significant_event = False
            return Done(
                EventKind.SIGNIFICANT_EVENT_RECORDED, detail="Significant event flag removed"
            )
        applies = {YES: True, NO: False}.get(data["candour_applies"])
        told = data["candour_told_on"]
        if told is not None and applies is not True:
            raise CaseError(
                "A date the patient was told goes with the duty of candour applying",
                field="candour_told_on",
            )
        if told is not None and told < case.received_on:
            raise CaseError(
                "The date cannot be before the request was received", field="candour_told_on"
            )
        case.significant_event = True
        case.sea_reference = data["sea_reference"] or None
        case.candour_applies = applies
        case.candour_told_on = told
        return Done(EventKind.SIGNIFICANT_EVENT_RECORDED)


ACTION = RecordSignificantEvent()
