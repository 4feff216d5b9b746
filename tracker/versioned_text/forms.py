"""The versioned-text editor's forms: the text, and restoring the shipped text."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length


def text_form(
    label: str, hint: str, *, required: str, max_length: int, too_long: str
) -> type[FlaskForm]:
    """A form of one text box, for one registration's words and length limit."""

    class TextForm(FlaskForm):
        body = TextAreaField(
            label,
            description=hint,
            validators=[
                DataRequired(required),
                Length(max=max_length, message=f"{too_long} {max_length:,} characters or fewer"),
            ],
        )

    return TextForm


class RestoreForm(FlaskForm):
    """Only the CSRF token: restoring needs no other input."""
