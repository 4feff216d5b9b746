"""The form for editing the practice's letter templates."""

from tracker.cases.letters.length import MAX_PAGES
from tracker.versioned_text.forms import text_form

MAX_LENGTH = 12000

LetterTemplateForm = text_form(
    "Letter text",
    "Start a line with ## for a heading and - for a list item. Put **two stars** around "
    "words for bold. Words in {curly brackets} are filled in from the case and the "
    f"practice settings: the list is below. A letter can be at most {MAX_PAGES} pages.",
    required="Enter the letter's text, or restore the shipped text",
    max_length=MAX_LENGTH,
    too_long="Letter text must be",
)
