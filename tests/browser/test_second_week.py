"""A practice's second week in a real browser: two people correct the same case at once (the
one who saves second is refused, sees what the other changed, and saving again keeps it); and
the pages it changed pass axe and fit a phone in the states only a submission reaches."""

import pytest
from sqlalchemy import select

from tests.browser.test_accessibility import on_narrow_screens, run_axe
from tracker.cases.models import OPEN_CASE, Case
from tracker.extensions import db

pytestmark = pytest.mark.browser


def test_a_refused_correction_shows_and_keeps_the_other_persons_change(live_server, signed_in):
    with live_server.app.app_context():
        case = db.session.scalars(
            select(Case)
            .where(OPEN_CASE, Case.stage == "logged", Case.postcode.is_not(None))
            .order_by(Case.id)
        ).first()
        reference, old_postcode, old_name = case.reference, case.postcode, case.patient_name
    new_name = f"{old_name} Smith"
    form_url = f"{live_server.url}/cases/{reference}/correct"

    reception, manager = signed_in("reception"), signed_in("manager")
    reception.goto(form_url)
    manager.goto(form_url)

    manager.fill("#postcode", "RV9 9ZZ")
    manager.fill("#reason", "The postcode was mistyped")
    manager.get_by_role("button", name="Correct the case details").click()
    assert "Case details corrected" in manager.locator(".nhsuk-notification-banner").inner_text()

    reception.fill("#patient_name", new_name)
    reception.fill("#reason", "The surname was missed off")
    reception.get_by_role("button", name="Correct the case details").click()
    assert "Nothing was saved" in reception.locator("#stale-warning").inner_text()
    changed = reception.locator("#stale-changes").inner_text()
    assert old_postcode in changed and "RV9 9ZZ" in changed
    assert "the form now shows the new value" in changed
    assert reception.input_value("#postcode") == "RV9 9ZZ"  # theirs, not the old one
    assert reception.input_value("#patient_name") == new_name  # and what reception typed
    assert reception.input_value("#reason") == "The surname was missed off"
    assert run_axe(reception) == []
    on_narrow_screens(reception)
    reception.set_viewport_size({"width": 1280, "height": 900})

    reception.get_by_role("button", name="Correct the case details").click()
    assert "Case details corrected" in reception.locator(".nhsuk-notification-banner").inner_text()
    timeline = reception.locator(".app-timeline").inner_text()
    assert f"Patient name: {old_name} → {new_name}" in timeline
    assert f"RV9 9ZZ → {old_postcode}" not in timeline
    with live_server.app.app_context():
        saved = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        assert (saved.patient_name, saved.postcode) == (new_name, "RV9 9ZZ")
    reception.context.close()
    manager.context.close()


def test_the_outbox_fits_a_phone_with_a_long_address_and_error(live_server, signed_in):
    from tracker.outbox.models import OutboxMessage

    long_address = "duty.doctor.for.the.riverside.and.millbrook.surgeries@" + "x" * 40 + ".nhs.net"
    with live_server.app.app_context():
        db.session.add(
            OutboxMessage(
                kind="urgent",
                recipient=long_address,
                subject="Urgent clinical concern logged",
                text_body="-",
                html_body="-",
                status="failed",
                attempts=5,
                last_error="SMTPRecipientsRefused:" + "nosuchmailboxatthisrelay" * 4,
            )
        )
        db.session.commit()
    page = signed_in("manager")
    page.goto(f"{live_server.url}/admin/mail")
    assert long_address in page.locator("#outbox").inner_text()
    assert run_axe(page) == []
    on_narrow_screens(page)
    page.context.close()


def test_removing_a_document_asks_to_check_it_first(live_server, signed_in):
    from tracker.cases.attachments import CaseAttachment

    with live_server.app.app_context():
        reference = db.session.scalar(
            select(Case.reference)
            .join(CaseAttachment, CaseAttachment.case_id == Case.id)
            .order_by(Case.id)
            .limit(1)
        )
    page = signed_in("manager")
    page.goto(f"{live_server.url}/cases/{reference}/remove-document")
    page.locator("input[name=document]").first.check()
    page.fill("#reason", "Added to the wrong case")
    page.get_by_role("button", name="Remove a document").click()
    assert "You are about to remove" in page.locator("#confirm-warning").inner_text()
    assert page.get_by_role("button", name="Yes, remove this document").is_visible()
    assert run_axe(page) == []
    on_narrow_screens(page)
    page.context.close()


def test_a_letter_can_go_to_the_person_acting_for_the_patient(live_server, signed_in):
    with live_server.app.app_context():
        case = db.session.scalars(
            select(Case)
            .where(OPEN_CASE, Case.postcode.is_not(None), Case.representative_consent.is_(True))
            .order_by(Case.id)
        ).first()
        reference, son = case.reference, case.representative_full_name
    page = signed_in("reception")
    page.goto(f"{live_server.url}/cases/{reference}/send-letter")
    options = page.locator("#recipient").inner_text() if page.locator("#recipient").count() else ""
    labels = page.locator("input[name=recipient]").count()
    assert labels == 3, options
    assert son in page.content()
    assert run_axe(page) == []
    on_narrow_screens(page)
    page.context.close()
