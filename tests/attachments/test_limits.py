"""How much may be uploaded: each case holds a bounded number and size of documents, and each
person may add a bounded number and size in a day. A refused upload says which limit, keeps the
description typed, and saves nothing. The practice manager sees the storage documents use."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.attachments.files import pdf
from tests.attachments.test_documents import MB, events, stored, upload
from tests.helpers import text_of, value_of
from tracker import clock
from tracker.cases.attachments import CaseAttachment, start_of_today, whole_mb
from tracker.cases.models import Case
from tracker.config import PROJECT_ROOT, UPLOAD_LIMITS
from tracker.extensions import db

LIMITS = UPLOAD_LIMITS


def place_documents(app, reference, by, count, size, at=None):
    """Documents already on the case (their rows only: the limits count rows and sizes)."""
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        for number in range(count):
            db.session.add(
                CaseAttachment(
                    case_id=case_id,
                    uploaded_by_id=by.id,
                    uploaded_at=at or clock.now_utc(),
                    description=f"Earlier document {number}",
                    file_name=f"earlier {number}.pdf",
                    document_type="pdf",
                    size=size,
                    sha256="0" * 64,
                )
            )
        db.session.commit()


def documents_on(app, reference) -> int:
    with app.app_context():
        return db.session.scalar(
            select(func.count())
            .select_from(CaseAttachment)
            .join(Case)
            .where(Case.reference == reference)
        )


def refused_with(response, message: str, description: str) -> None:
    """The form came back saying why, at the file input, with the description as typed."""
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<title>Error: Add a document" in html
    assert message in text_of(response).split("There is a problem", 1)[1]
    assert 'href="#file"' in html
    assert value_of(html, "description") == description


def test_the_numbers_are_ones_a_practice_can_live_with():
    assert LIMITS.file_bytes == 10 * MB
    assert (LIMITS.case_documents, LIMITS.case_bytes) == (30, 100 * MB)
    assert (LIMITS.daily_documents, LIMITS.daily_bytes) == (50, 200 * MB)


def test_a_case_holding_its_most_documents_refuses_another_and_keeps_the_description(
    app, staff, as_user, log_case
):
    reference = log_case()
    place_documents(app, reference, staff.reception, LIMITS.case_documents, 1000)
    response = upload(as_user(staff.gp), reference, pdf(), "letter.pdf", "Letter from the son")
    refused_with(
        response,
        "This case already has 30 documents, the most one case may hold. Nothing was saved. "
        "The practice manager can remove a document added by mistake",
        "Letter from the son",
    )
    assert documents_on(app, reference) == LIMITS.case_documents
    assert events(app, reference, "document_added") == []


def test_a_file_that_would_take_the_case_past_its_size_is_refused(app, staff, as_user, log_case):
    reference = log_case()
    content = pdf()
    place_documents(app, reference, staff.reception, 10, LIMITS.case_bytes // 10 - 10)
    response = upload(as_user(staff.gp), reference, content, "letter.pdf", "Letter from the son")
    refused_with(
        response,
        f"This file ({len(content)} bytes) would take the documents on this case past 100 MB, "
        "the most one case may hold (they take 100.0 MB now). Nothing was saved: make the file "
        "smaller",
        "Letter from the son",
    )
    assert documents_on(app, reference) == 10


def test_one_short_of_each_case_limit_the_upload_is_kept(app, staff, as_user, log_case):
    reference = log_case()
    content = pdf()
    place_documents(app, reference, staff.reception, LIMITS.case_documents - 2, 1000)
    used = 1000 * (LIMITS.case_documents - 2)
    place_documents(app, reference, staff.reception, 1, LIMITS.case_bytes - used - len(content))
    assert upload(as_user(staff.gp), reference, content, "letter.pdf").status_code == 302
    assert documents_on(app, reference) == LIMITS.case_documents


def test_a_person_who_added_their_most_documents_today_is_refused_on_any_case(
    app, staff, as_user, log_case
):
    earlier, reference = log_case(), log_case(patient_name="Otto Other", nhs_number="999 000 0026")
    place_documents(app, earlier, staff.reception, LIMITS.daily_documents, 1000)
    response = upload(as_user(staff.reception), reference, pdf(), "scan.pdf", "Post, 3 Dec")
    refused_with(
        response,
        "You have added 50 documents today, the most one person may add in a day. "
        "Nothing was saved: you can add more tomorrow",
        "Post, 3 Dec",
    )
    assert stored(app, reference) == []
    # Someone else may still add it.
    assert upload(as_user(staff.gp), reference, pdf(), "scan.pdf").status_code == 302


def test_a_file_that_would_take_a_persons_day_past_its_size_is_refused(
    app, staff, as_user, log_case
):
    earlier, reference = log_case(), log_case(patient_name="Otto Other", nhs_number="999 000 0026")
    place_documents(app, earlier, staff.reception, 2, LIMITS.daily_bytes // 2)
    response = upload(as_user(staff.reception), reference, pdf(), "scan.pdf", "Post, 3 Dec")
    refused_with(
        response,
        "would take the documents you have added today past 200 MB, the most one person may "
        "add in a day (you have added 200.0 MB). Nothing was saved: you can add it tomorrow",
        "Post, 3 Dec",
    )
    assert stored(app, reference) == []


def test_what_a_person_added_before_today_does_not_count(app, staff, as_user, log_case):
    earlier, reference = log_case(), log_case(patient_name="Otto Other", nhs_number="999 000 0026")
    yesterday = start_of_today() - timedelta(minutes=1)
    place_documents(app, earlier, staff.reception, LIMITS.daily_documents, 1000, at=yesterday)
    assert upload(as_user(staff.reception), reference, pdf(), "scan.pdf").status_code == 302
    assert len(stored(app, reference)) == 1


def test_the_upload_page_gives_the_limits_and_the_size_for_the_pages_own_check(
    staff, as_user, log_case
):
    reference = log_case()
    page = as_user(staff.reception).get(f"/cases/{reference}/add-document")
    shown = text_of(page)
    assert "A PDF, JPEG or PNG file, up to 10 MB" in shown
    assert (
        "A case holds up to 30 documents (100 MB in all), and one person can add up to "
        "50 documents (200 MB) a day." in shown
    )
    html = page.get_data(as_text=True)
    assert re.search(rf'<input[^>]*name="file"[^>]*data-max-bytes="{10 * MB}"', html)
    assert 'data-max-size-text="10 MB"' in html
    assert '<script type="module" src="/static/js/upload.js"></script>' in html


def test_the_readme_gives_the_same_numbers():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Upload limits", 1)[1].split("\n#", 1)[0]
    assert f"| one document | {whole_mb(LIMITS.file_bytes)} |" in section
    assert f"| {LIMITS.case_documents} documents, {whole_mb(LIMITS.case_bytes)} in all |" in section
    assert (
        f"| {LIMITS.daily_documents} documents, {whole_mb(LIMITS.daily_bytes)} in all |" in section
    )


def test_a_request_over_the_size_limit_says_the_limit_and_that_the_description_was_lost(
    staff, as_user, log_case
):
    reference = log_case()
    response = upload(
        as_user(staff.gp), reference, pdf() + b"\0" * (13 * MB), "huge.pdf", "Long letter"
    )
    assert response.status_code == 413
    shown = text_of(response)
    assert "The file is too large" in shown
    assert "A document must be 10 MB or smaller" in shown
    assert "not the description or anything else you typed on the form" in shown
    html = response.get_data(as_text=True)
    assert 'class="nhsuk-back-link"' in html
    assert f'href="/cases/{reference}/add-document"' in html


def test_the_practice_manager_sees_the_storage_documents_use(app, staff, as_user, log_case):
    small, large = log_case(), log_case(patient_name="Otto Other", nhs_number="999 000 0026")
    place_documents(app, small, staff.reception, 2, 300 * 1024)
    place_documents(app, large, staff.gp, 3, 5 * MB)
    page = as_user(staff.manager).get("/admin/storage")
    assert page.status_code == 200
    shown = text_of(page)
    totals = shown.split("Storage used by documents", 2)[2]
    assert re.search(r"Documents\s+5\b", totals)
    assert re.search(r"Storage used\s+15\.6 MB", totals)
    assert re.search(r"Cases with documents\s+2\b", totals)
    largest = shown.split("Cases whose documents take the most space", 1)[1]
    assert re.search(rf"{large}\s+3\s+15\.0 MB\s+{small}\s+2\s+600 KB", largest)
    assert "up to 30 documents, 100 MB in all" in shown
    assert "Back to practice settings" in shown
    settings = as_user(staff.manager).get("/admin/settings").get_data(as_text=True)
    assert 'href="/admin/storage"' in settings


@pytest.mark.parametrize("role", ["reception", "gp", "other_gp"])
def test_only_the_practice_manager_sees_the_storage_page(staff, as_user, role):
    assert as_user(getattr(staff, role)).get("/admin/storage").status_code == 403


def test_before_any_document_the_storage_page_says_none(staff, as_user):
    shown = text_of(as_user(staff.manager).get("/admin/storage"))
    totals = shown.split("Storage used by documents", 2)[2]
    assert re.search(r"Documents\s+0\s+Storage used\s+0 bytes\s+Cases with documents\s+0\b", totals)
    assert "Cases whose documents take the most space" not in shown
