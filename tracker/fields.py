"""Form fields and validators the NHS.UK patterns need and WTForms lacks."""

import re
from datetime import date, datetime, time

import nhs_number
from wtforms import Field, IntegerField, StringField
from wtforms.utils import unset_value
from wtforms.validators import StopValidation, ValidationError

from tracker import clock
from tracker.clock import LONDON

DATE_PARTS = ("day", "month", "year")


class DateInputField(Field):
    """A date typed into the NHS.UK date input: boxes named NAME[day], NAME[month], NAME[year]."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.raw = dict.fromkeys(DATE_PARTS, "")

    @property
    def error_anchor(self) -> str:
        return f"{self.id}-day"

    def process(self, formdata, data=unset_value, extra_filters=None):  # noqa: D401 - WTForms hook
        self.process_errors = []
        self.raw = dict.fromkeys(DATE_PARTS, "")
        if data is unset_value or data is None:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = data if isinstance(data, date) else None
        if self.data:
            self.raw = {
                "day": str(self.data.day),
                "month": str(self.data.month),
                "year": str(self.data.year),
            }
        if formdata is None or not any(f"{self.name}[{part}]" in formdata for part in DATE_PARTS):
            return
        self.raw = {
            part: (formdata.get(f"{self.name}[{part}]") or "").strip() for part in DATE_PARTS
        }
        self.data = None
        if not any(self.raw.values()):
            return
        missing = [part for part in DATE_PARTS if not self.raw[part]]
        name = self.label.text
        if missing:
            self.process_errors.append(f"{name} must include a {' and a '.join(missing)}")
            return
        try:
            year = int(self.raw["year"])
            if year < 1000:
                raise ValueError
            self.data = date(year, int(self.raw["month"]), int(self.raw["day"]))
        except ValueError:
            self.process_errors.append(f"{name} must be a real date, like 27 3 2026")

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""


class DateRequired:
    """The date must be given (a typed but invalid date already has its own message)."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if field.process_errors:
            raise StopValidation()
        if field.data is None:
            raise StopValidation(self.message)


class NotInFuture:
    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if field.data and field.data > clock.today_london():
            raise ValidationError(self.message)


def normalise_nhs_number(value: str | None) -> str:
    """Digits only: the spaces people type between the groups are dropped."""
    return (value or "").replace(" ", "").strip()


def nhs_number_problem(value: str) -> str | None:
    """What is wrong with a typed NHS number, or None when it is valid."""
    number = normalise_nhs_number(value)
    if not number.isdigit():
        return "NHS number must only include numbers and spaces"
    if len(number) != 10:
        return "NHS number must be 10 digits"
    if not nhs_number.is_valid(number):
        return "Enter a valid NHS number: the last digit does not match, so check it for a typing mistake"
    return None


# A UK postcode: the outward code (area, district) and the inward code (sector, unit), with
# or without the space between them. GIR 0AA is the one postcode outside the pattern.
POSTCODE = re.compile(r"^(?:([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})|(GIR) ?(0AA))$")


def normalise_postcode(value: str | None) -> str:
    """Upper case with one space before the last three characters: "sw1a1aa" -> "SW1A 1AA".
    Text that is not a postcode comes back upper case and trimmed, for its error message."""
    text = " ".join((value or "").upper().split())
    found = POSTCODE.match(text)
    if not found:
        return text
    outward, inward = (found.group(1), found.group(2)) if found.group(1) else ("GIR", "0AA")
    return f"{outward} {inward}"


def postcode_problem(value: str) -> str | None:
    """What is wrong with a typed postcode, or None when it is a UK postcode."""
    if not POSTCODE.match(normalise_postcode(value)):
        return "Enter a real UK postcode, like LS1 4AP"
    return None


class NHSNumberField(StringField):
    """An NHS number, stored as 10 digits and shown as 485 777 3457."""

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.typed = None  # what was typed is shown back; a value given by the app is not typed
        super().process(formdata, data, extra_filters)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.typed = self.data
        if self.data is not None:
            self.data = normalise_nhs_number(self.data) or None

    def _value(self) -> str:
        typed = getattr(self, "typed", None)
        if typed is not None:
            return typed
        if self.data and len(self.data) == 10:
            return f"{self.data[:3]} {self.data[3:6]} {self.data[6:]}"
        return self.data or ""


def london_datetime(day: date, at: time) -> datetime:
    """A practice-local date and time as an aware datetime."""
    return datetime.combine(day, at, tzinfo=LONDON)


_TIME = re.compile(r"(\d{1,2})(?:[:.]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?")


def parse_time(text: str | None) -> time | None:
    """A time of day as staff type it: 14:30, 14.30, 1430, 0930, 9:30, 9.30am, 2pm; None when
    it is not one."""
    match = _TIME.fullmatch((text or "").strip().lower())
    if not match:
        return None
    hours, minutes, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if match.group(2) is None and half is None:
        return None  # a bare "9" could be a mistyped anything
    if half:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if half.startswith("p") else 0)
    if hours > 23 or minutes > 59:
        return None
    return time(hours, minutes)


class WholeNumberField(IntegerField):
    """A whole number, with a message that says what to type instead of the library's
    "Not a valid integer value"."""

    def __init__(self, label=None, validators=None, *, not_a_number: str, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as problem:
            raise ValueError(self.not_a_number) from problem
