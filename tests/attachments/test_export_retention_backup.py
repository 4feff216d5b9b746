"""Documents go wherever the patient's data goes: into the subject access export (as they were
uploaded), out with the retention purge, and into every backup."""

import io
import json
import re
import shutil
import subprocess
import uuid
import zipfile
from datetime import timedelta

from sqlalchemy import create_engine, func, select, text

from tests.attachments.files import JPEG, pdf, png
from tests.attachments.test_documents import document_ids, stored, upload
from tests.helpers import owner_url
from tests.security.test_backup_and_subject_access import pdf_text
from tracker.audit.models import Event
from tracker.cases.attachments import CaseAttachment, CaseAttachmentContent
from tracker.cases.models import Case
from tracker.extensions import db


def test_the_subject_access_export_holds_every_document_of_the_patient_and_no_one_elses(
    app, staff, as_user, log_case, act
):
    first = log_case(patient_name="Ada Asker")
    second = log_case(patient_name="Ada Asker", concern="A second request", confirm_duplicate="yes")
    other = log_case(patient_name="Otto Other", nhs_number="999 000 0026")
    gp = as_user(staff.gp)
    letter, results, photo = pdf("Ada's letter"), pdf("Ada's results"), png()
    upload(gp, first, letter, "letter.pdf", "Ada's letter asking for a second opinion")
    upload(gp, first, results, "results.pdf", "Ada's blood results", clinical="y")
    upload(gp, second, photo, "photo.png", "Photo Ada sent of the swelling")
    upload(gp, other, JPEG, "otto.jpg", "Otto's letter")
    letter_id, results_id = document_ids(app, first)
    [photo_id] = document_ids(app, second)

    response = as_user(staff.manager).post(
        "/admin/subject-access", data={"nhs_number": "999 000 0018"}
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        names = archive.namelist()
        export = json.loads(archive.read("subject-access.json"))
        files = {name: archive.read(name) for name in names}

    assert sorted(names) == sorted(
        [
            "README.txt",
            f"records/{first}.pdf",
            f"records/{second}.pdf",
            "subject-access.json",
            f"documents/{first}/{letter_id}-letter.pdf",
            f"documents/{first}/{results_id}-results.pdf",
            f"documents/{second}/{photo_id}-photo.png",
        ]
    )
    assert files[f"documents/{first}/{letter_id}-letter.pdf"] == letter
    assert files[f"documents/{first}/{results_id}-results.pdf"] == results  # clinical too
    assert files[f"documents/{second}/{photo_id}-photo.png"] == photo
    listed = export["cases"][0]["documents"]
    assert [(d["description"], d["type"], d["size"], d["clinical"]) for d in listed] == [
        ("Ada's letter asking for a second opinion", "PDF", len(letter), False),
        ("Ada's blood results", "PDF", len(results), True),
    ]
    assert listed[0]["uploaded_by"] == "Dr Gina First"
    assert listed[0]["file"] == f"documents/{first}/{letter_id}-letter.pdf"
    assert len(listed[0]["sha256"]) == 64
    assert "document_added" in {e["kind"] for e in export["cases"][0]["events"]}
    everything = b"".join(files.values())
    assert b"Otto" not in everything and JPEG not in everything
    # Each case's readable record lists its documents and where they are in the zip.
    record = pdf_text(files[f"records/{first}.pdf"])
    assert "Ada's blood results (clinical)" in record
    assert f"documents/{first}/{results_id}-results.pdf" in record
    with app.app_context():
        audited = db.session.scalars(
            select(Event.detail).where(Event.kind == "subject_access_export")
        ).one()
    assert audited == "Subject access export for NHS number 999 000 0018: 2 case(s), 3 document(s)"


PORTABLE = re.compile(r"[A-Za-z0-9._-]+")


def test_names_in_the_subject_access_zip_are_portable_whatever_the_upload_was_called(
    app, staff, as_user, log_case
):
    """Windows refuses '"', ':', '<', '|', '?' and more in a file name; a zip made here opens
    anywhere, each document named by its number and what is left of its own name."""
    reference = log_case(patient_name="Ada Asker")
    gp = as_user(staff.gp)
    nasty = {
        "Scan: Ada's <knee> | 1?%0D%0A*.pdf": "Scan_Ada_s_knee_1_0D_0A_.pdf",
        "Résumé d’été.pdf": "Resume_d_ete.pdf",
        "…...pdf": "document.pdf",
        "ｆｕｌｌ　ｗｉｄｔｈ.png": "full_width.png",
    }
    for name in nasty:
        upload(gp, reference, pdf() if name.endswith(".pdf") else png(), name, f"Upload {name}")
    ids = document_ids(app, reference)
    with app.app_context():
        # A name as another browser may send it, with quotes and a line break in it.
        first = db.session.get(CaseAttachment, ids[0])
        first.file_name = 'Scan "A":\r\nreport.pdf'
        db.session.commit()
    nasty = {'Scan "A":\r\nreport.pdf': "Scan_A_report.pdf", **dict(list(nasty.items())[1:])}

    response = as_user(staff.manager).post(
        "/admin/subject-access", data={"nhs_number": "999 000 0018"}
    )
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        names = archive.namelist()
        export = json.loads(archive.read("subject-access.json"))
    for name in names:
        assert all(PORTABLE.fullmatch(part) for part in name.split("/")), name
    expected = [
        f"documents/{reference}/{document_id}-{portable}"
        for document_id, portable in zip(ids, nasty.values(), strict=True)
    ]
    assert [name for name in names if name.startswith("documents/")] == expected
    listed = export["cases"][0]["documents"]
    assert [d["file"] for d in listed] == expected
    assert listed[0]["file_name"] == 'Scan "A":\r\nreport.pdf'  # as it was uploaded


def close_long_ago(app, reference, years):
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        case.closed_at = case.closed_at.replace(year=case.closed_at.year - years) - timedelta(
            days=1
        )
        db.session.commit()


def test_the_retention_purge_removes_the_documents_of_an_expired_case(
    app, staff, as_user, log_case, act, frozen_clock
):
    old = log_case(patient_name="Olive Oldcase")
    recent = log_case(patient_name="Rosa Recent", nhs_number="999 000 0026")
    gp = as_user(staff.gp)
    upload(gp, old, pdf(), "olive's letter.pdf", "Olive's letter about her knee")
    upload(gp, old, png(), "knee.png", "Photo of Olive's knee", clinical="y")
    upload(gp, recent, JPEG, "rosa.jpg", "Rosa's letter")
    for reference in (old, recent):
        act(staff.manager, reference, "close", {"closure_reason": "withdrawn"})
    close_long_ago(app, old, 10)
    close_long_ago(app, recent, 9)
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["tracker", "purge-expired", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{old} (closed" in dry.output and "2 document(s)" in dry.output
    assert len(stored(app, old)) == 2

    real = runner.invoke(args=["tracker", "purge-expired"])
    assert real.exit_code == 0, real.output
    assert stored(app, old) == []
    assert [row[0] for row in stored(app, recent)] == ["Rosa's letter"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CaseAttachmentContent)) == 1
        case_id = db.session.scalar(select(Case.id).where(Case.reference == old))
        history = db.session.scalars(
            select(Event).where(Event.case_id == case_id).order_by(Event.id)
        ).all()
        # The uploads stay on the timeline, in the system's words only: what was typed went.
        added = [e for e in history if e.kind in ("document_added", "clinical_document_added")]
        assert len(added) == 2
        assert all(e.full_detail == e.detail and "Olive" not in e.detail for e in added)
        assert "2 document(s)" in history[-1].detail
    page = as_user(staff.manager).get(f"/cases/{old}").get_data(as_text=True)
    assert "Olive" not in page and "No documents yet." in page


def test_a_backup_holds_every_documents_bytes(app, staff, as_user, log_case, tmp_path):
    reference = log_case()
    letter = pdf("Kept in the backup")
    upload(as_user(staff.gp), reference, letter, "letter.pdf", "The patient's letter")
    target = tmp_path / "tracker.backup"
    result = app.test_cli_runner().invoke(args=["tracker", "backup", str(target)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        url = owner_url(app)

    query = select(CaseAttachment.description, CaseAttachmentContent.data).join(
        CaseAttachmentContent
    )
    if url.get_backend_name() == "sqlite":
        restored = create_engine(f"sqlite:///{target}")
        admin = None
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
        with restored.connect() as connection:
            assert connection.execute(query).all() == [("The patient's letter", letter)]
    finally:
        restored.dispose()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
