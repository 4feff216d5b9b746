"""Backups restore into an empty database with every case and event; the subject access
export holds every case of one NHS number and nothing of any other patient, a readable record of
each case for the practice manager to review, and no staff email address."""

import io
import json
import shutil
import subprocess
import uuid
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, func, select, text

from tests.factories import VALID_NHS_NUMBERS
from tests.helpers import owner_url, text_of
from tracker.audit.kinds import EventKind
from tracker.audit.models import Event
from tracker.audit.record import record_event
from tracker.cases.models import Case
from tracker.extensions import db


def counts(engine):
    with engine.connect() as connection:
        return (
            sorted(connection.execute(select(Case.reference)).scalars()),
            connection.execute(select(func.count()).select_from(Event)).scalar(),
        )


def test_a_backup_restored_into_an_empty_database_holds_every_case_and_event(
    app, staff, log_case, act, as_user, tmp_path
):
    for n in range(3):
        reference = log_case(patient_name=f"Patient {n}", nhs_number=VALID_NHS_NUMBERS[n])
        act(staff.manager, reference, "add-note", {"text": f"note {n}"})
    target = tmp_path / "tracker.backup"
    result = app.test_cli_runner().invoke(args=["tracker", "backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    with app.app_context():
        expected = counts(db.engine)
        url = owner_url(app)
    assert len(expected[0]) == 3 and expected[1] >= 6

    if url.get_backend_name() == "sqlite":
        restored = create_engine(f"sqlite:///{tmp_path / 'restored.sqlite'}")
        shutil.copy(target, tmp_path / "restored.sqlite")  # restore = put the file in place
    else:
        name = f"restore_{uuid.uuid4().hex[:10]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        restored_url = url.set(database=name)
        plain = restored_url.set(drivername="postgresql").render_as_string(hide_password=False)
        restore = [shutil.which("pg_restore"), "--no-owner", "--dbname", plain, str(target)]
        subprocess.run(restore, check=True)  # noqa: S603 - the restore the README documents
        restored = create_engine(restored_url)
    try:
        assert counts(restored) == expected
    finally:
        restored.dispose()
        if url.get_backend_name() != "sqlite":
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    again = app.test_cli_runner().invoke(args=["tracker", "backup", str(target)])
    assert again.exit_code != 0 and "already exists" in again.output


def test_the_subject_access_export_holds_one_patients_cases_and_nothing_else(
    app, staff, log_case, act, as_user
):
    first = log_case(patient_name="Ada Asker", concern="Ada's concern about her knee")
    act(staff.manager, first, "add-note", {"text": "Ada's clinical note", "clinical": "y"})
    act(staff.manager, first, "close", {"closure_reason": "withdrawn"})
    second = log_case(patient_name="Ada Asker", concern="Ada's second request")
    other = log_case(
        patient_name="Otto Other", nhs_number="999 000 0026", concern="Otto's private concern"
    )
    act(staff.manager, other, "add-note", {"text": "Otto's note"})
    manager = as_user(staff.manager)

    response = manager.post("/admin/subject-access", data={"nhs_number": "999 000 0018"})
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=subject-access-20")
    assert "9990000018" not in disposition  # no identifier in a download's name
    assert response.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        # A readme, a readable record of each case and the JSON (no documents on these cases).
        assert archive.namelist() == [
            "README.txt",
            f"records/{first}.pdf",
            f"records/{second}.pdf",
            "subject-access.json",
        ]
        body = archive.read("subject-access.json").decode()
    export = json.loads(body)
    assert export["case_references"] == [first, second]
    assert [c["case"]["reference"] for c in export["cases"]] == [first, second]
    assert all(c["case"]["nhs_number"] == "9990000018" for c in export["cases"])
    assert export["cases"][0]["notes"][0]["text"] == "Ada's clinical note"
    assert {e["kind"] for e in export["cases"][0]["events"]} >= {
        "case_logged",
        "closed",
        "clinical_note_added",
    }
    assert "Otto" not in body and other not in body and "9990000026" not in body

    with app.app_context():
        event = db.session.scalars(select(Event).where(Event.kind == "subject_access_export")).one()
        assert event.actor_id == staff.manager.id
        assert event.changes["cases"] == [None, [first, second]]

    none_held = manager.post("/admin/subject-access", data={"nhs_number": "999 000 0034"})
    assert "The tracker holds no cases for NHS number 999 000 0034" in text_of(none_held)
    invalid = manager.post("/admin/subject-access", data={"nhs_number": "123"})
    assert "NHS number must be 10 digits" in text_of(invalid)


@pytest.mark.parametrize("role", ["reception", "gp"])
def test_only_the_practice_manager_exports_a_patients_data(login_as, client, role):
    login_as(role)
    assert (
        client.post("/admin/subject-access", data={"nhs_number": "999 000 0018"}).status_code == 403
    )


def pdf_text(data: bytes) -> str:
    """Every page's text, whitespace collapsed, as a reader of the PDF would find it."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_export_holds_a_readable_record_of_each_case_and_no_staff_email(
    app, staff, log_case, act, as_user
):
    reference = log_case(
        patient_name="Ada Asker", email="ada@patient.example", concern="Headaches since May"
    )
    act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    act(
        staff.other_gp,
        reference,
        "add-note",
        {"text": f"Scan booked; ask me at {staff.other_gp.email.upper()}.", "clinical": "y"},
    )
    act(staff.manager, reference, "close", {"closure_reason": "withdrawn"})
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        # What the mail sender writes on the timeline when it emails the reviewer.
        record_event(
            EventKind.EMAIL_SENT,
            None,
            case_id=case_id,
            detail=f"Case assigned to you: email to {staff.other_gp.email} about {reference}",
        )
        db.session.commit()

    manager = as_user(staff.manager)
    page = text_of(manager.get("/admin/subject-access"))
    assert "a readable record of each case" in page
    assert "Staff email addresses are removed throughout" in page
    assert "read each case's record, and the documents and letters, before you release" in page
    response = manager.post("/admin/subject-access", data={"nhs_number": "999 000 0018"})
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    record = pdf_text(files[f"records/{reference}.pdf"])
    export = json.loads(files["subject-access.json"])

    # The record reads as the case page does: the case, the notes (clinical too) and the
    # timeline in words, oldest first.
    assert f"Case {reference}" in record
    assert "Patient name Ada Asker" in record and "Headaches since May" in record
    assert "Email ada@patient.example" in record  # the patient's own address stays
    assert "Scan booked; ask me at [staff email address removed]." in record
    assert "Clinical note" in record
    timeline = record[record.index("Timeline") :]
    words = ["Request logged", "Reviewer assigned", "Clinical note added", "Case closed"]
    assert [timeline.index(w) for w in words] == sorted(timeline.index(w) for w in words)
    assert "Assigned → Closed" in timeline
    assert "Reviewer: (none) → Dr Omar Second" in timeline
    assert "Email sent System" in timeline
    assert f"email to [staff email address removed] about {reference}" in timeline
    assert "Dr Omar Second GP" in record  # staff named, with their role

    # No staff address anywhere in the zip, in any case of letters; the patient's stays.
    everything = " ".join([*(pdf_text(d) for n, d in files.items() if n.endswith(".pdf"))])
    everything += b"".join(d for n, d in files.items() if not n.endswith(".pdf")).decode()
    for person in staff.__dict__.values():
        assert person.email.lower() not in everything.lower()
    assert "ada@patient.example" in json.dumps(export)

    # The JSON names staff and their roles, and leaves out the ids a reader cannot use.
    assert {"name": "Dr Omar Second", "role": "GP"} in export["staff"]
    [case] = export["cases"]
    assert case["record"] == f"records/{reference}.pdf"
    assert case["reviewer"] == "Dr Omar Second" and case["logged_by"] == "Rita Reception"
    left_out = {"id", "version", "year", "sequence", "reviewer_id", "created_by_id"}
    assert not left_out & set(case["case"])
    assert not {"id", "case_id", "actor_id"} & {key for e in case["events"] for key in e}
    assert not {"id", "case_id", "author_id"} & set(case["notes"][0])
    assert case["notes"][0]["text"] == "Scan booked; ask me at [staff email address removed]."
