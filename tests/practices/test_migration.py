"""An install of one practice, upgraded: its settings become practice one of a network of its
own, every record it holds belongs to that practice, and every page and export reads as before."""

from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from tests.factories import intake_form
from tests.helpers import sign_in, text_of
from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db

PASSWORD = "correct horse battery"
OWNED = (
    "case_sequences", "cases", "case_name_words", "case_notes", "events", "mail_outbox",
    "guidance_versions",
)  # fmt: skip

USER = """INSERT INTO users (id, email, full_name, role, is_senior_partner, active, password_hash,
    must_change_password, failed_signin_count, is_demo, created_at)
    VALUES (:id, :email, :name, :role, false, true, :hash, false, 0, false, '2026-01-01 09:00:00')"""
CASE = """INSERT INTO cases (id, reference, year, sequence, version, stage, nhs_number,
    nhs_number_unknown, patient_name, preferred_contact, representative_consent, received_on,
    channel, concern, route_requested, already_discussed_with_own_gp, formal_complaint, urgent,
    review_of_notes, reviewer_id, first_assigned_at, assigned_at, outcome_clock_from,
    created_at, created_by_id, updated_at, updated_by_id)
    VALUES (:id, :reference, 2026, :id, 1, :stage, :nhs, false, :name, 'letter', false,
    '2026-11-02', 'letter', :concern, 'second_opinion_gp', false, false, false, false,
    :reviewer, :assigned, :assigned, :assigned,
    '2026-11-02 10:00:00', 1, '2026-11-02 10:00:00', 1)"""


def populate(connection):
    """A practice's database as revision 0030 left it: settings, staff, two cases (one being
    reviewed), their name words, a note, events, an email and a changed guidance text."""
    run = connection.execute
    run(
        text(
            "INSERT INTO practice_settings (id, practice_name, ods_code, practice_phone,"
            " pals_office_name, pals_phone) VALUES (1, 'Brookside Surgery', '', '01632 960000',"
            " 'Riverside PALS', '0800 000 0000')"
        )
    )
    hashed = generate_password_hash(PASSWORD)
    run(
        text(USER),
        [
            {"id": 1, "email": "pm@brookside.example", "name": "Mo Manager",
             "role": "practice_manager", "hash": hashed},
            {"id": 2, "email": "gp@brookside.example", "name": "Dr Omar Second", "role": "gp",
             "hash": hashed},
        ],
    )  # fmt: skip
    run(
        text(CASE),
        [
            {"id": 1, "reference": "SO-2026-0001", "stage": "logged", "nhs": "9990000018",
             "name": "Ada Asker", "concern": "Headaches since the last visit",
             "reviewer": None, "assigned": None},
            {"id": 2, "reference": "SO-2026-0002", "stage": "assigned", "nhs": "9990000026",
             "name": "Ben Brook", "concern": "A rash that came back",
             "reviewer": 2, "assigned": "2026-11-03 10:00:00"},
        ],
    )  # fmt: skip
    run(text("INSERT INTO case_sequences (year, last_value) VALUES (2026, 2)"))
    run(
        text("INSERT INTO case_name_words (word, case_id) VALUES (:word, :case_id)"),
        [
            {"word": "ada", "case_id": 1},
            {"word": "asker", "case_id": 1},
            {"word": "ben", "case_id": 2},
            {"word": "brook", "case_id": 2},
        ],
    )
    run(
        text(
            "INSERT INTO case_notes (id, case_id, author_id, text, created_at, clinical)"
            " VALUES (1, 2, 2, 'Rang the patient to book a review', '2026-11-03 11:00:00', false)"
        )
    )
    run(
        text(
            "INSERT INTO events (id, occurred_at, actor_id, case_id, kind, to_stage, changes,"
            " detail, clinical) VALUES (:id, :at, 1, :case_id, :kind, :to, '{}', :detail, false)"
        ),
        [
            {"id": 1, "at": "2026-11-02 10:00:00", "case_id": 1, "kind": "case_logged",
             "to": "logged", "detail": "Request logged"},
            {"id": 2, "at": "2026-11-02 10:00:00", "case_id": 2, "kind": "case_logged",
             "to": "logged", "detail": "Request logged"},
            {"id": 3, "at": "2026-11-03 10:00:00", "case_id": 2, "kind": "assigned",
             "to": "assigned", "detail": "Assigned to Dr Omar Second"},
        ],
    )  # fmt: skip
    run(
        text(
            "INSERT INTO mail_outbox (id, created_at, kind, recipient, user_id, case_id,"
            " case_reference, subject, summary_line, text_body, html_body, status, attempts,"
            " next_attempt_at) VALUES (1, '2026-11-03 10:00:00', 'assigned_to_you',"
            " 'gp@brookside.example', 2, 2, 'SO-2026-0002', 'A case for you', 'SO-2026-0002',"
            " 'text', '<p>html</p>', 'sent', 1, '2026-11-03 10:00:00')"
        )
    )
    run(
        text(
            "INSERT INTO guidance_versions (id, topic, body, restored_default, created_at,"
            " created_by_id) VALUES (1, 'stage_logged', 'Brookside: check the contact details first.',"
            " false, '2026-11-01 09:00:00', 1)"
        )
    )
    if connection.dialect.name == "postgresql":  # the ids above were given: count on from them
        for table in ("users", "cases", "case_notes", "events", "mail_outbox", "guidance_versions"):
            run(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608
                    f" (SELECT MAX(id) FROM {table}))"  # noqa: S608 - our names
                )
            )


def test_an_installed_practice_becomes_practice_one_and_reads_as_before(scratch_database_url):
    app = create_app(TestConfig(scratch_database_url))
    with app.app_context():
        upgrade(revision="0030")
        with db.engine.begin() as connection:
            populate(connection)
        upgrade(revision="heads")
        with db.engine.connect() as connection:
            practice = connection.execute(
                text("SELECT id, practice_name, ods_code, pcn_id, pals_office_name FROM practices")
            ).all()
            network = connection.execute(text("SELECT id, name FROM pcns")).all()
            owners = {
                table: connection.execute(
                    text(f"SELECT DISTINCT practice_id FROM {table}")  # noqa: S608 - our names
                )
                .scalars()
                .all()
                for table in OWNED
            }
    assert practice == [(1, "Brookside Surgery", None, 1, "Riverside PALS")]
    assert network == [(1, "Your primary care network")]
    assert owners == dict.fromkeys(OWNED, [1])

    manager = app.test_client()
    assert sign_in(manager, "pm@brookside.example", PASSWORD).status_code == 302
    queue = text_of(manager.get("/queue"))
    assert "Brookside Surgery" in queue
    assert "SO-2026-0001" in queue and "SO-2026-0002" in queue
    assert "SO-2026-0001" in text_of(manager.get("/queue?q=asker"))
    case = text_of(manager.get("/cases/SO-2026-0002"))
    assert "Rang the patient to book a review" in case and "Assigned to Dr Omar Second" in case
    assert "Brookside: check the contact details first." in text_of(
        manager.get("/cases/SO-2026-0001")
    )
    csv = manager.get("/reports/monthly.csv?month=2026-11").get_data(as_text=True)
    assert "SO-2026-0001" in csv and "SO-2026-0002" in csv
    # The practice's count of references goes on from where it was.
    logged = manager.post(
        "/cases/new", data=intake_form(original_gp="2", nhs_number="999 000 0034")
    )
    assert logged.headers["Location"].endswith("/cases/SO-2026-0003")
    with app.app_context():
        db.engine.dispose()
