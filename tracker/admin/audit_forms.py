"""The audit log's filters, sent as a GET query so a filtered view can be bookmarked."""

from datetime import date

from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from tracker.forms import Form, strip


def _parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


class AuditFilterForm(Form):
    class Meta:
        csrf = False

    person = SelectField("Person", validators=[Optional()])
    case = StringField(
        "Case reference",
        description="For example SO-2026-0001",
        filters=[strip],
        validators=[Optional(), Length(max=16, message="Enter a case reference like SO-2026-0001")],
    )
    kind = SelectField("What happened", validators=[Optional()])
    date_from = StringField("From", description="For example 2026-11-01", filters=[strip])
    date_to = StringField("To", description="For example 2026-11-30", filters=[strip])

    def validate_date_from(self, field) -> None:
        if field.data and _parse_day(field.data) is None:
            raise ValidationError("Enter the 'from' date as year-month-day, like 2026-11-01")

    def validate_date_to(self, field) -> None:
        if field.data and _parse_day(field.data) is None:
            raise ValidationError("Enter the 'to' date as year-month-day, like 2026-11-30")
        start, end = _parse_day(self.date_from.data), _parse_day(field.data)
        if start and end and end < start:
            raise ValidationError("The 'to' date must be the same as or after the 'from' date")

    @property
    def day_from(self) -> date | None:
        return _parse_day(self.date_from.data)

    @property
    def day_to(self) -> date | None:
        return _parse_day(self.date_to.data)
