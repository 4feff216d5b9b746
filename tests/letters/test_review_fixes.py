"""What a letter marked as sent records, and what it refuses, when things change around it."""

from datetime import date

from sqlalchemy import select

from tests.helpers import text_of, value_of, version_on
from tests.letters.conftest import pdf_text
from tracker.cases.letters.models import CaseLetter
from tracker.cases.letters.placeholders import unknown_placeholders
from tracker.cases.models import Case
from tracker.extensions import db


def stored_letters(app):
    """(kind, the PDF's text) of each letter kept."""
    with app.app_context():
        return [(kept.kind, pdf_text(kept.pdf)) for kept in db.session.scalars(select(CaseLetter))]


def test_an_acknowledgement_sent_by_email_is_recorded_as_by_email(
    practice, staff, act, letter_case, app, frozen_clock
):
    reference = letter_case()
    sent = act(
        staff.reception,
        reference,
        "send-letter",
        {"letter": "acknowledgement", "sent_method": "email"},
    )
    assert sent.status_code == 302
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        assert (case.acknowledged_on, case.acknowledgement_method) == (date(2026, 11, 24), "email")


def test_the_reviewer_cannot_record_the_acknowledgement_through_the_letter(
    practice, staff, act, letter_case, app
):
    reference = letter_case("assigned")
    refused = act(
        staff.other_gp,
        reference,
        "send-letter",
        {"letter": "acknowledgement", "sent_method": "post"},
    )
    assert "which reception or the practice manager does" in text_of(refused)
    assert stored_letters(app) == []


def test_a_note_the_outcome_template_has_no_place_for_is_refused_not_lost(
    practice, staff, as_user, act, letter_case, app
):
    manager = as_user(staff.manager)
    saved = manager.post(
        "/admin/letters/outcome",
        data={"body": "Dear {patient_name}\n\nThe outcome: {outcome_in_words}", "intent": "save"},
    )
    assert saved.status_code == 302
    reference = letter_case("outcome_recorded")
    refused = act(
        staff.other_gp,
        reference,
        "send-letter",
        {"letter": "outcome", "sent_method": "post", "reviewer_note": "Keep taking the tablets."},
    )
    assert "the note would be left out" in text_of(refused)
    assert "Keep taking the tablets." in refused.get_data(as_text=True)  # what was typed stays
    assert stored_letters(app) == []


def test_a_letter_whose_template_changed_after_the_page_opened_is_not_stored(
    practice, staff, as_user, letter_case, app
):
    reference = letter_case()
    reception, manager = as_user(staff.reception), as_user(staff.manager)
    page = reception.get(f"/cases/{reference}/send-letter").get_data(as_text=True)
    form = {
        "version": version_on(page),
        "drafted": value_of(page, "drafted"),
        "letter": "pals",
        "sent_method": "post",
    }
    # The practice manager changes the PALS letter while reception has it open and printed.
    changed = manager.post(
        "/admin/letters/pals", data={"body": "Dear {patient_name}\n\nA new text.", "intent": "save"}
    )
    assert changed.status_code == 302
    refused = reception.post(f"/cases/{reference}/send-letter", data=form)
    assert "The letter has changed since this page was opened" in text_of(refused)
    assert stored_letters(app) == []
    # Checked again, it is kept as it is now.
    again = refused.get_data(as_text=True)
    form["drafted"] = value_of(again, "drafted")
    assert reception.post(f"/cases/{reference}/send-letter", data=form).status_code == 302
    [(kind, text)] = stored_letters(app)
    assert kind == "pals" and "A new text." in text


def test_a_mistyped_placeholder_is_caught():
    assert unknown_placeholders(
        "{Patient name} {practice-phone} {reviewer_nam} {patient_name}"
    ) == [
        "Patient name",
        "practice-phone",
        "reviewer_nam",
    ]


def test_nothing_is_added_to_a_case_after_retention(practice, staff, as_user, letter_case, app):
    reference = letter_case()
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        case.identifiers_removed_at = case.received_on and case.created_at
        db.session.commit()
        version = case.version
    reception = as_user(staff.reception)
    page = reception.get(f"/cases/{reference}").get_data(as_text=True)
    assert f"/cases/{reference}/add-note" not in page
    assert f"/cases/{reference}/add-document" not in page
    assert reception.get(f"/cases/{reference}/add-note").status_code == 403
    refused = reception.post(
        f"/cases/{reference}/add-note", data={"version": str(version), "text": "Ann Smith rang"}
    )
    assert "removed from this case at the end of the retention period" in text_of(refused)
