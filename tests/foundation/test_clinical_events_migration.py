"""The migration that marks events about clinical material marks those already held from what
they name, and no others."""

from flask_migrate import upgrade
from sqlalchemy import text

from tests.foundation.test_migration_data import CASE
from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db

USER = """INSERT INTO users (id, email, full_name, role, is_senior_partner, active, password_hash,
    must_change_password, failed_signin_count, is_demo, created_at) VALUES (1, 'pm@example.org',
    'P Manager', 'practice_manager', false, true, 'x', false, 0, false, '2026-01-01 09:00:00')"""
EVENT = """INSERT INTO events (id, occurred_at, actor_id, case_id, kind, changes, detail)
    VALUES (:id, :at, 1, :case_id, :kind, '{}', :detail)"""
DOCUMENT = """INSERT INTO case_attachments (id, case_id, uploaded_by_id, uploaded_at, description,
    file_name, document_type, size, sha256, clinical) VALUES (:id, 1, 1, '2026-03-20 09:00:00',
    'A document', 'a.pdf', 'pdf', 10, 'x', :clinical)"""
LETTER = """INSERT INTO case_letters (id, case_id, kind, sent_method, sent_at, sent_by_id,
    clinical, file_name, pdf) VALUES (:id, 1, 'outcome', 'post', :at, 1, :clinical, 'l.pdf',
    :pdf)"""
OUTCOME = "Outcome of the second opinion"

# (event id, case, kind, detail, when, marked clinical by the migration)
EVENTS = [
    (1, 1, "clinical_note_added", None, "2026-03-20 09:00:00", True),
    (2, 1, "note_added", None, "2026-03-20 09:01:00", False),
    (3, 1, "clinical_document_added", "Document 5: PDF, 10 KB", "2026-03-20 09:02:00", True),
    (4, 1, "document_removed", "Document 5: PDF, 10 KB", "2026-03-20 09:03:00", True),
    (5, 1, "document_added", "Document 6: PNG image, 2 KB", "2026-03-20 09:04:00", False),
    (6, 1, "document_removed", "Document 6: PNG image, 2 KB", "2026-03-20 09:05:00", False),
    # Document 7 is still on the case, clinical, with no upload event (added by the demo).
    (7, 1, "document_downloaded", "Document 7: PDF, 10 KB", "2026-03-20 09:06:00", True),
    (8, 1, "document_downloaded", "Document 8: PDF, 10 KB", "2026-03-20 09:07:00", False),
    # The clinical letter, sent at 00:30 on 21 June in London.
    (9, 1, "letter_sent", f"{OUTCOME}: by post", "2026-06-20 23:30:00.200000", True),
    (10, 1, "letter_sent", f"{OUTCOME}: by post", "2026-06-22 10:00:00.200000", False),
    (11, 1, "letter_downloaded", f"{OUTCOME} sent 2026-06-21, downloaded", "2026-06-23 09:00:00", True),
    (12, 1, "letter_downloaded", f"{OUTCOME} sent 2026-06-22, downloaded", "2026-06-23 09:01:00", False),
    # Another case's document 5 was never clinical.
    (13, 2, "document_removed", "Document 5: PDF, 10 KB", "2026-03-20 09:08:00", False),
    (14, 1, "viewed", None, "2026-03-20 09:09:00", False),
]  # fmt: skip


def test_the_migration_marks_the_events_already_held_about_clinical_material(
    scratch_database_url,
):
    app = create_app(TestConfig(scratch_database_url))
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            connection.execute(text(USER))
            connection.execute(
                text(CASE),
                [
                    {"id": number, "reference": f"SO-2026-000{number}", "stage": "logged",
                     "received_on": "2026-03-16", "assigned": None, "outcome": None,
                     "clock_from": None}
                    for number in (1, 2)
                ],
            )  # fmt: skip
        upgrade(revision="0018")
        with db.engine.begin() as connection:
            connection.execute(
                text(DOCUMENT), [{"id": 7, "clinical": True}, {"id": 8, "clinical": False}]
            )
            connection.execute(
                text(LETTER),
                [
                    {"id": 1, "at": "2026-06-20 23:30:00.100000", "clinical": True, "pdf": b"%"},
                    {"id": 2, "at": "2026-06-22 10:00:00.100000", "clinical": False, "pdf": b"%"},
                ],
            )
            connection.execute(
                text(EVENT),
                [
                    {"id": id_, "case_id": case_id, "kind": kind, "detail": detail, "at": at}
                    for id_, case_id, kind, detail, at, _ in EVENTS
                ],
            )
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            marked = connection.execute(text("SELECT id, clinical FROM events ORDER BY id")).all()
        db.engine.dispose()
    assert [(id_, bool(clinical)) for id_, clinical in marked] == [
        (id_, clinical) for id_, *_, clinical in EVENTS
    ]
