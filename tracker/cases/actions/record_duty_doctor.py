"""Record that the duty doctor was told about an urgent concern: who, when, and any note."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.errors import CaseError
from tracker.cases.forms import NOTE_MAX, VersionedForm, optional_text_field
from tracker.cases.models import Case
from tracker.cases.reviewers import person
from tracker.cases.workflow import Action
from tracker.extensions import db
from tracker.fields import DateInputField, DateRequired, NotInFuture, london_datetime, parse_time
from tracker.forms import choices, strip
from tracker.staff.models import Role, User, works_as

SOMEONE_ELSE = "other"


class DutyDoctorForm(VersionedForm):
    duty_doctor_id = SelectField("Duty doctor told", validate_choice=False)
    duty_doctor = optional_text_field(
        "Name, if someone else",
        120,
        "For a locum or a doctor from elsewhere: for example, Dr Patel",
    )
    told_on = DateInputField(
        "Date told",
        default=lambda: clock.today_london(),
        validators=[
            DateRequired("Enter the date the duty doctor was told"),
            NotInFuture("The date told must be today or in the past"),
        ],
    )
    told_at = StringField(
        "Time told",
        description="For example, 14:30 or 9.30am",
        default=lambda: clock.to_london(clock.now_utc()).strftime(clock.TIME_FORMAT),
        filters=[strip],
        validators=[DataRequired("Enter the time the duty doctor was told, like 14:30")],
    )
    note = TextAreaField(
        "Note (optional)",
        description="What the duty doctor said or will do.",
        filters=[strip],
        validators=[Length(max=NOTE_MAX, message=f"Note must be {NOTE_MAX:,} characters or fewer")],
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        chosen = self.duty_doctor_id.data
        if chosen in (None, "", SOMEONE_ELSE) and not self.duty_doctor.data:
            target = self.duty_doctor if chosen == SOMEONE_ELSE else self.duty_doctor_id
            target.errors.append(
                "Enter the name of the duty doctor who was told"
                if chosen == SOMEONE_ELSE
                else "Choose the duty doctor who was told"
            )
            ok = False
        return ok

    def validate_told_at(self, field):
        if field.data and parse_time(field.data) is None:
            raise ValidationError("Enter the time the duty doctor was told, like 14:30 or 9.30am")


class RecordDutyDoctor(CaseAction):
    action = Action.RECORD_DUTY_DOCTOR
    form = DutyDoctorForm
    events = (EventKind.DUTY_DOCTOR_TOLD,)

    def refusal(self, case: Case, user: User) -> str | None:
        if not case.urgent or case.duty_doctor_told_at is not None:
            return "Only an urgent case whose duty doctor has not been told yet needs this."
        return None

    def build_form(self, case: Case, user: User, *, first_view: bool) -> DutyDoctorForm:
        form = DutyDoctorForm()
        doctors = db.session.scalars(
            select(User).where(User.active.is_(True), works_as(Role.GP)).order_by(User.full_name)
        )
        form.duty_doctor_id.choices = choices(
            [("", "Choose the duty doctor")]
            + [(str(doctor.id), doctor.full_name) for doctor in doctors]
            + [(SOMEONE_ELSE, "Someone else, such as a locum")]
        )
        return form

    def data(self, form: DutyDoctorForm) -> dict[str, Any]:
        moment = london_datetime(form.told_on.data, parse_time(form.told_at.data))
        chosen = form.duty_doctor_id.data
        doctor = person(chosen) if chosen not in (None, "", SOMEONE_ELSE) else None
        return {
            "duty_doctor": doctor.full_name if doctor is not None else form.duty_doctor.data,
            "told_at": moment.astimezone(UTC),
            "note": form.note.data,
        }

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        told_at: datetime = data["told_at"]
        if told_at > clock.now_utc():
            raise CaseError("The time told must be now or in the past", field="told_at")
        if clock.to_london(told_at).date() < case.received_on:
            raise CaseError(
                "The date told cannot be before the request was received", field="told_on"
            )
        case.duty_doctor_name = data["duty_doctor"]
        case.duty_doctor_told_at = told_at
        return Done(EventKind.DUTY_DOCTOR_TOLD, data.get("note") or None)


ACTION = RecordDutyDoctor()
