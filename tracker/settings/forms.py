"""The practice settings form."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class PracticeSettingsForm(FlaskForm):
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
