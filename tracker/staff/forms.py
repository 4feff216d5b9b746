"""Forms for the practice manager's staff pages."""

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, ValidationError

from tracker.forms import Form, choices, strip
from tracker.staff.models import STAFF_ROLES, Role


class StaffForm(Form):
    full_name = StringField(
        "Full name",
        filters=[strip],
        validators=[
            DataRequired("Enter the person's full name"),
            Length(max=120, message="Full name must be 120 characters or fewer"),
        ],
    )
    email = EmailField(
        "Email address",
        description="They sign in with this. Use their NHS.net address where they have one.",
        filters=[strip],
        validators=[
            DataRequired("Enter the person's email address"),
            Email(
                "Enter an email address in the correct format, like name@example.nhs.net",
                check_deliverability=False,
            ),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    job_title = StringField(
        "Job title",
        description="Optional. Printed under their name when they sign a letter, for example: GP partner, Practice manager, Senior receptionist.",
        filters=[strip],
        validators=[Length(max=80, message="Job title must be 80 characters or fewer")],
    )
    role = RadioField(
        "Role",
        choices=choices((r.value, r.label) for r in STAFF_ROLES),
        validators=[DataRequired("Choose the person's role")],
    )
    is_senior_partner = BooleanField(
        "Senior partner",
        description="Only a GP can be the senior partner. Senior partner requests go to them.",
    )

    def validate_is_senior_partner(self, field: BooleanField) -> None:
        if field.data and self.role.data != Role.GP:
            raise ValidationError("Only a GP can be the senior partner")


class ConfirmForm(Form):
    """A form with only the CSRF token, for one-button actions."""


class LeaverForm(Form):
    """Deactivating someone who leaves, with who takes on each of their open cases and why."""

    mode = RadioField(
        "Who takes their open cases on?",
        choices=choices([("all", "One person takes them all"), ("each", "Choose for each case")]),
        validate_choice=False,
    )
    everyone = SelectField("New reviewer for all their cases", validate_choice=False)
    # The open cases (id:version) the page showed, so a change since is caught before saving.
    shown = HiddenField()
    reason = TextAreaField(
        "Reason",
        description="Recorded on each case, for example: Dr Second has left the practice.",
        filters=[strip],
        validators=[Length(max=4000, message="Reason must be 4,000 characters or fewer")],
    )
