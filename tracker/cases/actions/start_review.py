"""Start the review: an appointment with the patient, or a review of the notes."""

from datetime import UTC, time
from typing import Any

from wtforms import RadioField, StringField
from wtforms.validators import InputRequired

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.codes import ReviewType
from tracker.cases.forms import VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.fields import DateInputField, london_datetime, parse_time
from tracker.forms import choices, strip
from tracker.staff.models import User


class StartReviewForm(VersionedForm):
    review_type = RadioField(
        "How will the review be done?",
        choices=choices(ReviewType.choices()),
        validators=[InputRequired("Choose an appointment or a review of the notes")],
    )
    appointment_date = DateInputField("Appointment date", description="For example, 27 11 2026")
    appointment_time = StringField(
        "Appointment time", description="For example, 14:30 or 9.30am", filters=[strip]
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.review_type.data == ReviewType.APPOINTMENT:
            if self.appointment_date.data is None and not self.appointment_date.errors:
                self.appointment_date.errors.append("Enter the appointment date")
                ok = False
            if not self.parsed_time():
                self.appointment_time.errors.append(
                    "Appointment time must be a real time of day, like 14:30 or 9.30am"
                    if self.appointment_time.data
                    else "Enter the appointment time, like 14:30"
                )
                ok = False
        return ok

    def parsed_time(self) -> time | None:
        return parse_time(self.appointment_time.data)


class StartReview(CaseAction):
    action = Action.START_REVIEW
    form = StartReviewForm
    events = (EventKind.REVIEW_STARTED,)

    def data(self, form: StartReviewForm) -> dict[str, Any]:
        if form.review_type.data != ReviewType.APPOINTMENT:
            return {"appointment_at": None}
        local = london_datetime(form.appointment_date.data, form.parsed_time())
        return {"appointment_at": local.astimezone(UTC)}

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        case.review_started_at = clock.now_utc()
        if data.get("appointment_at") is not None:
            case.appointment_at = data["appointment_at"]
            case.review_of_notes = False
        else:
            case.appointment_at = None
            case.review_of_notes = True
        return Done(EventKind.REVIEW_STARTED)


ACTION = StartReview()
