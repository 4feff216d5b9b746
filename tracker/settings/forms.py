"""The practice settings form."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from tracker.forms import choices
from tracker.workdays import REGIONS


def _target(label: str, description: str) -> IntegerField:
    return IntegerField(
        label,
        description=description,
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


class PracticeSettingsForm(TargetsMixin, FlaskForm):
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
    pals_office_name = StringField(
        "Local PALS service",
        description="The name of the PALS office your patients use, for example PALS – Riverside NHS Foundation Trust. It fills in the PALS referral form.",
        filters=[lambda value: value.strip() if value else value],
        validators=[
            Optional(),
            Length(max=160, message="Local PALS service must be 160 characters or fewer"),
        ],
    )
