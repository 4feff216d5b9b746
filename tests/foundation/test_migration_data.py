"""Migrations that fill new columns count the cases already there."""

from flask_migrate import upgrade
from sqlalchemy import text

from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db

CASE = """INSERT INTO cases (id, reference, year, sequence, version, stage, nhs_number_unknown,
    patient_name, preferred_contact, representative_consent, received_on, channel, concern,
    route_requested, already_discussed_with_own_gp, formal_complaint, urgent, review_of_notes,
    first_assigned_at, assigned_at, outcome_clock_from, outcome_recorded_at,
    created_at, created_by_id, updated_at, updated_by_id)
    VALUES (:id, :reference, 2026, :id, 1, :stage, true, 'A Patient', 'letter', false,
    :received_on, 'letter', 'Concern', 'second_opinion_gp', false, false, false, false,
    :assigned, :assigned, :clock_from, :outcome,
    '2026-03-16 10:00:00', 1, '2026-03-16 10:00:00', 1)"""


def test_the_working_days_migration_counts_existing_cases_with_the_practice_region(
    scratch_database_url,
):
    app = create_app(TestConfig(scratch_database_url))
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, full_name, role, is_senior_partner, active,"
                    " password_hash, must_change_password, failed_signin_count, is_demo,"
                    " created_at) VALUES (1, 'pm@example.org', 'P Manager', 'practice_manager',"
                    " false, true, 'x', false, 0, false, '2026-01-01 09:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO practice_settings (id, practice_name, ods_code,"
                    " bank_holiday_region) VALUES (1, 'Brookside', '', 'northern_ireland')"
                )
            )
            # 17 March is a bank holiday in Northern Ireland.
            rows = [
                {"id": 1, "reference": "SO-2026-0001", "stage": "logged",
                 "received_on": "2026-03-16", "assigned": None, "outcome": None},
                {"id": 2, "reference": "SO-2026-0002", "stage": "assigned",
                 "received_on": "2026-03-16", "assigned": "2026-03-18 10:00:00", "outcome": None},
                {"id": 3, "reference": "SO-2026-0003", "stage": "outcome_recorded",
                 "received_on": "2026-04-13", "assigned": "2026-04-13 10:00:00",
                 "outcome": "2026-04-16 23:30:00"},  # 00:30 BST on Friday 17 April
            ]  # fmt: skip
            # Closed before anyone was assigned, reopened (which starts the outcome clock
            # without a first assignment), then given an outcome.
            rows.append(
                {
                    "id": 4,
                    "reference": "SO-2026-0004",
                    "stage": "outcome_recorded",
                    "received_on": "2026-03-16",
                    "assigned": None,
                    "outcome": "2026-03-20 12:00:00",
                }
            )
            rows = [{**row, "clock_from": row["assigned"]} for row in rows]
            rows[3]["clock_from"] = "2026-03-16 15:00:00"  # fmt: skip
            connection.execute(text(CASE), rows)
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            counted = connection.execute(
                text(
                    "SELECT reference, working_days_to_assign, working_days_to_outcome"
                    " FROM cases ORDER BY id"
                )
            ).all()
        db.engine.dispose()
    assert [tuple(row) for row in counted] == [
        ("SO-2026-0001", None, None),
        ("SO-2026-0002", 1, None),
        ("SO-2026-0003", 0, 4),
        ("SO-2026-0004", None, 3),
    ]


def test_the_pals_chase_migration_dates_each_referral_with_the_practice_setting(
    scratch_database_url,
):
    app = create_app(TestConfig(scratch_database_url))
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, full_name, role, is_senior_partner, active,"
                    " password_hash, must_change_password, failed_signin_count, is_demo,"
                    " created_at) VALUES (1, 'pm@example.org', 'P Manager', 'practice_manager',"
                    " false, true, 'x', false, 0, false, '2026-01-01 09:00:00')"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO practice_settings (id, practice_name, ods_code,"
                    " pals_chase_working_days) VALUES (1, 'Brookside', '', 5)"
                )
            )
            for row in (
                {"id": 1, "reference": "SO-2026-0001", "stage": "referred_to_pals"},
                {"id": 2, "reference": "SO-2026-0002", "stage": "logged"},
            ):
                connection.execute(
                    text(CASE),
                    {
                        **row,
                        "received_on": "2026-03-16",
                        "assigned": None,
                        "clock_from": None,
                        "outcome": None,
                    },
                )
            # Good Friday and Easter Monday (3 and 6 April) are not working days.
            connection.execute(
                text("UPDATE cases SET pals_referred_on = '2026-03-31' WHERE id = 1")
            )
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            rows = connection.execute(
                text("SELECT id, pals_chase_working_days, pals_chase_due_on FROM cases ORDER BY id")
            ).all()
        db.engine.dispose()
    assert [(id_, days, str(due) if due else None) for id_, days, due in rows] == [
        (1, 5, "2026-04-09"),
        (2, 5, None),
    ]


USER = """INSERT INTO users (id, email, full_name, role, is_senior_partner, active, password_hash,
    must_change_password, failed_signin_count, is_demo, created_at) VALUES (1, 'pm@example.org',
    'P Manager', 'practice_manager', false, true, 'x', false, 0, false, '2026-01-01 09:00:00')"""
DOCUMENT = """INSERT INTO case_attachments (case_id, uploaded_by_id, uploaded_at, description,
    file_name, document_type, size, sha256, clinical)
    VALUES (1, 1, '2026-03-17 10:00:00', :description, :name, 'pdf', 5, :sha, false)"""
EVENT = """INSERT INTO events (occurred_at, actor_id, case_id, kind, changes, detail)
    VALUES ('2026-03-17 10:00:00', 1, 1, :kind, '{}', :detail)"""
NEVER_REUSED = ("users", "cases", "case_notes", "case_attachments", "events")


def test_the_ids_migration_keeps_every_row_and_id_and_never_gives_a_removed_documents_id_again(
    scratch_database_url,
):
    app = create_app(TestConfig(scratch_database_url))
    with app.app_context():
        upgrade(revision="0018")
        with db.engine.begin() as connection:
            connection.execute(text(USER))
            connection.execute(
                text(CASE),
                {"id": 1, "reference": "SO-2026-0001", "stage": "logged",
                 "received_on": "2026-03-16", "assigned": None, "outcome": None,
                 "clock_from": None},
            )  # fmt: skip
            for name in ("letter.pdf", "scan.pdf", "wrong patient.pdf"):
                connection.execute(text(DOCUMENT), {"description": name, "name": name, "sha": "0"})
                number = connection.execute(text("SELECT max(id) FROM case_attachments")).scalar()
                connection.execute(
                    text("INSERT INTO case_attachment_contents VALUES (:id, :data)"),
                    {"id": number, "data": b"%PDF-"},
                )
                connection.execute(
                    text(EVENT), {"kind": "document_added", "detail": f"Document {number}: PDF"}
                )
            connection.execute(
                text(
                    "INSERT INTO case_notes (case_id, author_id, created_at, text, clinical)"
                    " VALUES (1, 1, '2026-03-17 11:00:00', 'Phoned the patient', false)"
                )
            )
            # The practice manager removed the last document, the one with the highest id.
            removed = number
            connection.execute(
                text(EVENT), {"kind": "document_removed", "detail": f"Document {removed}: PDF"}
            )
            connection.execute(
                text("DELETE FROM case_attachment_contents WHERE attachment_id = :id"),
                {"id": removed},
            )
            connection.execute(text("DELETE FROM case_attachments WHERE id = :id"), {"id": removed})

        def everything():
            with db.engine.connect() as connection:
                return {
                    table: [
                        tuple(row)
                        for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))  # noqa: S608 - the test's own table names
                    ]
                    for table in NEVER_REUSED
                }

        upgrade(revision="0024")  # the migrations before this one
        before = everything()
        upgrade(revision="0020")  # this one (later ones may add columns)
        after = everything()
        with db.engine.begin() as connection:
            connection.execute(
                text(DOCUMENT), {"description": "new", "name": "new.pdf", "sha": "1"}
            )
            added = connection.execute(
                text("SELECT id FROM case_attachments WHERE description = 'new'")
            ).scalar()
        db.engine.dispose()
    assert after == before
    assert [row[4] for row in after["case_attachments"]] == ["letter.pdf", "scan.pdf"]
    assert added > removed
