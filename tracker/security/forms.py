"""Forms for two-factor sign-in and the practice manager's subject access export."""

from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, StopValidation, ValidationError

from tracker.fields import NHSNumberField, WholeNumberField, nhs_number_problem
from tracker.forms import Form, strip


class SignInCodeForm(Form):
    code = StringField(
        "Security code",
        description="The 6-digit code your authenticator app shows now, or one of your recovery codes.",
        filters=[strip],
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code from your authenticator app"),
        ],
    )


class PasswordCheckMixin:
    """The person's own password, asked again before a change to how they sign in."""

    password = PasswordField(
        "Your password",
        description="The password you sign in with, to show it is you.",
        validators=[DataRequired("Enter your password")],
    )


class EnrolForm(PasswordCheckMixin, Form):
    code = StringField(
        "Code from the app",
        description="The 6 digits the app shows after you add the tracker.",
        filters=[strip],
        validators=[
            DataRequired("Enter the 6-digit code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code from your authenticator app"),
        ],
    )


class ResetTwoFactorForm(PasswordCheckMixin, Form):
    """The practice manager's own password before removing someone's authenticator."""


class SubjectAccessForm(Form):
    nhs_number = NHSNumberField(
        "NHS number",
        description="The patient's 10-digit NHS number, for example 485 777 3456",
        validators=[DataRequired("Enter the patient's NHS number")],
    )

    def validate_nhs_number(self, field) -> None:
        problem = nhs_number_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class RequiredWhenSent:
    """Required when the field is on the form that was sent; a post without it keeps the
    saved value (the form is built from the saved settings)."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field) -> None:
        if not field.raw_data:
            field.errors[:] = []
            raise StopValidation()
        if not str(field.raw_data[0]).strip():
            field.errors[:] = []
            raise StopValidation(self.message)


class SecuritySettingsMixin:
    """The practice settings about sign-in and keeping records (part of /admin/settings)."""

    idle_sign_out_minutes = WholeNumberField(
        "Sign out after this many minutes without use",
        not_a_number="Enter the number of minutes as a whole number, like 15",
        description="Protects patients' details on shared reception computers. 15 minutes is usual.",
        validators=[
            RequiredWhenSent("Enter the number of minutes before an idle sign-out"),
            NumberRange(min=5, max=240, message="Enter a number of minutes from 5 to 240"),
        ],
    )
    two_factor_for_everyone = BooleanField(
        "Everyone signs in with a code from their phone",
        description="The practice manager always does. Tick this to ask it of every member of staff.",
    )
    # Shown only where the install offers sign-in at a provider; its label names them.
    sign_in_at_provider_only = BooleanField(
        "Staff sign in with their NHS identity only",
        description="Passwords stop working for everyone except the practice manager, whose "
        "password and code stay as a way in when NHS sign-in is not working. Each such sign-in "
        "is in the audit log.",
    )
    retention_years = WholeNumberField(
        "Keep closed cases' personal details for this many years",
        not_a_number="Enter the number of years as a whole number, like 10",
        description="After this, the retention purge removes patients' identifiers and notes but keeps the figures.",
        validators=[
            RequiredWhenSent("Enter the number of years to keep closed cases' personal details"),
            NumberRange(min=1, max=100, message="Enter a number of years from 1 to 100"),
        ],
    )
