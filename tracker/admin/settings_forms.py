"""The practice settings form."""

import re

from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.utils import unset_value
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
from tracker.forms import Form, PageOrder, choices, strip
from tracker.outbox.models import SWITCHABLE
from tracker.security.forms import SecuritySettingsMixin
from tracker.settings.models import DEFAULT_SUMMARY_TIME
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


class NoticesOnField(SelectMultipleField):
    """Checkboxes for the kinds of email that are on, kept as the kinds turned off (so a kind
    added later starts on)."""

    # The page sends this hidden marker with the boxes: a post without both (an older form,
    # a script) leaves the kinds as they were rather than turning every one off.
    MARKER = "notices_shown"

    def process(self, formdata, data=unset_value, extra_filters=None):
        if formdata is not None and self.name not in formdata and self.MARKER not in formdata:
            formdata = None
        super().process(formdata, data, extra_filters)

    def process_data(self, value):
        off = set((value or "").split(","))
        self.data = [choice.value for choice in self.choices if choice.value not in off]

    def populate_obj(self, obj, name):
        on = set(self.data or [])
        off = (choice.value for choice in self.choices if choice.value not in on)
        setattr(obj, name, ",".join(off))


def _mailbox(label: str, description: str) -> StringField:
    return StringField(
        label,
        description=description,
        filters=[strip],
        validators=[
            Optional(),
            Length(max=254, message=f"{label} must be 254 characters or fewer"),
            Email(f"Enter the {label.lower()} in the correct format, like name@nhs.net"),
        ],
    )


def summary_time(value: str) -> str:
    """7:30 or 7.30 as 07:30 (left as typed when it is not a time, for the message)."""
    found = re.fullmatch(r"(\d{1,2})[:.](\d{2})", value)
    return f"{int(found[1]):02d}:{found[2]}" if found else value


class NotificationsMixin:
    notices_off = NoticesOnField(
        "Emails the tracker sends",
        description="Untick a kind to stop it for everyone. Each person chooses whether they get the rest as they happen or in their daily summary.",
        choices=choices((kind.value, kind.label) for kind in SWITCHABLE),
    )
    duty_doctor_mailbox = _mailbox(
        "Duty doctor mailbox", "Told at once of every urgent clinical concern logged."
    )
    reception_mailbox = _mailbox(
        "Reception mailbox",
        "Reminded, with the practice manager, of complaint acknowledgements due.",
    )
    pals_chase_working_days = WholeNumberField(
        "Chase PALS after",
        description="Working days after a PALS referral with no response recorded: the case is then due a chase (it shows as due in the queues) and the practice manager is reminded. Cases already logged keep the number they were logged under.",
        not_a_number="Enter the number of working days as a whole number, like 10",
        filters=[lambda value: 10 if value is None else value],  # left blank: the default
        validators=[
            NumberRange(min=1, max=60, message="Enter a number of working days from 1 to 60"),
        ],
    )
    daily_summary_time = StringField(
        "Daily summary time",
        description="UK time on working days, as hours and minutes on the 24-hour clock, like 07:30. Reminders go out then too.",
        filters=[strip, lambda value: summary_time(value or DEFAULT_SUMMARY_TIME)],
        validators=[
            Regexp(
                r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
                message="Enter the time of the daily summary on the 24-hour clock, like 07:30",
            ),
        ],
    )


class PracticeSettingsForm(
    PageOrder, TargetsMixin, NotificationsMixin, SecuritySettingsMixin, Form
):
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
        "notices_off",
        "duty_doctor_mailbox",
        "reception_mailbox",
        "pals_chase_working_days",
        "daily_summary_time",
        "idle_sign_out_minutes",
        "two_factor_for_everyone",
        "sign_in_at_provider_only",
        "retention_years",
        "outside_reviewers_allowed",
    )
    outside_reviewers_allowed = BooleanField(
        "GPs of other practices in our PCN may review our cases",
        description="When ticked, whoever assigns a case may also choose a GP of another practice "
        "in the primary care network. That GP sees the cases given to them and nothing else of "
        "this practice. Requests for the senior partner or the practice manager stay here. The "
        "install's administrator must have named the practice's PCN.",
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
