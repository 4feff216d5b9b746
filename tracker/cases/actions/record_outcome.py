"""Record the outcome of the review and the patient's response to it."""

from typing import Any

from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.codes import Outcome, PatientResponse
from tracker.cases.errors import CaseError
from tracker.cases.forms import NOTE_MAX, VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.forms import choices, strip
from tracker.staff.models import User


class RecordOutcomeForm(VersionedForm):
    outcome = RadioField(
        "Outcome",
        choices=choices(Outcome.choices()),
        validators=[InputRequired("Choose the outcome")],
    )
    outcome_summary = TextAreaField(
        "Summary",
        description="What was reviewed and what was agreed. Seen by GPs and the practice manager only.",
        filters=[strip],
        validators=[
            DataRequired("Enter a summary of the outcome"),
            Length(max=NOTE_MAX, message=f"Summary must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    patient_response = RadioField(
        "Patient's response",
        choices=choices(PatientResponse.choices()),
        validators=[InputRequired("Choose the patient's response")],
    )
    confirm_early = HiddenField()


class RecordOutcome(CaseAction):
    action = Action.RECORD_OUTCOME
    form = RecordOutcomeForm
    events = (EventKind.OUTCOME_RECORDED,)

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        now = clock.now_utc()
        if case.appointment_at and case.appointment_at > now and data.get("confirm_early") != "yes":
            raise CaseError(
                f"The appointment is booked for {clock.format_moment(case.appointment_at)}, which "
                "has not happened yet. Check the outcome is right, then submit again to record it",
                confirm="confirm_early",
            )
        case.outcome = data["outcome"]
        case.outcome_summary = data["outcome_summary"]
        case.patient_response = data["patient_response"]
        case.outcome_recorded_at = now
        return Done(EventKind.OUTCOME_RECORDED)


ACTION = RecordOutcome()
