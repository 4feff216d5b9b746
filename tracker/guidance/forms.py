"""The form for editing the practice's guidance text."""

from tracker.versioned_text.forms import text_form

MAX_LENGTH = 8000

GuidanceForm = text_form(
    "Guidance text",
    "Start a line with ## for a heading and - for a list item. "
    "Put **two stars** around words for bold and write a link as [words](https://...).",
    required="Enter the guidance text, or restore the shipped text",
    max_length=MAX_LENGTH,
    too_long="Guidance text must be",
)
