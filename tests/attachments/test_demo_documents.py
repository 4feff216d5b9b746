"""The demo's requests that came by letter or email carry the request itself, as reception
would have scanned or saved it."""

from sqlalchemy import select

from tracker.cases.attachments import CaseAttachment, CaseAttachmentContent
from tracker.cases.models import Case
from tracker.extensions import db


def test_demo_letters_and_emails_are_kept_with_their_cases(app):
    result = app.test_cli_runner().invoke(args=["tracker", "seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        rows = db.session.execute(
            select(Case.channel, Case.patient_name, CaseAttachment, CaseAttachmentContent.data)
            .join(CaseAttachment, CaseAttachment.case_id == Case.id)
            .join(CaseAttachmentContent)
        ).all()
        by_post_or_email = db.session.scalars(
            select(Case.id).where(Case.channel.in_(("letter", "email")))
        ).all()
        assert len(rows) == len(by_post_or_email) > 0
        for channel, name, document, data in rows:
            assert document.description == f"The patient's {channel} asking for a second opinion"
            assert document.document_type == "pdf" and not document.clinical
            assert data.startswith(b"%PDF-") and len(data) == document.size
            assert name.encode("latin-1") in data  # signed by the patient
