"""A document's id names one file for ever: the audit log's "Document N" never comes to mean a
later upload, even after the document is removed."""

import pytest
from sqlalchemy import inspect, select, text

from tests.attachments.files import pdf, png
from tests.attachments.test_documents import document_ids, upload
from tests.helpers import version_on
from tracker.audit.models import Event
from tracker.extensions import db


def test_a_removed_documents_id_is_never_given_to_the_next_upload(app, staff, as_user, log_case):
    reference = log_case()
    reception, manager = as_user(staff.reception), as_user(staff.manager)
    upload(reception, reference, pdf(), "wrong patient.pdf", description="Letter for Mr Other")
    [first] = document_ids(app, reference)
    form = manager.get(f"/cases/{reference}/remove-document").get_data(as_text=True)
    removed = manager.post(
        f"/cases/{reference}/remove-document",
        data={
            "version": version_on(form),
            "document": str(first),
            "confirmed": str(first),
            "reason": "Wrong patient",
        },
    )
    assert removed.status_code == 302 and document_ids(app, reference) == []

    upload(reception, reference, png(), "right patient.png", description="Photo of the letter")
    [second] = document_ids(app, reference)
    assert second != first

    with app.app_context():
        named = db.session.scalars(
            select(Event).where(Event.detail.like(f"Document {first}:%")).order_by(Event.id)
        ).all()
        assert [(event.kind, event.full_detail) for event in named] == [
            ("document_added", "Letter for Mr Other (wrong patient.pdf)"),
            ("document_removed", "Letter for Mr Other (wrong patient.pdf): Wrong patient"),
        ]
        latest = db.session.scalars(select(Event.detail).where(Event.kind == "document_added"))
        assert latest.all()[-1].startswith(f"Document {second}: PNG image")


@pytest.mark.parametrize(
    "table",
    ["users", "cases", "case_notes", "case_attachments", "case_letters", "mail_outbox", "events"],
)
def test_every_table_the_audit_log_names_counts_its_ids_on(app, table):
    """SQLite gives a new row the highest id plus one unless the table says AUTOINCREMENT."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL's sequences never hand out an id twice")
        assert table in inspect(db.engine).get_table_names()
        created = db.session.scalar(
            text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :table"),
            {"table": table},
        )
    assert "PRIMARY KEY AUTOINCREMENT" in created
