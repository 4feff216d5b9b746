"""Letters are bounded: a template that would make a letter of too many pages, or of too many
parts to lay out quickly, is refused when it is saved; one stored before the bound (or made
too long by a case) is refused with a clear message before anything is laid out."""

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.cases.letters import render
from tracker.cases.letters.defaults import DEFAULT_LETTERS
from tracker.cases.letters.length import MAX_PAGES, Length, LetterTooLong
from tracker.cases.letters.models import CaseLetter, LetterTemplateVersion
from tracker.extensions import db
from tracker.staff.models import User

# One word a paragraph: within the 12,000 characters, over a hundred pages.
PARAGRAPHS = "x\n\n" * 3990
# Thousands of bold words on two pages: each one costs time to lay out.
BOLD_WORDS = "**a** " * 1900
# A long letter a practice might write: 11,000 characters of prose in 20 paragraphs.
PROSE = (
    "We looked carefully at what you told us and at the notes of your appointments, and the "
    "doctor who gave the second opinion has written to explain what they found and why. "
)
LONG_LETTER = "Dear {patient_name}\n\n" + "\n\n".join([PROSE * 3] * 20) + "\n\n{sender_name}\n"


def pages_of(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def template_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(LetterTemplateVersion))


@pytest.fixture
def no_layout(monkeypatch):
    """Fails the test if anything is laid out as a PDF."""

    def refuse(*args, **kwargs):
        raise AssertionError("the letter was laid out")

    monkeypatch.setattr(render, "laid_out", refuse)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (PARAGRAPHS, f"pages long, and a letter can be at most {MAX_PAGES} pages"),
        (BOLD_WORDS, "bold words, and a letter can have at most 300"),
    ],
    ids=["one-word paragraphs", "bold words"],
)
def test_saving_a_template_too_long_to_make_is_refused_with_the_reason(
    practice, staff, as_user, app, body, reason
):
    page = as_user(staff.manager).post("/admin/letters/pals", data={"body": body, "intent": "save"})
    assert page.status_code == 200
    text = text_of(page)
    assert text.startswith("Error:") and reason in text
    assert "Shorten the text" in text
    assert body.strip() in page.get_data(as_text=True)  # what was typed comes back
    assert template_rows(app) == 0
    with app.app_context():
        assert "letter_template_edited" not in db.session.scalars(select(Event.kind)).all()


def test_the_preview_says_so_too(practice, staff, as_user):
    page = as_user(staff.manager).post(
        "/admin/letters/pals", data={"body": PARAGRAPHS, "intent": "preview"}
    )
    assert f"a letter can be at most {MAX_PAGES} pages" in text_of(page)


def test_an_ordinary_long_letter_still_saves_and_makes_its_pages(
    practice, staff, as_user, app, letter_case
):
    manager = as_user(staff.manager)
    saved = manager.post("/admin/letters/pals", data={"body": LONG_LETTER, "intent": "save"})
    assert saved.status_code == 302
    assert template_rows(app) == 1
    sample = manager.get("/admin/letters/pals/sample.pdf")
    assert sample.mimetype == "application/pdf"
    assert 3 <= pages_of(sample.data) <= MAX_PAGES
    reference = letter_case()
    draft = as_user(staff.reception).get(f"/cases/{reference}/letters/draft.pdf?letter=pals")
    assert draft.mimetype == "application/pdf"
    assert pages_of(draft.data) == pages_of(sample.data)


@pytest.fixture
def stored_before_the_bound(app, staff):
    """A template saved before templates were measured: every letter from it is too long."""
    with app.app_context():
        db.session.add(
            LetterTemplateVersion(kind="pals", body=PARAGRAPHS, created_by_id=staff.manager.id)
        )
        db.session.commit()


def test_a_stored_template_too_long_to_make_is_refused_before_it_is_laid_out(
    practice, staff, as_user, act, app, letter_case, stored_before_the_bound, no_layout
):
    reference = letter_case()
    reception = as_user(staff.reception)
    for response in (
        reception.get(f"/cases/{reference}/letters/draft.pdf?letter=pals"),
        reception.get(f"/cases/{reference}/letters/print?letter=pals"),
    ):
        assert response.status_code == 409
        text = text_of(response)
        assert "The letter cannot be made" in text
        assert f"a letter can be at most {MAX_PAGES} pages" in text
        assert "ask the practice manager to shorten the letter's text" in text

    sent = act(staff.reception, reference, "send-letter", {"letter": "pals", "sent_method": "post"})
    assert sent.status_code == 200
    assert f"a letter can be at most {MAX_PAGES} pages" in text_of(sent)
    with app.app_context():
        assert db.session.scalars(select(CaseLetter)).all() == []

    sample = as_user(staff.manager).get("/admin/letters/pals/sample.pdf", follow_redirects=True)
    assert sample.mimetype == "text/html"
    text = text_of(sample)
    assert "There is a problem" in text and f"at most {MAX_PAGES} pages" in text


def test_a_letter_longer_once_laid_out_than_measured_is_refused(practice, staff, app):
    """The page count after layout is the second wall behind the measure."""
    with app.test_request_context(), app.app_context():
        sender = db.session.get(User, staff.manager.id)
        letter = render.sample_letter("pals", "x\n\n" * 200, sender, for_pdf=True)
        measured_short = replace(letter, length=Length(pages=1, parts=letter.length.parts))
        with pytest.raises(LetterTooLong, match=r"about \d+ pages long"):
            render.pdf_of(measured_short)


@pytest.mark.parametrize(
    "body",
    [*DEFAULT_LETTERS.values(), LONG_LETTER, "x\n\n" * 60],
    ids=[*DEFAULT_LETTERS, "long letter", "sixty short paragraphs"],
)
def test_the_measure_matches_the_pages_laid_out(practice, staff, app, body):
    with app.test_request_context(), app.app_context():
        sender = db.session.get(User, staff.manager.id)
        letter = render.sample_letter("outcome", body, sender, for_pdf=True)
        assert letter.length.pages == pages_of(render.pdf_of(letter))
