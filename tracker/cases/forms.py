"""The intake form and one form per workflow action."""

import re
from datetime import time

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from tracker import clock
from tracker.cases.codes import (
    ACKNOWLEDGEMENT_LABELS,
    CHANNEL_LABELS,
    CLOSURE_LABELS,
    COMPLAINT_FINDING_LABELS,
    CONTACT_LABELS,
    OUTCOME_LABELS,
    PALS_REFERRER_LABELS,
    PATIENT_RESPONSE_LABELS,
    ROUTE_LABELS,
)
from tracker.fields import (
    DateInputField,
    DateRequired,
    NHSNumberField,
    NotInFuture,
    nhs_number_problem,
)
from tracker.forms import choices, strip

YES_NO = choices([("yes", "Yes"), ("no", "No")])
CONCERN_MAX = 4000
NOTE_MAX = 4000
OTHER_GP = "other"


class VersionedForm(FlaskForm):
    """Every case form carries the case version it was opened at."""

    version = HiddenField()


def _text(label, message, max_length, description=None):
    return StringField(
        label,
        description=description,
        filters=[strip],
        validators=[
            DataRequired(message),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
        ],
    )


def _optional_text(label, max_length, description=None):
    return StringField(
        label,
        description=description,
        filters=[strip],
        validators=[
            Optional(),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
        ],
    )


class ContactFieldsMixin:
    phone = _optional_text("Phone", 40, "Include the area code for landlines")
    email = EmailField(
        "Email",
        filters=[strip],
        validators=[
            Optional(),
            Email(
                "Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
            Length(max=254, message="Email must be 254 characters or fewer"),
        ],
    )
    preferred_contact = RadioField(
        "Preferred contact",
        choices=choices(CONTACT_LABELS.items()),
        validators=[InputRequired("Choose how the patient would like to be contacted")],
    )
    representative_name = _optional_text(
        "Name", 120, "Leave blank if the patient is dealing with this themselves"
    )
    representative_relationship = _optional_text(
        "Relationship to the patient", 60, "For example: daughter, carer, advocate"
    )
    representative_consent = BooleanField(
        "The patient has consented to us discussing this with them"
    )

    def validate_phone(self, field):
        if field.data and not re.fullmatch(r"[0-9 +()\-]{6,40}", field.data):
            raise ValidationError("Enter a phone number using numbers, spaces and + ( ) - only")

    def check_contact(self) -> bool:
        ok = True
        if self.preferred_contact.data == "phone" and not self.phone.data:
            self.phone.errors.append(
                "Enter a phone number, or choose another way to contact the patient"
            )
            ok = False
        if self.preferred_contact.data == "email" and not self.email.data:
            self.email.errors.append(
                "Enter an email address, or choose another way to contact the patient"
            )
            ok = False
        if (
            self.representative_relationship.data or self.representative_consent.data
        ) and not self.representative_name.data:
            self.representative_name.errors.append(
                "Enter the name of the person acting for the patient"
            )
            ok = False
        if self.representative_name.data and not self.representative_relationship.data:
            self.representative_relationship.errors.append(
                "Enter their relationship to the patient"
            )
            ok = False
        return ok


class IntakeForm(ContactFieldsMixin, FlaskForm):
    nhs_number = NHSNumberField(
        "NHS number", description="10 digits, for example 485 777 3457", filters=[strip]
    )
    nhs_number_unknown = BooleanField("NHS number not known")
    patient_name = _text("Patient name", "Enter the patient's name", 120)
    date_of_birth = DateInputField(
        "Date of birth",
        description="For example, 15 3 1984",
        validators=[NotInFuture("Date of birth must be today or in the past")],
    )
    received_on = DateInputField(
        "Request received on",
        default=lambda: clock.today_london(),
        validators=[
            DateRequired("Enter the date the request was received"),
            NotInFuture("The date the request was received must be today or in the past"),
        ],
    )
    channel = RadioField(
        "How the request was made",
        choices=choices(CHANNEL_LABELS.items()),
        validators=[InputRequired("Choose how the request was made")],
    )
    original_gp = RadioField(
        "GP who gave the first opinion",
        validators=[InputRequired("Choose the GP who gave the first opinion")],
    )
    original_gp_other = _optional_text("Name of the locum or other clinician", 120)
    concern = TextAreaField(
        "What the patient is concerned about",
        description="In the patient's words where you can. Only what is needed to arrange the review.",
        filters=[strip],
        validators=[
            DataRequired("Enter what the patient is concerned about"),
            Length(
                max=CONCERN_MAX,
                message=f"What the patient is concerned about must be {CONCERN_MAX:,} characters or fewer",
            ),
        ],
    )
    route_requested = RadioField(
        "What the patient is asking for",
        choices=choices(ROUTE_LABELS.items()),
        validators=[InputRequired("Choose what the patient is asking for")],
    )
    already_discussed_with_own_gp = RadioField(
        "Has the patient already gone back to their own GP about this?",
        choices=YES_NO,
        validators=[
            InputRequired(
                "Choose yes if the patient has already gone back to their own GP about this"
            )
        ],
    )
    formal_complaint = RadioField(
        "Is this a formal complaint?",
        choices=YES_NO,
        description="A formal complaint must be acknowledged within 3 working days.",
        validators=[InputRequired("Choose yes if this is a formal complaint")],
    )
    urgent = RadioField(
        "Is there an urgent clinical concern?",
        choices=YES_NO,
        description="For example, symptoms getting worse. Yes means the duty doctor is told today.",
        validators=[InputRequired("Choose yes if there is an urgent clinical concern")],
    )
    confirm_duplicate = HiddenField()

    def __init__(self, *args, gp_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.original_gp.choices = choices([*gp_choices, (OTHER_GP, "Locum or other")])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.nhs_number_unknown.data:
            if not self.nhs_number.data:
                self.nhs_number.errors.append(
                    "Enter the patient's NHS number, or tick 'NHS number not known'"
                )
                ok = False
            else:
                problem = nhs_number_problem(self.nhs_number.data)
                if problem:
                    self.nhs_number.errors.append(problem)
                    ok = False
        elif self.date_of_birth.data is None and not self.date_of_birth.errors:
            self.date_of_birth.errors.append(
                "Enter the patient's date of birth, as their NHS number is not known"
            )
            ok = False
        if self.original_gp.data == OTHER_GP and not self.original_gp_other.data:
            self.original_gp_other.errors.append("Enter the name of the locum or other clinician")
            ok = False
        return self.check_contact() and ok


class ContactForm(ContactFieldsMixin, VersionedForm):
    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        return self.check_contact() and ok


class AssignForm(VersionedForm):
    reviewer = SelectField(
        "Reviewer",
        validate_choice=False,
        validators=[DataRequired("Choose who will review this request")],
    )
    reason = TextAreaField(
        "Reason for the change",
        description="Needed when a case moves from one reviewer to another.",
        filters=[strip],
        validators=[
            Length(max=NOTE_MAX, message=f"Reason must be {NOTE_MAX:,} characters or fewer")
        ],
    )


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
        choices=choices(ACKNOWLEDGEMENT_LABELS.items()),
        validators=[InputRequired("Choose how the complaint was acknowledged")],
    )


class StartReviewForm(VersionedForm):
    review_type = RadioField(
        "How will the review be done?",
        choices=choices(
            [("appointment", "Appointment with the patient"), ("notes", "Review of the notes")]
        ),
        validators=[InputRequired("Choose an appointment or a review of the notes")],
    )
    appointment_date = DateInputField("Appointment date", description="For example, 27 11 2026")
    appointment_time = StringField(
        "Appointment time", description="24-hour clock, for example 14:30", filters=[strip]
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.review_type.data == "appointment":
            if self.appointment_date.data is None and not self.appointment_date.errors:
                self.appointment_date.errors.append("Enter the appointment date")
                ok = False
            if not self.parsed_time():
                self.appointment_time.errors.append("Enter the appointment time, like 14:30")
                ok = False
        return ok

    def parsed_time(self) -> time | None:
        match = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", self.appointment_time.data or "")
        return time(int(match.group(1)), int(match.group(2))) if match else None


class RecordOutcomeForm(VersionedForm):
    outcome = RadioField(
        "Outcome",
        choices=choices(OUTCOME_LABELS.items()),
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
        choices=choices(PATIENT_RESPONSE_LABELS.items()),
        validators=[InputRequired("Choose the patient's response")],
    )


class ReferToPalsForm(VersionedForm):
    referred_on = DateInputField(
        "Date referred",
        default=lambda: clock.today_london(),
        validators=[
            DateRequired("Enter the date of the referral"),
            NotInFuture("The date of the referral must be today or in the past"),
        ],
    )
    referred_by = RadioField(
        "Who made the referral?",
        choices=choices(PALS_REFERRER_LABELS.items()),
        validators=[InputRequired("Choose who made the referral")],
    )
    pals_service = _text("PALS service", "Enter the PALS service", 160)
    pals_officer = _optional_text("PALS officer", 120, "If the patient or PALS gave a name")
    pals_reference = _optional_text("PALS reference", 60, "If PALS gave one")


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


class CloseForm(VersionedForm):
    closure_reason = RadioField(
        "Why is the case closing?", validators=[InputRequired("Choose why the case is closing")]
    )
    registered_elsewhere_on = DateInputField(
        "Date registered with the new practice",
        validators=[NotInFuture("The date registered elsewhere must be today or in the past")],
    )
    complaint_finding = RadioField(
        "Finding on the formal complaint",
        description="For the practice's annual return of written complaints.",
        choices=choices(COMPLAINT_FINDING_LABELS.items()),
        validate_choice=False,
    )
    note = TextAreaField(
        "Note (optional)",
        filters=[strip],
        validators=[Length(max=NOTE_MAX, message=f"Note must be {NOTE_MAX:,} characters or fewer")],
    )

    def __init__(self, *args, allowed_reasons=None, formal_complaint=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.formal_complaint = formal_complaint
        self.closure_reason.choices = choices(
            (code, label)
            for code, label in CLOSURE_LABELS.items()
            if allowed_reasons is None or code in allowed_reasons
        )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if (
            self.closure_reason.data == "registered_elsewhere"
            and self.registered_elsewhere_on.data is None
            and not self.registered_elsewhere_on.errors
        ):
            self.registered_elsewhere_on.errors.append(
                "Enter the date the patient registered with the new practice"
            )
            ok = False
        if self.formal_complaint and self.complaint_finding.data not in COMPLAINT_FINDING_LABELS:
            self.complaint_finding.errors.append(
                "Choose whether the complaint was upheld, partially upheld or not upheld"
            )
            ok = False
        return ok


class ReopenForm(VersionedForm):
    reason = TextAreaField(
        "Why is the case being reopened?",
        filters=[strip],
        validators=[
            DataRequired("Enter why the case is being reopened"),
            Length(max=NOTE_MAX, message=f"Reason must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    reviewer = SelectField(
        "Reviewer",
        validate_choice=False,
        validators=[DataRequired("Choose who will review the reopened case")],
    )


class NoteForm(VersionedForm):
    text = TextAreaField(
        "Note",
        filters=[strip],
        validators=[
            DataRequired("Enter the note"),
            Length(max=NOTE_MAX, message=f"Note must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    clinical = BooleanField(
        "Clinical note",
        description="Clinical notes are seen by GPs and the practice manager only, not by reception.",
    )
