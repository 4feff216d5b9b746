"""The practice manager's letter templates: edit with a preview, every version kept with who
and when, the shipped text restored; placeholders filled in as text, never as markup."""

from sqlalchemy import select

from tests.factories import settings_form
from tests.helpers import text_of
from tests.letters.conftest import pdf_text
from tracker.audit.models import Event
from tracker.cases.letters.defaults import DEFAULT_LETTERS
from tracker.cases.letters.kinds import LetterKind
from tracker.cases.letters.placeholders import PLACEHOLDER, PLACEHOLDERS
from tracker.extensions import db
from tracker.settings.models import load_settings


def test_only_the_practice_manager_edits_letters(staff, as_user):
    for person in (staff.reception, staff.gp, staff.senior):
        assert as_user(person).get("/admin/letters").status_code == 403
        assert (
            as_user(person)
            .post("/admin/letters/pals", data={"body": "x", "intent": "save"})
            .status_code
            == 403
        )
    assert as_user(staff.manager).get("/admin/letters").status_code == 200


def test_preview_save_history_and_restore(practice, staff, as_user, app):
    manager = as_user(staff.manager)
    body = "Dear {patient_name}\n\n## About PALS\n\nCall {pals_phone_typo} or {practice_phone}."
    preview = manager.post("/admin/letters/pals", data={"body": body, "intent": "preview"})
    assert preview.status_code == 200
    text = text_of(preview)
    assert "Dear Sam Sample" in text and "0113 496 0000" in text
    assert "{pals_phone_typo}" in text  # shown as typed, and refused on saving
    refused = manager.post("/admin/letters/pals", data={"body": body, "intent": "save"})
    assert "not in the list, so the letter cannot fill them in: {pals_phone_typo}" in text_of(
        refused
    )
    assert body.split("\n")[-1] in refused.get_data(as_text=True)  # what was typed comes back

    fixed = body.replace("{pals_phone_typo}", "PALS")
    assert (
        manager.post("/admin/letters/pals", data={"body": fixed, "intent": "save"}).status_code
        == 302
    )
    page = text_of(manager.get("/admin/letters/pals"))
    assert "Changed by Mo Manager" in page and "Edited by Mo Manager" in page
    sample = pdf_text(manager.get("/admin/letters/pals/sample.pdf").data)
    assert "Call PALS or 0113 496 0000." in sample

    assert manager.post("/admin/letters/pals/restore").status_code == 302
    page = text_of(manager.get("/admin/letters/pals"))
    assert "This is the shipped text." in page and "Shipped text restored by Mo Manager" in page
    assert "Getting help from PALS" in pdf_text(manager.get("/admin/letters/pals/sample.pdf").data)
    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(select(Event).order_by(Event.id))]
        assert kinds[-2:] == ["letter_template_edited", "letter_template_restored"]


def test_what_a_case_holds_is_filled_in_as_text(practice, staff, as_user, letter_case):
    reference = letter_case(patient_name="<b>Bold</b> {reference} **Star**")
    page = as_user(staff.reception).get(f"/cases/{reference}/letters/print?letter=pals")
    html = page.get_data(as_text=True)
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; {reference} **Star**" in html  # not filled in twice


def test_every_shipped_letter_uses_only_known_placeholders_and_says_what_it_must():
    assert set(DEFAULT_LETTERS) == set(LetterKind)
    for text in DEFAULT_LETTERS.values():
        assert set(PLACEHOLDER.findall(text)) <= set(PLACEHOLDERS)
    acknowledgement = DEFAULT_LETTERS[LetterKind.ACKNOWLEDGEMENT]
    for fact in (
        "NHS Complaints Advocacy",
        "Parliamentary and Health Service Ombudsman",
        "{pals_office_name}",
        "{outcome_target_days} working days",
        "talk",
    ):
        assert fact in acknowledgement, fact
    assert "{pals_details}" in DEFAULT_LETTERS[LetterKind.PALS]
    assert "{reviewer_note}" in DEFAULT_LETTERS[LetterKind.OUTCOME]


def test_the_practice_manager_sets_the_letterhead_in_settings(staff, as_user, app):
    manager = as_user(staff.manager)
    page = text_of(manager.get("/admin/letters"))
    assert "Practice details missing from letters" in page
    form = settings_form(
        practice_address="12 High Street\r\nLeeds LS2 7AB", practice_phone="0113 abc"
    )
    refused = manager.post("/admin/settings", data=form)
    assert "Enter the practice phone number using only numbers, spaces and + ( ) -" in text_of(
        refused
    )
    assert "12 High Street" in refused.get_data(as_text=True)  # what was typed comes back
    saved = manager.post("/admin/settings", data={**form, "practice_phone": "0113 496 0000"})
    assert saved.status_code == 302
    with app.app_context():
        settings = load_settings()
        assert (settings.practice_address, settings.practice_phone) == (
            "12 High Street\r\nLeeds LS2 7AB",
            "0113 496 0000",
        )
    sample = pdf_text(manager.get("/admin/letters/acknowledgement/sample.pdf").data)
    assert "12 High Street Leeds LS2 7AB" in sample and "Phone: 0113 496 0000" in sample
