"""Letters to the patient: each one as a PDF with the case's and the practice's details, the
print view, a case without an address, and a letter kept byte for byte once marked as sent."""

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.helpers import text_of, version_on
from tests.letters.conftest import pdf_text
from tracker.audit.models import Event
from tracker.cases.letters.models import CaseLetter
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.settings.models import load_settings

PRACTICE_DETAILS = ["Brookside Surgery", "12 High Street", "Leeds", "0113 496 0000"]
PATIENT_DETAILS = ["Ann O'Brien", "4 Mill Lane", "Headingley", "LS6 3AA"]


def draft(client, reference, letter, **form):
    if form:
        return client.post(f"/cases/{reference}/letters/draft.pdf", data={"letter": letter, **form})
    return client.get(f"/cases/{reference}/letters/draft.pdf?letter={letter}")


def test_the_acknowledgement_has_the_patient_the_practice_advocacy_and_the_ombudsman(
    practice, staff, as_user, letter_case
):
    reference = letter_case()
    response = draft(as_user(staff.reception), reference, "acknowledgement")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response.data)
    for expected in [*PATIENT_DETAILS, *PRACTICE_DETAILS, reference]:
        assert expected in text, expected
    assert "received your complaint" in text or "We got your complaint on 2 November 2026" in text
    assert "NHS Complaints Advocacy is a free service that can help you make your complaint" in text
    assert (
        "you have the right to ask the Parliamentary and Health Service Ombudsman to look at your complaint"
        in text
    )
    assert "PALS – West Yorkshire ICB" in text and "0113 496 0999" in text
    assert "Page 1 of 2" in text and "Page 2 of 2" in text


@pytest.mark.parametrize(
    ("letter", "stage", "expected"),
    [
        ("appointment", "in_review", ["Dr Omar Second will do this", "Friday 27 November 2026 at 10:30"]),
        ("outcome", "outcome_recorded", ["agrees with the advice you were first given"]),
        ("pals", "logged", ["PALS – West Yorkshire ICB", "pals.wy@nhs.net", "https://pals.example.nhs.uk", "White Rose House", "run by NHS organisations"]),
    ],
)  # fmt: skip
def test_every_letter_has_the_patient_the_reference_and_the_practice(
    practice, staff, as_user, letter_case, letter, stage, expected
):
    reference = letter_case(stage)
    response = draft(as_user(staff.manager), reference, letter)
    assert response.status_code == 200, response.get_data(as_text=True)
    text = pdf_text(response.data)
    for found in [*PATIENT_DETAILS, *PRACTICE_DETAILS, reference, *expected]:
        assert found in text, found


def test_the_outcome_letter_has_no_clinical_detail_unless_the_reviewer_adds_it(
    practice, staff, as_user, letter_case
):
    reference = letter_case("outcome_recorded")
    reviewer = as_user(staff.other_gp)
    plain = pdf_text(draft(reviewer, reference, "outcome").data)
    assert "Migraine" not in plain
    added = draft(reviewer, reference, "outcome", reviewer_note="Your headaches are migraines.")
    assert "Your headaches are migraines." in pdf_text(added.data)
    # Reception makes letters but adds nothing clinical to them.
    refused = draft(as_user(staff.reception), reference, "outcome", reviewer_note="Anything")
    assert refused.status_code == 409
    assert "Only the reviewer or the practice manager can add to a letter" in text_of(refused)


def test_the_print_view_is_the_letter_as_a_page(practice, staff, as_user, letter_case):
    reference = letter_case()
    page = as_user(staff.reception).get(f"/cases/{reference}/letters/print?letter=pals")
    assert page.status_code == 200
    text = text_of(page)
    for expected in [*PATIENT_DETAILS, *PRACTICE_DETAILS, reference, "Getting help from PALS"]:
        assert expected in text, expected
    html = page.get_data(as_text=True)
    assert f'href="/cases/{reference}"' in html
    assert "Yours sincerely<br>" not in html and "Rita Reception<br>" in html  # the sign-off lines


def test_a_case_without_an_address_cannot_have_a_letter_and_says_why(
    practice, staff, as_user, letter_case, app
):
    reference = letter_case(address_lines=None, postcode=None)
    reception = as_user(staff.reception)
    page = reception.get(f"/cases/{reference}/send-letter")
    assert page.status_code == 200
    text = text_of(page)
    assert (
        "There is no postal address for the patient on this case, so a letter cannot be made"
        in text
    )
    assert "Mark as sent" not in text
    for path in ("draft.pdf?letter=pals", "print?letter=acknowledgement"):
        refused = reception.get(f"/cases/{reference}/letters/{path}")
        assert refused.status_code == 409
        assert "There is no postal address for the patient on this case" in text_of(refused)
    posted = reception.post(
        f"/cases/{reference}/send-letter",
        data={
            "version": version_on(page.get_data(as_text=True)),
            "letter": "pals",
            "sent_method": "post",
        },
    )
    assert posted.status_code == 200
    with app.app_context():
        assert db.session.scalars(select(CaseLetter)).all() == []


def mark_sent(act, user, reference, letter, method="post", **form):
    return act(user, reference, "send-letter", {"letter": letter, "sent_method": method, **form})


def test_marking_the_acknowledgement_sent_keeps_it_and_records_the_acknowledgement(
    practice, staff, as_user, act, letter_case, app, frozen_clock, events_of
):
    reference = letter_case()
    response = mark_sent(act, staff.reception, reference, "acknowledgement")
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        assert (case.acknowledged_on, case.acknowledgement_method) == (date(2026, 11, 24), "letter")
        kept = db.session.scalars(select(CaseLetter)).one()
        assert (kept.kind, kept.sent_method, kept.sent_by_id) == (
            "acknowledgement",
            "post",
            staff.reception.id,
        )
        sent_pdf = kept.pdf
        letter_id = kept.id
    assert "Ann O'Brien" in pdf_text(sent_pdf)
    assert events_of(reference)[-1][:2] == ("letter_sent", "Rita Reception")
    case_page = as_user(staff.reception).get(f"/cases/{reference}")
    text = text_of(case_page)
    assert "Acknowledgement of a formal complaint" in text and "By post" in text
    assert "acknowledged 24 November 2026 by letter" in text
    assert f"/cases/{reference}/letters/{letter_id}.pdf" in case_page.get_data(as_text=True)


def test_a_sent_letter_downloads_byte_for_byte_after_the_template_changes(
    practice, staff, as_user, act, letter_case, app
):
    reference = letter_case()
    mark_sent(act, staff.manager, reference, "pals", "handed_over")
    with app.app_context():
        kept = db.session.scalars(select(CaseLetter)).one()
        sent_pdf, letter_id = kept.pdf, kept.id
    manager = as_user(staff.manager)
    first = manager.get(f"/cases/{reference}/letters/{letter_id}.pdf")
    assert first.status_code == 200 and first.data == sent_pdf
    assert first.headers["Content-Disposition"].startswith("attachment;")
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["Cache-Control"] == "no-store"

    # The practice manager rewrites the letter and the practice moves.
    saved = manager.post(
        "/admin/letters/pals",
        data={"body": "Dear {patient_name}\n\nA completely new PALS letter.", "intent": "save"},
    )
    assert saved.status_code == 302
    with app.app_context():
        load_settings().practice_address = "1 New Road\nBradford"
        db.session.commit()

    assert "A completely new PALS letter." in pdf_text(draft(manager, reference, "pals").data)
    later = as_user(staff.reception).get(f"/cases/{reference}/letters/{letter_id}.pdf")
    assert later.status_code == 200 and later.data == sent_pdf
    assert "A completely new PALS letter." not in pdf_text(later.data)
    assert "12 High Street" in pdf_text(later.data) and "1 New Road" not in pdf_text(later.data)
    with app.app_context():
        downloads = db.session.scalars(
            select(Event).where(Event.kind == "letter_downloaded").order_by(Event.id)
        ).all()
        assert [event.actor_id for event in downloads] == [staff.manager.id, staff.reception.id]


def test_a_letter_with_the_reviewers_note_is_hidden_from_reception(
    practice, staff, as_user, act, letter_case, app
):
    reference = letter_case("outcome_recorded")
    mark_sent(act, staff.other_gp, reference, "outcome", "email", reviewer_note="It is migraine.")
    with app.app_context():
        kept = db.session.scalars(select(CaseLetter)).one()
        assert kept.clinical
    refused = as_user(staff.reception).get(f"/cases/{reference}/letters/{kept.id}.pdf")
    assert refused.status_code == 403
    assert "It is migraine." not in refused.get_data(as_text=True)
    assert "Clinical: not shown to you" in text_of(
        as_user(staff.reception).get(f"/cases/{reference}")
    )
    assert as_user(staff.gp).get(f"/cases/{reference}/letters/{kept.id}.pdf").status_code == 200


def test_a_letter_that_does_not_exist_is_a_bad_request(practice, staff, as_user, letter_case):
    reference = letter_case()
    response = as_user(staff.reception).get(f"/cases/{reference}/letters/print?letter=invoice")
    assert response.status_code == 400
    assert "Choose the letter to make." in text_of(response)


def test_a_letter_that_does_not_fit_the_case_is_not_offered(practice, staff, as_user, letter_case):
    reference = letter_case(formal_complaint=False)
    page = as_user(staff.reception).get(f"/cases/{reference}/send-letter")
    html = page.get_data(as_text=True)
    assert 'value="pals"' in html and 'value="acknowledgement"' not in html
    assert "This is not a formal complaint, so there is no complaint to acknowledge." in text_of(
        page
    )


def test_the_address_sits_in_a_dl_envelopes_window_on_an_a4_page(
    practice, staff, as_user, letter_case
):
    """A DL window is 90 x 35 mm, 20 mm from the left and about 45 mm from the top of the
    folded sheet: every line of the patient's name and address must fall inside it."""
    reference = letter_case()
    data = draft(as_user(staff.reception), reference, "pals").data
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    points_per_mm = 72 / 25.4
    found = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() in PATIENT_DETAILS:
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found[text.strip()] = (x / points_per_mm, (842 - y) / points_per_mm)

    page.extract_text(visitor_text=visit)
    assert set(found) == set(PATIENT_DETAILS)
    for line, (left, down) in found.items():
        assert 19.5 <= left <= 110 and 45 <= down <= 85, (line, left, down)
