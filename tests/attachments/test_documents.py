"""Documents on a case: a PDF, JPEG or PNG of up to 10 MB, recognised from its content, with a
description; listed on the case, downloaded byte for byte as a file, every upload and download
audited; clinical ones kept from reception."""

import io
import re

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import func, select

from tests.attachments.files import HTML, JPEG, pdf, png
from tests.helpers import text_of, value_of, version_on
from tracker.audit.models import Event
from tracker.cases.attachments import (
    CaseAttachment,
    CaseAttachmentContent,
    UploadProblem,
    check_upload,
    clean_file_name,
)
from tracker.cases.models import Case
from tracker.extensions import db

MB = 1024 * 1024


def upload(client, reference, content, name, description="Letter from the patient", **extra):
    """Open the form, then send the file as the browser would (multipart, with the version)."""
    page = client.get(f"/cases/{reference}/add-document")
    assert page.status_code == 200
    data = {
        "version": version_on(page.get_data(as_text=True)),
        "description": description,
        **extra,
    }
    if content is not None:
        data["file"] = (io.BytesIO(content), name)
    return client.post(
        f"/cases/{reference}/add-document", data=data, content_type="multipart/form-data"
    )


def stored(app, reference):
    """(description, file name, type, size, clinical, bytes) of each document on the case."""
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        rows = db.session.execute(
            select(CaseAttachment, CaseAttachmentContent.data)
            .join(CaseAttachmentContent)
            .where(CaseAttachment.case_id == case_id)
            .order_by(CaseAttachment.id)
        ).all()
        return [
            (a.description, a.file_name, a.document_type, a.size, a.clinical, data)
            for a, data in rows
        ]


def document_ids(app, reference):
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        return list(
            db.session.scalars(
                select(CaseAttachment.id)
                .where(CaseAttachment.case_id == case_id)
                .order_by(CaseAttachment.id)
            )
        )


def events(app, reference, kind):
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        found = db.session.scalars(
            select(Event).where(Event.case_id == case_id, Event.kind == kind).order_by(Event.id)
        ).all()
        return [(e.actor.full_name if e.actor else None, e.detail, e.full_detail) for e in found]


@pytest.mark.parametrize(
    ("content", "name", "media_type", "label"),
    [
        (pdf("Letter from Mrs Ada Asker"), "Letter from Ada.pdf", "application/pdf", "PDF"),
        (png(), "photo of rash.PNG", "image/png", "PNG image"),
        (JPEG, "scan.jpeg", "image/jpeg", "JPEG image"),
    ],
)
def test_a_good_file_is_kept_listed_and_downloads_byte_for_byte(
    app, staff, as_user, log_case, content, name, media_type, label
):
    reference = log_case()
    gp = as_user(staff.gp)
    response = upload(gp, reference, content, name, description="Letter from the patient's son")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cases/{reference}"
    assert stored(app, reference) == [
        (
            "Letter from the patient's son",
            name,
            label.split()[0].lower(),
            len(content),
            False,
            content,
        )
    ]

    page = gp.get(f"/cases/{reference}", follow_redirects=True)
    shown = text_of(page)
    assert f"Document added on {reference}" in shown
    documents = shown.split("Documents", 1)[1].split("Timeline", 1)[0]
    assert "Letter from the patient's son" in documents and name in documents
    assert label in documents and "Dr Gina First" in documents
    assert re.search(r"\d+ bytes", documents)  # these small files are shown in bytes

    # On the timeline: who, and what they typed, with the system's own words in the audit log.
    [(actor, detail, full)] = events(app, reference, "document_added")
    assert actor == "Dr Gina First"
    assert re.fullmatch(rf"Document \d+: {label}, \d+ bytes", detail)
    assert full == f"Letter from the patient's son ({name})"
    timeline = shown.split("Timeline", 1)[1]
    assert "Document added" in timeline and f"Letter from the patient's son ({name})" in timeline

    [document_id] = document_ids(app, reference)
    link = f"/cases/{reference}/documents/{document_id}"
    assert f'href="{link}"' in page.get_data(as_text=True)
    download = gp.get(link)
    assert download.status_code == 200
    assert download.get_data() == content
    assert download.headers["Content-Type"] == media_type
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert name.replace(" ", "") in download.headers["Content-Disposition"].replace(" ", "")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Cache-Control"] == "no-store"
    # Every download is in the audit log, not on the case's timeline.
    assert events(app, reference, "document_downloaded") == [("Dr Gina First", detail, detail)]
    assert "Document downloaded" not in text_of(gp.get(f"/cases/{reference}"))


def test_a_name_without_an_extension_downloads_with_its_types(app, staff, as_user, log_case):
    reference = log_case()
    reception = as_user(staff.reception)
    assert upload(reception, reference, pdf(), "SCAN0001").status_code == 302
    [document_id] = document_ids(app, reference)
    download = reception.get(f"/cases/{reference}/documents/{document_id}")
    assert download.headers["Content-Disposition"] == "attachment; filename=SCAN0001.pdf"
    assert download.headers["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (
            pdf(),
            "photo.jpg",
            "The selected file is a PDF but its name ends .jpg. Nothing was saved: check it is "
            "the file you meant, rename it to end .pdf and select it again",
        ),
        (
            HTML,
            "letter.pdf",
            "The selected file must be a PDF, JPEG or PNG. This file is none of those, "
            "whatever its name says",
        ),
        (
            pdf() + b"\0" * (11 * MB - len(pdf())),
            "big scan.pdf",
            "The selected file must be 10 MB or smaller. This one is 11.0 MB",
        ),
        (b"", "empty.pdf", "The selected file is empty. Check it and select it again"),
        (None, None, "Select a file to upload"),
    ],
    ids=["pdf-named-jpg", "html-named-pdf", "11-mb", "empty", "no-file"],
)
def test_a_file_that_cannot_be_kept_is_refused_and_the_description_stays(
    app, staff, as_user, log_case, content, name, message
):
    reference = log_case()
    gp = as_user(staff.gp)
    response = upload(gp, reference, content, name, description="Email from the patient, 3 Nov")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Error: Add a document" in html
    summary = text_of(response).split("There is a problem", 1)[1]
    assert message in summary
    assert 'href="#file"' in html  # the summary links to the file input
    assert value_of(html, "description") == "Email from the patient, 3 Nov"
    assert stored(app, reference) == []
    assert events(app, reference, "document_added") == []


def test_a_missing_description_keeps_nothing_and_asks_for_the_file_again(
    app, staff, as_user, log_case
):
    reference = log_case()
    response = upload(as_user(staff.gp), reference, pdf(), "letter.pdf", description="  ")
    assert response.status_code == 200
    shown = text_of(response)
    assert "Enter a description of the document" in shown
    assert "If you chose a file, choose it again." in shown
    assert stored(app, reference) == []


def test_a_request_larger_than_any_document_gets_a_page_saying_so(app, staff, as_user, log_case):
    reference = log_case()
    response = upload(as_user(staff.gp), reference, pdf() + b"\0" * (13 * MB), "huge.pdf")
    assert response.status_code == 413
    shown = text_of(response)
    assert "The file is too large" in shown and "must be 10 MB or smaller" in shown
    assert f'href="/cases/{reference}/add-document"' in response.get_data(as_text=True)
    assert stored(app, reference) == []


def test_reception_neither_sees_nor_downloads_a_clinical_document(app, staff, as_user, log_case):
    reference = log_case()
    gp, reception = as_user(staff.gp), as_user(staff.reception)
    upload(gp, reference, pdf("Blood results"), "results.pdf", "Blood test results", clinical="y")
    upload(gp, reference, png(), "envelope.png", "Envelope the letter came in")
    clinical_id, plain_id = document_ids(app, reference)
    assert [row[4] for row in stored(app, reference)] == [True, False]

    gp_page = text_of(gp.get(f"/cases/{reference}"))
    assert "Blood test results" in gp_page and "Clinical" in gp_page
    assert gp.get(f"/cases/{reference}/documents/{clinical_id}").status_code == 200

    reception_page = reception.get(f"/cases/{reference}")
    shown = text_of(reception_page)
    assert "Envelope the letter came in" in shown
    assert "Blood test results" not in shown and "results.pdf" not in shown
    assert f"/documents/{clinical_id}" not in reception_page.get_data(as_text=True)
    assert "Clinical document added" in shown  # that one was added, but not what it is

    refused = reception.get(f"/cases/{reference}/documents/{clinical_id}")
    assert refused.status_code == 403
    assert "Clinical documents are for GPs and the practice manager only" in text_of(refused)
    assert b"Blood results" not in refused.get_data()
    assert reception.get(f"/cases/{reference}/documents/{plain_id}").get_data() == png()
    downloads = events(app, reference, "document_downloaded")
    assert [actor for actor, _, _ in downloads] == ["Dr Gina First", "Rita Reception"]
    # The practice manager finds each download in the audit log, by kind.
    log = text_of(as_user(staff.manager).get("/admin/audit?kind=document_downloaded"))
    assert log.count("Document downloaded") >= 3  # the filter's option and the two downloads
    assert f"Document {clinical_id}: PDF" in log and f"Document {plain_id}: PNG image" in log


def test_reception_cannot_mark_a_document_clinical(app, staff, as_user, log_case):
    reference = log_case()
    reception = as_user(staff.reception)
    assert "Clinical document" not in text_of(reception.get(f"/cases/{reference}/add-document"))
    upload(reception, reference, pdf(), "letter.pdf", clinical="y")
    assert [row[4] for row in stored(app, reference)] == [False]
    assert events(app, reference, "clinical_document_added") == []


def test_a_document_is_found_only_through_its_own_case(app, staff, as_user, log_case):
    first = log_case()
    second = log_case(patient_name="Otto Other", nhs_number="999 000 0026")
    manager = as_user(staff.manager)
    upload(manager, first, pdf(), "letter.pdf")
    [document_id] = document_ids(app, first)
    assert manager.get(f"/cases/{second}/documents/{document_id}").status_code == 404
    assert manager.get(f"/cases/{first}/documents/{document_id + 1}").status_code == 404
    assert events(app, second, "document_downloaded") == []


def test_anyone_may_add_a_document_to_a_closed_case(app, staff, as_user, log_case, act):
    """A letter may arrive after the case is closed; it is kept with the case all the same."""
    reference = log_case()
    act(staff.manager, reference, "close", {"closure_reason": "withdrawn"})
    response = upload(as_user(staff.reception), reference, JPEG, "late letter.jpg")
    assert response.status_code == 302
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        assert case.stage == "closed"
        assert db.session.scalar(select(func.count()).select_from(CaseAttachment)) == 1


def test_the_case_page_lists_documents_without_reading_their_bytes(app, staff, as_user, log_case):
    """The bytes live in their own table, read only for a download or an export."""
    reference = log_case()
    manager = as_user(staff.manager)
    upload(manager, reference, pdf(), "letter.pdf", description="The patient's letter")
    statements = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sqlalchemy_event.listen(engine, "before_cursor_execute", remember)
    try:
        page = manager.get(f"/cases/{reference}")
        [document_id] = document_ids(app, reference)
        listed = list(statements)
        manager.get(f"/cases/{reference}/documents/{document_id}")
    finally:
        sqlalchemy_event.remove(engine, "before_cursor_execute", remember)
    assert "The patient's letter" in text_of(page)
    assert any("case_attachments" in s for s in listed)
    assert not any("case_attachment_contents" in s for s in listed)
    assert any("case_attachment_contents" in s for s in statements[len(listed) :])


@pytest.mark.parametrize(
    ("name", "content", "kept", "problem"),
    [
        ("C:\\Users\\rita\\Scans\\scan.pdf", pdf(), "scan.pdf", None),
        ("Letter 03.11.2026", pdf(), "Letter 03.11.2026", None),
        ("letter.PDF", pdf(), "letter.PDF", None),
        ("photo.jpg", png(), None, "The selected file is a PNG image but its name ends .jpg"),
        ("letter.docx", pdf(), None, "The selected file is a PDF but its name ends .docx"),
        ("image.png", b"GIF89a\x01\x00", None, "must be a PDF, JPEG or PNG"),
        ("scan.pdf", b"%PDF-" + b"0" * (10 * MB - 5), "scan.pdf", None),  # exactly 10 MB
        ("scan.pdf", b"%PDF-" + b"0" * (10 * MB - 4), None, "This one is just over 10 MB"),
    ],
)
def test_names_are_checked_against_the_content_not_trusted(name, content, kept, problem):
    if problem is None:
        assert check_upload(name, content)
        assert clean_file_name(name) == kept
    else:
        with pytest.raises(UploadProblem, match=re.escape(problem)):
            check_upload(name, content)


def test_a_name_in_any_alphabet_survives_the_download(app, staff, as_user, log_case):
    reference = log_case()
    gp = as_user(staff.gp)
    assert upload(gp, reference, pdf(), "Lettre de Zoë Åberg.pdf").status_code == 302
    [document_id] = document_ids(app, reference)
    disposition = gp.get(f"/cases/{reference}/documents/{document_id}").headers[
        "Content-Disposition"
    ]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Lettre%20de%20Zo%C3%AB%20%C3%85berg.pdf" in disposition


def test_a_form_opened_before_someone_elses_change_keeps_the_description_and_saves_nothing(
    app, staff, as_user, log_case, act
):
    reference = log_case()
    gp = as_user(staff.gp)
    opened = gp.get(f"/cases/{reference}/add-document")
    act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    response = gp.post(
        f"/cases/{reference}/add-document",
        data={
            "version": version_on(opened.get_data(as_text=True)),
            "description": "Letter from the patient's GP in Leeds",
            "file": (io.BytesIO(pdf()), "letter.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    shown = text_of(response)
    assert "Mo Manager changed this case" in shown
    assert "If you chose a file, choose it again." in shown
    assert value_of(response.get_data(as_text=True), "description") == (
        "Letter from the patient's GP in Leeds"
    )
    assert stored(app, reference) == []


def test_the_practice_manager_removes_a_document_added_to_the_wrong_case(
    app, staff, as_user, log_case
):
    reference = log_case()
    reception, manager = as_user(staff.reception), as_user(staff.manager)
    # Nothing to remove yet: the case page offers no removal.
    assert f"/cases/{reference}/remove-document" not in manager.get(f"/cases/{reference}").get_data(
        as_text=True
    )
    assert upload(reception, reference, pdf(), "scan.pdf", description="Letter").status_code == 302
    keep = upload(reception, reference, png(), "photo.png", description="Photo of the letter")
    assert keep.status_code == 302
    wrong, kept = document_ids(app, reference)
    page = manager.get(f"/cases/{reference}")
    assert f'/cases/{reference}/remove-document"' in page.get_data(as_text=True)
    # Reception and GPs may not remove a document.
    for person in (reception, as_user(staff.gp)):
        assert person.get(f"/cases/{reference}/remove-document").status_code == 403

    form = manager.get(f"/cases/{reference}/remove-document").get_data(as_text=True)
    assert "Letter: scan.pdf, PDF" in text_of(manager.get(f"/cases/{reference}/remove-document"))
    # Without a reason the form comes back with the choice kept and nothing removed.
    missing = manager.post(
        f"/cases/{reference}/remove-document",
        data={"version": version_on(form), "document": str(wrong), "reason": ""},
    )
    assert "Enter why the document is being removed" in text_of(missing)
    assert f'value="{wrong}" checked' in missing.get_data(as_text=True)
    assert document_ids(app, reference) == [wrong, kept]

    # Removing cannot be undone: the first press asks to check the document, and removes nothing.
    asked = manager.post(
        f"/cases/{reference}/remove-document",
        data={"version": version_on(form), "document": str(wrong), "reason": "Wrong patient"},
    )
    assert 'You are about to remove "Letter" (scan.pdf) for good' in text_of(asked)
    assert "Yes, remove this document" in text_of(asked)
    assert value_of(asked.get_data(as_text=True), "confirmed") == str(wrong)
    assert document_ids(app, reference) == [wrong, kept]
    # Choosing the other document instead asks again, for that one.
    other = manager.post(
        f"/cases/{reference}/remove-document",
        data={"version": version_on(form), "document": str(kept), "confirmed": str(wrong)}
        | {"reason": "Wrong patient"},
    )
    assert 'You are about to remove "Photo of the letter"' in text_of(other)
    assert document_ids(app, reference) == [wrong, kept]
    done = manager.post(
        f"/cases/{reference}/remove-document",
        data={"version": version_on(form), "document": str(wrong), "confirmed": str(wrong)}
        | {"reason": "Wrong patient"},
    )
    assert done.status_code == 302
    assert document_ids(app, reference) == [kept]
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(CaseAttachmentContent)
                .where(CaseAttachmentContent.attachment_id == wrong)
            )
            == 0
        )
    assert manager.get(f"/cases/{reference}/documents/{wrong}").status_code == 404
    [(actor, detail, full)] = events(app, reference, "document_removed")
    assert actor == "Mo Manager"
    assert re.fullmatch(r"Document \d+: PDF, \d+ bytes", detail)
    assert full == "Letter (scan.pdf): Wrong patient"
    shown = text_of(manager.get(f"/cases/{reference}"))
    assert "Document removed" in shown.split("Timeline", 1)[1]
    assert "Photo of the letter" in shown.split("Documents", 1)[1].split("Timeline", 1)[0]
