"""Forms for editing the practice's guidance text."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

MAX_LENGTH = 8000


class GuidanceForm(FlaskForm):
    body = TextAreaField(
        "Guidance text",
        description=(
            "Start a line with ## for a heading and - for a list item. "
            "Put **two stars** around words for bold and write a link as [words](https://...)."
        ),
        validators=[
            DataRequired("Enter the guidance text, or restore the shipped text"),
            Length(
                max=MAX_LENGTH,
                message=f"Guidance text must be {MAX_LENGTH:,} characters or fewer",
            ),
        ],
    )


class RestoreForm(FlaskForm):
    """Only the CSRF token: restoring needs no other input."""
