"""The practice settings form."""

from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from tracker.fields import WholeNumberField
from tracker.forms import PageOrder, choices, strip
from tracker.security.forms import SecuritySettingsMixin
from tracker.workdays import REGIONS


def _target(label: str, description: str) -> WholeNumberField:
    return WholeNumberField(
        label,
        description=description,
        not_a_number="Enter the number of working days as a whole number, like 3",
        validators=[
            InputRequired(f"Enter the number of working days for '{label.lower()}'"),
            NumberRange(min=1, max=60, message="Enter a number of working days from 1 to 60"),
        ],
    )


class TargetsMixin:
    assign_target_days = _target(
        "Assign a reviewer within", "Working days from the day the request was received"
    )
    acknowledge_target_days = _target(
        "Acknowledge a formal complaint within",
        "Working days from the day it was received (3 under the complaints regulations)",
    )
    outcome_target_days = _target(
        "Record the outcome within", "Working days from the first assignment"
    )
    bank_holiday_region = RadioField(
        "Bank holidays",
        description="Working days leave out weekends and the bank holidays of this part of the UK.",
        choices=choices((code, name) for code, (name, _) in REGIONS.items()),
        validators=[InputRequired("Choose whose bank holidays the practice keeps")],
    )


class PracticeSettingsForm(PageOrder, TargetsMixin, SecuritySettingsMixin, FlaskForm):
    page_order = (
        "practice_name",
        "ods_code",
        "practice_address",
        "practice_phone",
        "assign_target_days",
        "acknowledge_target_days",
        "outcome_target_days",
        "bank_holiday_region",
        "pals_office_name",
        "pals_phone",
        "pals_email",
        "pals_web_address",
        "pals_postal_address",
        "idle_sign_out_minutes",
        "two_factor_for_everyone",
        "retention_years",
    )
    practice_name = StringField(
        "Practice name",
        validators=[
            DataRequired("Enter the practice name"),
            Length(max=120, message="Practice name must be 120 characters or fewer"),
        ],
    )
    ods_code = StringField(
        "ODS code",
        description="The practice's Organisation Data Service code, for example A81001",
        filters=[lambda value: value.strip().upper() if value else value],
        validators=[
            Optional(),
            Regexp(
                r"^[A-Z0-9]{3,10}$", message="Enter an ODS code of letters and numbers, like A81001"
            ),
        ],
    )
    practice_address = TextAreaField(
        "Practice address",
        description="As it should appear at the top of letters to patients, with the postcode on the last line.",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=400, message="Practice address must be 400 characters or fewer"),
        ],
    )
    practice_phone = StringField(
        "Practice phone number",
        description="The number patients should call about their request. It goes on letters.",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=40, message="Practice phone number must be 40 characters or fewer"),
            Regexp(
                r"^[0-9 +()-]+$",
                message="Enter the practice phone number using only numbers, spaces and + ( ) -",
            ),
        ],
    )
    pals_office_name = StringField(
        "Local PALS service",
        description="The name of the PALS office your patients use, for example PALS – Riverside NHS Foundation Trust. It fills in the PALS referral form.",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=160, message="Local PALS service must be 160 characters or fewer"),
        ],
    )
    pals_phone = StringField(
        "PALS phone number",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=40, message="PALS phone number must be 40 characters or fewer"),
            Regexp(
                r"^[0-9 +()-]+$",
                message="Enter a PALS phone number using only numbers, spaces and + ( ) -",
            ),
        ],
    )
    pals_email = StringField(
        "PALS email address",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254, message="PALS email address must be 254 characters or fewer"),
            Email("Enter a PALS email address in the correct format, like pals@nhs.net"),
        ],
    )
    pals_web_address = StringField(
        "PALS web page",
        description="The local PALS office's page, starting with https://",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=300, message="PALS web page must be 300 characters or fewer"),
            Regexp(
                r"^https?://[^\s/]+\.[^\s]*$",
                message="Enter a PALS web page address starting with https://",
            ),
        ],
    )
    pals_postal_address = TextAreaField(
        "PALS postal address",
        filters=[strip],
        validators=[
            Optional(),
            Length(max=400, message="PALS postal address must be 400 characters or fewer"),
        ],
    )
