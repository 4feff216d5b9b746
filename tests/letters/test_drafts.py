"""Drafting a letter is a service: the letter a person would send from a case now, checked the
same way whether it is read in the print view, downloaded as a PDF or marked as sent."""

import pytest
from sqlalchemy import select

from tests.letters.conftest import pdf_text
from tracker.cases.errors import CaseError, NotAllowed
from tracker.cases.letters import drafts
from tracker.cases.letters.models import CaseLetter
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.practices.scope import in_practice
from tracker.practices.services import first_practice
from tracker.staff.models import User


@pytest.fixture
def drafting(app, frozen_clock):
    """Run a drafting call as this person on the case with this reference."""

    def run(call, person, reference, *args, **kwargs):
        with app.test_request_context(), app.app_context(), in_practice(first_practice().id):
            case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
            return call(case, *args, db.session.get(User, person.id), **kwargs)

    return run


def test_a_draft_is_the_letter_filled_in_and_nothing_is_kept(
    practice, staff, app, letter_case, drafting
):
    reference = letter_case()
    pdf, name = drafting(drafts.draft_pdf, staff.reception, reference, "pals", "")
    assert name == f"draft-{reference}-pals-letter-2026-11-24.pdf"
    assert "Ann O'Brien" in pdf_text(pdf) and "PALS – West Yorkshire ICB" in pdf_text(pdf)
    page = drafting(drafts.draft, staff.reception, reference, "pals", "", back_href="/back")
    assert 'href="/back"' in page.html and "4 Mill Lane" in page.html
    with app.app_context():
        assert db.session.scalars(select(CaseLetter)).all() == []


def test_a_draft_is_refused_for_the_reasons_a_letter_is_not_sent(
    practice, staff, letter_case, drafting
):
    reference = letter_case()
    with pytest.raises(NotAllowed, match="Your role cannot 'send a letter'"):
        drafting(drafts.draft, staff.gp, reference, "pals", "")  # not the case's reviewer
    with pytest.raises(drafts.NoSuchLetter, match="Choose the letter to make"):
        drafting(drafts.draft, staff.reception, reference, "invoice", "")
    with pytest.raises(CaseError, match="Only the reviewer or the practice manager") as refused:
        drafting(drafts.draft_pdf, staff.reception, reference, "pals", "Clinical words")
    assert refused.value.field == "reviewer_note"
    with pytest.raises(CaseError, match="No outcome is recorded yet"):
        drafting(drafts.draft_pdf, staff.reception, reference, "outcome", "")
