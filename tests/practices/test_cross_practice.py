"""Signed in to practice A in each role, nothing of practice B can be reached: every page of
B's cases, documents, letters, staff and emails answers 404 (never 403: it does not confirm that
anything exists), every form sent to them changes nothing, and neither search, reports nor
exports hold any of B's patients."""

import io
import re

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.attachments.files import pdf
from tests.factories import MadeUser, intake_form
from tests.helpers import text_of, version_on
from tracker.audit.models import Event
from tracker.cases.attachments import CaseAttachment
from tracker.cases.letters.models import CaseLetter
from tracker.cases.models import Case, CaseContact, CaseNote
from tracker.cases.workflow import Action
from tracker.extensions import db
from tracker.outbox.models import OutboxMessage
from tracker.practices.scope import across_practices, in_practice
from tracker.practices.services import create_practice
from tracker.staff.models import Membership, User
from tracker.staff.services import create_user

B_PATIENTS = ("Bea Hillside", "Bram Hillside", "Bo Hillside")
B_NHS = ("999 000 0042", "999 000 0050", "999 000 0034")


@pytest.fixture
def practice_b(app, staff, as_user, log_case):
    """A has one case (SO-2026-0001); B, a practice of its own, has three, a note, a document,
    a sent letter and an email, all made through B's own pages by B's own staff."""
    log_case(patient_name="Ann Riverside")
    with app.app_context():
        b = create_practice(ods_code="B82002", name="Hillside Surgery")
        with in_practice(b.id):
            manager = create_user(
                email="pm@hillside.example",
                full_name="Hal Manager",
                role="practice_manager",
                password=factories.DEFAULT_PASSWORD,
                must_change_password=False,
            )
            gp = create_user(
                email="gp@hillside.example",
                full_name="Dr Hill",
                role="gp",
                password=factories.DEFAULT_PASSWORD,
                must_change_password=False,
            )
        db.session.commit()
        b_manager = MadeUser(
            manager.id,
            manager.email,
            manager.full_name,
            "practice_manager",
            factories.DEFAULT_PASSWORD,
        )
        b_id, gp_id = b.id, gp.id
    client = as_user(b_manager)
    references = []
    for name, number in zip(B_PATIENTS, B_NHS, strict=True):
        made = client.post(
            "/cases/new",
            data=intake_form(patient_name=name, nhs_number=number, original_gp=str(gp_id)),
        )
        assert made.status_code == 302, text_of(made)
        references.append(made.headers["Location"].rsplit("/", 1)[1])
    first = references[0]
    page = client.get(f"/cases/{first}/add-note")
    client.post(
        f"/cases/{first}/add-note",
        data={"version": version_on(page.get_data(as_text=True)), "text": "B's own note"},
    )
    page = client.get(f"/cases/{first}/add-document")
    client.post(
        f"/cases/{first}/add-document",
        data={
            "version": version_on(page.get_data(as_text=True)),
            "description": "B's document",
            "file": (io.BytesIO(pdf("B's letter")), "b.pdf"),
        },
        content_type="multipart/form-data",
    )
    page = client.get(f"/cases/{first}/send-letter")
    sent = client.post(
        f"/cases/{first}/send-letter",
        data={
            "version": version_on(page.get_data(as_text=True)),
            "letter": "acknowledgement",
            "sent_method": "post",
        },
    )
    assert sent.status_code in (200, 302)
    with app.app_context(), in_practice(b_id):
        document = db.session.scalars(select(CaseAttachment.id)).one()
        letter = db.session.scalars(select(CaseLetter.id)).first()
        db.session.add(
            OutboxMessage(
                kind="test",
                recipient="gp@hillside.example",
                subject="B mail",
                summary_line="B",
                text_body="b",
                html_body="b",
            )
        )
        db.session.commit()
        message = db.session.scalars(select(OutboxMessage.id)).one()
    return {
        "id": b_id,
        "references": references,
        "document": document,
        "letter": letter,
        "message": message,
        "manager": b_manager.id,
        "gp": gp_id,
    }


def b_state(app, b_id):
    """Everything B holds, counted and summed, to show nothing changed."""
    with app.app_context(), across_practices("this test"):
        rows = []
        for model in (
            Case,
            CaseNote,
            CaseContact,
            CaseAttachment,
            CaseLetter,
            Event,
            OutboxMessage,
            Membership,
        ):
            rows.append(
                db.session.scalar(
                    select(func.count()).select_from(model).where(model.practice_id == b_id)
                )
            )
        rows.append(
            tuple(
                db.session.execute(
                    select(Case.reference, Case.version, Case.stage, Case.reviewer_id)
                    .where(Case.practice_id == b_id)
                    .order_by(Case.id)
                ).all()
            )
        )
        rows.append(
            tuple(
                db.session.execute(
                    select(User.id, User.active, User.password_hash, User.session_version).order_by(
                        User.id
                    )
                ).all()
            )
        )
        return rows


@pytest.mark.parametrize("role", ["reception", "gp", "manager"])
def test_nothing_of_another_practice_answers_anything_but_404(
    app, staff, as_user, practice_b, role
):
    b = practice_b
    only_b = b["references"][1:]  # A has no case with these references
    assert only_b == ["SO-2026-0002", "SO-2026-0003"]
    user = {"reception": staff.reception, "gp": staff.gp, "manager": staff.manager}[role]
    client = as_user(user)
    before = b_state(app, b["id"])
    gets = [f"/practices/{b['id']}/cases/{ref}" for ref in b["references"]]
    for ref in only_b:
        gets += [
            f"/cases/{ref}",
            f"/cases/{ref}/letters/print",
            f"/cases/{ref}/documents/{b['document']}",
        ]
        gets += [f"/cases/{ref}/{action.value}" for action in Action]
    gets += [
        f"/cases/SO-2026-0001/documents/{b['document']}",
        f"/cases/SO-2026-0001/letters/{b['letter']}.pdf",
        f"/admin/users/{b['manager']}",
        f"/admin/users/{b['gp']}/deactivate",
        f"/admin/users/{b['gp']}/leave",
    ]
    answers = {url: client.get(url).status_code for url in gets}
    admin = {url for url in gets if url.startswith("/admin/")}
    wrong = {
        url: status
        for url, status in answers.items()
        if status != 404 and not (url in admin and role != "manager" and status == 403)
    }
    assert wrong == {}
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/cases/new").get_data(as_text=True)
    )
    form = {
        "csrf_token": token.group(1) if token else "",
        "version": "1",
        "text": "x",
        "reason": "x",
        "reviewer": str(staff.other_gp.id),
    }
    posts = [f"/cases/{ref}/{action.value}" for ref in only_b for action in Action]
    posts += [
        f"/admin/users/{b['gp']}/deactivate",
        f"/admin/users/{b['gp']}/reset-password",
        f"/admin/users/{b['gp']}/reset-two-factor",
        f"/admin/mail/{b['message']}/resend",
        f"/cases/{only_b[0]}/letters/draft.pdf",
    ]
    answered = {url: client.post(url, data=form).status_code for url in posts}
    wrong = {
        url: status
        for url, status in answered.items()
        if status != 404 and not (url.startswith("/admin/") and role != "manager" and status == 403)
    }
    assert wrong == {}
    assert b_state(app, b["id"]) == before

    for typed in (*B_PATIENTS, *B_NHS, "Hillside", "SO-2026-0002"):
        found = text_of(client.get("/queue", query_string={"q": typed}))
        assert "Hillside" not in found and "SO-2026-0002" not in found, typed
    if role == "manager":
        csv = client.get("/reports/monthly.csv?month=2026-11").get_data(as_text=True)
        workbook = client.get("/reports/monthly.xlsx?month=2026-11").get_data()
        audit = client.get("/admin/audit.csv").get_data(as_text=True)
        pages = " ".join(
            text_of(client.get(url))
            for url in (
                "/reports/monthly?month=2026-11",
                "/admin/audit",
                "/admin/users",
                "/admin/mail",
            )
        )
        for held in (csv, audit, pages):
            for name in (*B_PATIENTS, "Hal Manager", "Dr Hill", "B's", "hillside.example"):
                assert name not in held, name
        assert b"Hillside" not in workbook
        assert "SO-2026-0002" not in csv and "SO-2026-0002" not in audit
