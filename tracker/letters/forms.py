"""Forms for editing the practice's letter templates."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.cases.letters.length import MAX_PAGES

MAX_LENGTH = 12000


class LetterTemplateForm(FlaskForm):
    body = TextAreaField(
        "Letter text",
        description=(
            "Start a line with ## for a heading and - for a list item. Put **two stars** around "
            "words for bold. Words in {curly brackets} are filled in from the case and the "
            f"practice settings: the list is below. A letter can be at most {MAX_PAGES} pages."
        ),
        validators=[
            DataRequired("Enter the letter's text, or restore the shipped text"),
            Length(
                max=MAX_LENGTH,
                message=f"Letter text must be {MAX_LENGTH:,} characters or fewer",
            ),
        ],
    )


class RestoreForm(FlaskForm):
    """Only the CSRF token: restoring needs no other input."""
