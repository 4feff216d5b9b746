"""The versioned-text editor's forms: the text, and restoring the shipped text."""

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.forms import Form


def text_form(
    label: str, hint: str, *, required: str, max_length: int, too_long: str
) -> type[Form]:
    """A form of one text box, for one registration's words and length limit."""

    class TextForm(Form):
        body = TextAreaField(
            label,
            description=hint,
            validators=[
                DataRequired(required),
                Length(max=max_length, message=f"{too_long} {max_length:,} characters or fewer"),
            ],
        )

    return TextForm


class RestoreForm(Form):
    """Only the CSRF token: restoring needs no other input."""
