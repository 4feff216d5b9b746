"""The intake form, and the parts every case form shares (each action's own form lives in its
module under cases/actions)."""

import re

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from tracker import clock
from tracker.cases.codes import Channel, ConsentForm, ContactMethod, Route
from tracker.fields import (
    DateInputField,
    DateRequired,
    NHSNumberField,
    NotInFuture,
    nhs_number_problem,
    normalise_postcode,
    postcode_problem,
)
from tracker.forms import Form, PageOrder, choices, strip
from tracker.spreadsheet import FORMULA_STARTS

YES_NO = choices([("yes", "Yes"), ("no", "No")])
CONCERN_MAX = 4000
NOTE_MAX = 4000
OTHER_GP = "other"


# The case's details in the order the intake and correction pages show them.
IDENTITY_FIELDS = ("nhs_number", "nhs_number_unknown", "patient_name", "date_of_birth")
# How letters greet the patient.
NAME_FIELDS = ("patient_title", "preferred_name")
ADDRESS_FIELDS = ("address_lines", "postcode")
CONTACT_FIELDS = ("phone", "email", "preferred_contact")
ADDRESS_MAX = 300
REQUEST_FIELDS = (
    "received_on",
    "channel",
    "original_gp",
    "original_gp_other",
    "concern",
    "route_requested",
    "already_discussed_with_own_gp",
    "formal_complaint",
    "urgent",
)
REPRESENTATIVE_FIELDS = (
    "representative_title",
    "representative_name",
    "representative_relationship",
    "representative_phone",
    "representative_email",
    "representative_address_lines",
    "representative_postcode",
    "representative_consent",
    "representative_consent_form",
    "representative_consent_on",
)


class VersionedForm(Form):
    """Every case form carries the case version it was opened at, the newest event on the
    case then (`seen`: what was done since is shown if someone else changes the case first)
    and, for a form that edits the case's details, the values it was opened with
    (cases/stale.py)."""

    BOOKKEEPING = ("csrf_token", "version", "seen", "opened_with")

    version = HiddenField()
    seen = HiddenField()
    opened_with = HiddenField()


class ReviewerForm(VersionedForm):
    """A form that gives the case to a reviewer (actions.base.ChoosesReviewer): "yes" in
    `outside_request` when no one the patient's request names can take the case and the
    practice manager gives it to someone else, recording why."""

    outside_request = HiddenField()


class NotAFormula:
    """A name a spreadsheet would read as a formula (=1+1, @SUM(...)) is refused: the exports
    would have to show it changed, and it is never a real name."""

    def __init__(self, what: str):
        self.message = f"Enter {what} without = + - or @ at the start: a spreadsheet would read it as a formula"

    def __call__(self, form, field):
        if field.data and field.data.startswith(FORMULA_STARTS):
            raise ValidationError(self.message)


def text_field(label, message, max_length, description=None, validators=()):
    return StringField(
        label,
        description=description,
        filters=[strip],
        validators=[
            DataRequired(message),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
            *validators,
        ],
    )


def optional_text_field(label, max_length, description=None, validators=()):
    return StringField(
        label,
        description=description,
        filters=[strip],
        validators=[
            Optional(),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
            *validators,
        ],
    )


def _phone_problem(value: str | None) -> str | None:
    if value and not re.fullmatch(r"[0-9 +()\-]{6,40}", value):
        return "Enter a phone number using numbers, spaces and + ( ) - only"
    return None


def _email_field(label: str) -> EmailField:
    return EmailField(
        label,
        filters=[strip],
        validators=[
            Optional(),
            Email(
                "Enter an email address in the correct format, like name@example.com",
                check_deliverability=False,
            ),
            Length(max=254, message=f"{label} must be 254 characters or fewer"),
        ],
    )


class RepresentativeFieldsMixin:
    """Someone acting for the patient: who they are, how to reach them, and the patient's
    consent (when and how it was given) or the authority they hold."""

    representative_title = optional_text_field(
        "Title", 20, "Optional. For example Mrs, Mr, Ms, Mx or Dr: letters to them use it"
    )
    representative_name = optional_text_field(
        "Name",
        120,
        "Leave blank if the patient is dealing with this themselves",
        validators=[NotAFormula("their name")],
    )
    representative_relationship = optional_text_field(
        "Relationship to the patient", 60, "For example: daughter, carer, advocate"
    )
    representative_phone = optional_text_field("Their phone", 40)
    representative_email = _email_field("Their email")
    representative_address_lines = TextAreaField(
        "Their address",
        description="Needed to send them letters. House number or name, street, and town, one on each line.",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=ADDRESS_MAX, message=f"Address must be {ADDRESS_MAX} characters or fewer"),
        ],
    )
    representative_postcode = StringField(
        "Their postcode",
        filters=[strip, lambda value: normalise_postcode(value) if value else value],
        validators=[Optional()],
    )
    representative_consent = BooleanField(
        "The patient has consented to us discussing this with them, or they have the authority to act"
    )
    representative_consent_form = RadioField(
        "How was consent given?", choices=choices(ConsentForm.choices()), validators=[Optional()]
    )
    representative_consent_on = DateInputField(
        "Date consent was given",
        description="For example, 15 3 2026",
        validators=[NotInFuture("The date consent was given must be today or in the past")],
    )

    def validate_representative_phone(self, field):
        problem = _phone_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def validate_representative_postcode(self, field):
        problem = postcode_problem(field.data) if field.data else None
        if problem:
            raise ValidationError(problem)

    def check_representative(self) -> bool:
        ok = True
        about_them = (
            self.representative_title,
            self.representative_relationship,
            self.representative_phone,
            self.representative_email,
            self.representative_address_lines,
            self.representative_postcode,
        )
        if (
            any(field.data for field in about_them) or self.representative_consent.data
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
        if self.representative_postcode.data and not self.representative_address_lines.data:
            self.representative_address_lines.errors.append(
                "Enter their address that goes with the postcode"
            )
            ok = False
        if self.representative_address_lines.data and not self.representative_postcode.data:
            if not self.representative_postcode.errors:
                self.representative_postcode.errors.append("Enter their postcode, like LS1 4AP")
            ok = False
        if self.representative_consent.data:
            if not self.representative_consent_form.data:
                self.representative_consent_form.errors.append(
                    "Choose how the patient's consent was given"
                )
                ok = False
            if (
                self.representative_consent_on.data is None
                and not self.representative_consent_on.errors
            ):
                self.representative_consent_on.errors.append("Enter the date consent was given")
                ok = False
        return ok

    def representative(self) -> dict:
        """The person acting for the patient as the case stores them (None where not
        recorded; the consent's form and date only with the consent)."""
        named = bool(self.representative_name.data)
        consent = named and bool(self.representative_consent.data)
        return {
            "representative_title": (self.representative_title.data or None) if named else None,
            "representative_name": self.representative_name.data or None,
            "representative_relationship": self.representative_relationship.data or None,
            "representative_phone": (self.representative_phone.data or None) if named else None,
            "representative_email": (self.representative_email.data or None) if named else None,
            "representative_address_lines": (self.representative_address_lines.data or None)
            if named
            else None,
            "representative_postcode": (self.representative_postcode.data or None)
            if named
            else None,
            "representative_consent": consent,
            "representative_consent_form": self.representative_consent_form.data or None
            if consent
            else None,
            "representative_consent_on": self.representative_consent_on.data if consent else None,
        }


class AddressFieldsMixin:
    """The patient's postal address: the lines as typed and a UK postcode."""

    address_lines = TextAreaField(
        "Address",
        description="House number or name, street, and town. One line each.",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=ADDRESS_MAX, message=f"Address must be {ADDRESS_MAX} characters or fewer"),
        ],
    )
    postcode = StringField(
        "Postcode",
        filters=[strip, lambda value: normalise_postcode(value) if value else value],
        validators=[Optional()],
    )

    def validate_address_lines(self, field):
        if field.data and len([line for line in field.data.splitlines() if line.strip()]) > 5:
            raise ValidationError(
                "Enter the address in 5 lines or fewer, not counting the postcode"
            )

    def validate_postcode(self, field):
        problem = postcode_problem(field.data) if field.data else None
        if problem:
            raise ValidationError(problem)

    def check_address(self, preferred_contact: str | None) -> bool:
        """Both parts or neither, and both when the patient wants letters."""
        ok = True
        wants_letters = preferred_contact == ContactMethod.LETTER
        if (wants_letters or self.postcode.data) and not self.address_lines.data:
            self.address_lines.errors.append(
                "Enter the patient's address, or choose another way to contact them"
                if wants_letters
                else "Enter the address that goes with the postcode"
            )
            ok = False
        if (wants_letters or self.address_lines.data) and not self.postcode.data:
            if not self.postcode.errors:
                self.postcode.errors.append("Enter the postcode, like LS1 4AP")
            ok = False
        return ok

    def address(self) -> dict:
        """The address as the case stores it (None where not recorded)."""
        return {
            "address_lines": self.address_lines.data or None,
            "postcode": self.postcode.data or None,
        }


class ContactFieldsMixin(AddressFieldsMixin, RepresentativeFieldsMixin):
    phone = optional_text_field("Phone", 40, "Include the area code for landlines")
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
        choices=choices(ContactMethod.choices()),
        validators=[InputRequired("Choose how the patient would like to be contacted")],
    )

    def validate_phone(self, field):
        problem = _phone_problem(field.data)
        if problem:
            raise ValidationError(problem)

    def check_contact(self) -> bool:
        ok = True
        if self.preferred_contact.data == ContactMethod.PHONE and not self.phone.data:
            self.phone.errors.append(
                "Enter a phone number, or choose another way to contact the patient"
            )
            ok = False
        if self.preferred_contact.data == ContactMethod.EMAIL and not self.email.data:
            self.email.errors.append(
                "Enter an email address, or choose another way to contact the patient"
            )
            ok = False
        address_ok = self.check_address(self.preferred_contact.data)
        return self.check_representative() and address_ok and ok


class CaseDetailsMixin:
    """Who the patient is and what they asked: logged at intake, corrected afterwards."""

    nhs_number = NHSNumberField(
        "NHS number", description="10 digits, for example 485 777 3457", filters=[strip]
    )
    nhs_number_unknown = BooleanField("NHS number not known")
    patient_name = text_field(
        "Patient name",
        "Enter the patient's name",
        120,
        validators=[NotAFormula("the patient's name")],
    )
    patient_title = optional_text_field(
        "Title", 20, "Optional. For example Mrs, Mr, Ms, Mx or Dr: letters then say Dear Mrs Patel"
    )
    preferred_name = optional_text_field(
        "Preferred name",
        60,
        "Optional. What the patient likes to be called, if letters should use it",
        validators=[NotAFormula("the preferred name")],
    )
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
        choices=choices(Channel.choices()),
        validators=[InputRequired("Choose how the request was made")],
    )
    original_gp = RadioField(
        "GP who gave the first opinion",
        validators=[InputRequired("Choose the GP who gave the first opinion")],
    )
    original_gp_other = optional_text_field("Name of the locum or other clinician", 120)
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
        choices=choices(Route.choices()),
        validators=[InputRequired("Choose what the patient is asking for")],
    )
    already_discussed_with_own_gp = RadioField(
        "Has the patient already gone back to their own GP about this?",
        choices=YES_NO,
        validators=[
            InputRequired(
                "Choose whether the patient has already gone back to their own GP about this"
            )
        ],
    )
    formal_complaint = RadioField(
        "Is this a formal complaint?",
        choices=YES_NO,
        description="A formal complaint must be acknowledged within 3 working days.",
        validators=[InputRequired("Choose whether this is a formal complaint")],
    )
    urgent = RadioField(
        "Is there an urgent clinical concern?",
        choices=YES_NO,
        description="For example, symptoms getting worse. If yes, tell the duty doctor today, then record on the case that you did.",
        validators=[InputRequired("Choose whether there is an urgent clinical concern")],
    )

    def set_gp_choices(self, gp_choices) -> None:
        self.original_gp.choices = choices([*gp_choices, (OTHER_GP, "Locum or other")])

    def check_details(self) -> bool:
        """The rules between fields; WTForms has checked each field on its own."""
        ok = True
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
        return ok

    def details(self) -> dict:
        """The case's values as the form gives them (None where not recorded)."""
        other = self.original_gp.data == OTHER_GP
        return {
            "nhs_number": None if self.nhs_number_unknown.data else self.nhs_number.data,
            "nhs_number_unknown": self.nhs_number_unknown.data,
            "patient_name": self.patient_name.data,
            "date_of_birth": self.date_of_birth.data,
            "received_on": self.received_on.data,
            "channel": self.channel.data,
            "original_gp_id": None if other else int(self.original_gp.data),
            "original_gp_other": self.original_gp_other.data if other else None,
            "concern": self.concern.data,
            "route_requested": self.route_requested.data,
            "already_discussed_with_own_gp": self.already_discussed_with_own_gp.data == "yes",
            "formal_complaint": self.formal_complaint.data == "yes",
            "urgent": self.urgent.data == "yes",
            "patient_title": self.patient_title.data or None,
            "preferred_name": self.preferred_name.data or None,
            **self.representative(),
        }


class IntakeForm(PageOrder, ContactFieldsMixin, CaseDetailsMixin, Form):
    page_order = (
        "nhs_number",
        "nhs_number_unknown",
        "patient_title",
        "patient_name",
        "preferred_name",
        "date_of_birth",
        *ADDRESS_FIELDS,
        *CONTACT_FIELDS,
        *REQUEST_FIELDS,
        *REPRESENTATIVE_FIELDS,
    )
    confirm_duplicate = HiddenField()
    confirm_no_reviewer = HiddenField()
    confirm_identity = HiddenField()

    def __init__(self, *args, gp_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_gp_choices(gp_choices)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        details_ok = self.check_details()
        return self.check_contact() and details_ok and ok
