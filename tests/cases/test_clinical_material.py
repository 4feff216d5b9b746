"""Clinical material (clinical notes, clinical documents, letters with the reviewer's clinical
detail) and every event about it: only the roles granted clinical access see what they say,
checked in the page's HTML, not only in what shows on screen."""

import io

import pytest
from sqlalchemy import select

from tests.attachments.files import pdf
from tests.helpers import text_of, version_on
from tracker.audit.models import Event
from tracker.cases import attachments, queries
from tracker.cases.attachments import CaseAttachment
from tracker.cases.letters.models import CaseLetter
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.outbox.models import OutboxMessage
from tracker.staff.models import Membership, User

# Written out here, not read from the code: granting a role clinical material is a decision
# this test makes someone take on purpose.
GRANTED = {"gp", "practice_manager"}

NOTE = "Query migraine with aura; MRI head advised"
DOCUMENT = "Blood results from the haematology clinic"
DOCUMENT_FILE = "haematology-results-ada.pdf"
REMOVED = "Biopsy report for Ada Lovelace"
REMOVED_FILE = "biopsy-ada-lovelace.pdf"
REASON = "Filed on the wrong case: it belongs to her sister, Mrs Byron"
LETTER_NOTE = "Your headaches are migraines with aura."
SECRETS = (NOTE, DOCUMENT, DOCUMENT_FILE, REMOVED, REMOVED_FILE, REASON, LETTER_NOTE)


def upload(client, reference, description, name, **extra):
    page = client.get(f"/cases/{reference}/add-document")
    data = {
        "version": version_on(page.get_data(as_text=True)),
        "description": description,
        "file": (io.BytesIO(pdf(description)), name),
        **extra,
    }
    response = client.post(
        f"/cases/{reference}/add-document", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def document_id(app, description):
    with app.app_context():
        return db.session.scalar(
            select(CaseAttachment.id).where(CaseAttachment.description == description)
        )


def remove(client, reference, document, reason):
    form = client.get(f"/cases/{reference}/remove-document").get_data(as_text=True)
    response = client.post(
        f"/cases/{reference}/remove-document",
        data={
            "version": version_on(form),
            "document": str(document),
            "confirmed": str(document),
            "reason": reason,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def reviewed_case(staff, act, log_case):
    """A case reception logged, reviewed by Dr Omar Second, with the outcome recorded."""
    reference = log_case(address_lines="4 Mill Lane\nLeeds", postcode="LS6 3AA")
    act(staff.manager, reference, "assign", {"reviewer": staff.other_gp.id})
    act(staff.other_gp, reference, "start-review", {"review_type": "notes"})
    act(
        staff.other_gp,
        reference,
        "record-outcome",
        {
            "outcome": "first_opinion_confirmed",
            "outcome_summary": "Agree with the plan.",
            "patient_response": "satisfied",
            "confirm_early": "yes",
        },
    )
    return reference


@pytest.mark.parametrize("added_by", ["gp", "manager"])
def test_reception_never_holds_a_removed_clinical_documents_description_name_or_reason(
    app, staff, as_user, log_case, added_by
):
    reference = log_case()
    act_as = staff.manager if added_by == "manager" else staff.gp
    upload(as_user(act_as), reference, REMOVED, REMOVED_FILE, clinical="y")
    remove(as_user(staff.manager), reference, document_id(app, REMOVED), REASON)

    reception_page = as_user(staff.reception).get(f"/cases/{reference}")
    html = reception_page.get_data(as_text=True)
    for secret in (REMOVED, REMOVED_FILE, REASON):
        assert secret not in html, secret
    assert "Document removed" in text_of(reception_page)  # that it went, not what it was

    # Those who may see clinical material still read the whole timeline entry.
    gp_html = as_user(staff.gp).get(f"/cases/{reference}").get_data(as_text=True)
    assert REMOVED in gp_html and REMOVED_FILE in gp_html and REASON in gp_html

    # The form that listed the document to remove kept none of it for later requests.
    kept = app.jinja_env.globals["component"].kept
    assert kept  # the form's empty fields and buttons were kept
    for secret in (REMOVED, REMOVED_FILE, REASON):
        assert secret not in "".join(kept.values()) + repr(list(kept)), secret


def test_reception_never_holds_a_clinical_document_note_or_letters_words(
    app, staff, as_user, act, log_case, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")  # emails are queued
    reference = reviewed_case(staff, act, log_case)
    gp = as_user(staff.other_gp)
    act(staff.other_gp, reference, "add-note", {"text": NOTE, "clinical": "y"})
    upload(gp, reference, DOCUMENT, DOCUMENT_FILE, clinical="y")
    upload(gp, reference, REMOVED, REMOVED_FILE, clinical="y")
    remove(as_user(staff.manager), reference, document_id(app, REMOVED), REASON)
    sent = act(
        staff.other_gp,
        reference,
        "send-letter",
        {"letter": "outcome", "sent_method": "post", "reviewer_note": LETTER_NOTE},
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with app.app_context():
        letter = db.session.scalars(select(CaseLetter)).one()
        assert letter.clinical
    assert gp.get(f"/cases/{reference}/documents/{document_id(app, DOCUMENT)}").status_code == 200
    assert gp.get(f"/cases/{reference}/letters/{letter.id}.pdf").status_code == 200

    reception = as_user(staff.reception)
    html = reception.get(f"/cases/{reference}").get_data(as_text=True)
    for secret in SECRETS:
        assert secret not in html, secret
    refused = reception.get(f"/cases/{reference}/documents/{document_id(app, DOCUMENT)}")
    assert refused.status_code == 403 and DOCUMENT not in refused.get_data(as_text=True)
    refused = reception.get(f"/cases/{reference}/letters/{letter.id}.pdf")
    assert refused.status_code == 403
    assert "for GPs and the practice manager only" in text_of(refused)
    # Reception logged the case, so "New for you" on their home page lists these changes.
    home = reception.get("/")
    assert "Clinical note added" in text_of(home)
    for secret in SECRETS:
        assert secret not in home.get_data(as_text=True), secret
    with app.app_context():
        queued = db.session.scalars(select(OutboxMessage)).all()
        assert queued  # the reviewer was told of the assignment, at least
        for message in queued:
            for secret in SECRETS:
                assert secret not in f"{message.subject}\n{message.text_body}", secret
                assert secret not in message.html_body, secret

    gp_html = gp.get(f"/cases/{reference}").get_data(as_text=True)
    for secret in (NOTE, DOCUMENT, DOCUMENT_FILE, REMOVED, REMOVED_FILE, REASON):
        assert secret in gp_html, secret


def test_every_event_about_clinical_material_is_clinical_and_no_other(
    app, staff, as_user, act, log_case
):
    reference = reviewed_case(staff, act, log_case)
    gp, manager = as_user(staff.other_gp), as_user(staff.manager)
    act(staff.other_gp, reference, "add-note", {"text": NOTE, "clinical": "y"})
    act(staff.other_gp, reference, "add-note", {"text": "Patient phoned"})
    upload(gp, reference, REMOVED, REMOVED_FILE, clinical="y")
    upload(gp, reference, "Envelope", "envelope.pdf")
    clinical_document, plain_document = document_id(app, REMOVED), document_id(app, "Envelope")
    gp.get(f"/cases/{reference}/documents/{clinical_document}")
    gp.get(f"/cases/{reference}/documents/{plain_document}")
    remove(manager, reference, clinical_document, REASON)
    remove(manager, reference, plain_document, "Not needed")
    for note in (LETTER_NOTE, ""):
        act(
            staff.other_gp,
            reference,
            "send-letter",
            {"letter": "outcome", "sent_method": "post", "reviewer_note": note},
        )
    with app.app_context():
        letters = {letter.clinical: letter.id for letter in db.session.scalars(select(CaseLetter))}
    gp.get(f"/cases/{reference}/letters/{letters[True]}.pdf")
    gp.get(f"/cases/{reference}/letters/{letters[False]}.pdf")

    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        held = db.session.scalars(
            select(Event)
            .where(Event.case_id == case_id, Event.kind.not_in(("viewed", "email_sent")))
            .order_by(Event.id)
        ).all()
        marked = [(event.kind, event.clinical) for event in held]
    assert marked == [
        ("case_logged", False),
        ("assigned", False),
        ("review_started", False),
        ("outcome_recorded", False),
        ("clinical_note_added", True),
        ("note_added", False),
        ("clinical_document_added", True),
        ("document_added", False),
        ("document_downloaded", True),
        ("document_downloaded", False),
        ("document_removed", True),
        ("document_removed", False),
        ("letter_sent", True),
        ("letter_sent", False),
        ("letter_downloaded", True),
        ("letter_downloaded", False),
    ]
    # The practice manager's audit log gives the reason for the plain removal in full.
    assert "Not needed" in text_of(manager.get("/admin/audit?kind=document_removed"))


def test_a_role_not_granted_clinical_material_reads_no_clinical_note_or_document(
    app, staff, as_user, act, log_case
):
    """A role the allow-list does not name, as a new role would be, gets no clinical note or
    document from the queries that list them."""
    reference = log_case()
    act(staff.manager, reference, "add-note", {"text": NOTE, "clinical": "y"})
    act(staff.manager, reference, "add-note", {"text": "Patient phoned"})
    manager = as_user(staff.manager)
    upload(manager, reference, DOCUMENT, DOCUMENT_FILE, clinical="y")
    upload(manager, reference, "Envelope", "envelope.pdf")
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        newcomer = User(
            membership=Membership(role="volunteer"),
            full_name="Val Volunteer",
            email="val@example.org",
        )
        assert [note.text for note in queries.notes_for(case, newcomer)] == ["Patient phoned"]
        assert [d.description for d in attachments.listed_for(case.id, newcomer)] == ["Envelope"]
        granted = db.session.get(User, staff.manager.id)
        assert len(queries.notes_for(case, granted)) == 2
        assert len(attachments.listed_for(case.id, granted)) == 2


def test_the_documents_read_once_in_a_request_follow_an_addition_and_a_removal(
    app, staff, as_user, log_case
):
    """The case page reads its documents once a request; a document added or removed in the
    same request shows in what is read next, and each viewer gets their own list."""
    reference = log_case()
    manager = as_user(staff.manager)
    upload(manager, reference, DOCUMENT, DOCUMENT_FILE, clinical="y")
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        granted = db.session.get(User, staff.manager.id)
        front_desk = db.session.get(User, staff.reception.id)
        assert [d.description for d in attachments.listed_for(case.id, granted)] == [DOCUMENT]
        assert attachments.listed_for(case.id, front_desk) == []
        added = attachments.keep(
            case.id,
            granted,
            file_name="envelope.pdf",
            content=pdf(),
            description="Envelope",
            clinical=False,
        )
        assert {d.description for d in attachments.listed_for(case.id, granted)} == {
            DOCUMENT,
            "Envelope",
        }
        assert [d.description for d in attachments.listed_for(case.id, front_desk)] == ["Envelope"]
        attachments.remove(added)
        db.session.flush()
        assert [d.description for d in attachments.listed_for(case.id, granted)] == [DOCUMENT]
        assert attachments.listed_for(case.id, front_desk) == []
        db.session.rollback()
