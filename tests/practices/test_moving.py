"""A practice leaves a shared install with its records: exported (`flask tracker backup
--practice`), imported into an empty install where its cases, documents, letters, events and
reports read the same, and removed from the shared install, audited."""

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from tests import factories
from tests.cases.test_clinical_material import upload
from tests.helpers import sign_in, text_of
from tests.letters.conftest import letter_case, practice  # noqa: F401 - fixtures used here
from tests.letters.test_letters import mark_sent
from tracker import create_app
from tracker.audit.models import Event
from tracker.cases.models import Case
from tracker.config import TestConfig
from tracker.extensions import db
from tracker.practices.models import Practice
from tracker.practices.scope import across_practices, in_practice
from tracker.security import moving
from tracker.staff.models import User

CODE = "A81001"
REPORTS = (
    "/reports/monthly.csv?from=2026-11&to=2026-11&kind=cases",
    "/reports/monthly.csv?from=2026-11&to=2026-11&kind=summary",
    "/reports/monthly?month=2026-11",
)


def held(app, code: str) -> dict[str, list[tuple]]:
    """Every row the practice holds in each table, in id order, as plain tuples."""
    with app.app_context():
        practice_found = moving.practice_by_code(code)
        with across_practices("comparing a moved practice"):
            found = {
                table.name: sorted(
                    (tuple(sorted(row.items())) for row in rows), key=lambda r: repr(r)
                )
                for table, rows in moving._rows_of(practice_found)
            }
        db.session.rollback()
        return found


@pytest.fixture
def shared_install(app, staff, log_case, act, as_user, letter_case, practice, two_practices):  # noqa: F811
    """The install's practice (given an ODS code) with a formal complaint carrying a note, a
    clinical document and a letter sent; and a second practice with cases of its own."""
    with app.app_context():
        first = db.session.get(Practice, two_practices[0])
        first.ods_code = CODE
        db.session.commit()
    with in_practice(two_practices[0]):
        reference = letter_case()
    act(staff.manager, reference, "add-note", {"text": "Spoke to the patient"})
    upload(as_user(staff.manager), reference, "Letter from the patient", "letter.pdf", clinical="y")
    assert mark_sent(act, staff.reception, reference, "acknowledgement").status_code == 302
    logged = log_case(patient_name="Zeb Quinn", confirm_duplicate="yes", confirm_identity="yes")
    return reference, logged, two_practices[0], two_practices[1]


def reports(app, staff) -> list:
    """The month's cases and summary CSVs, byte for byte, and the monthly report as read."""
    client = app.test_client()
    assert sign_in(client, staff.manager.email, staff.manager.password).status_code == 302
    *files, page = REPORTS
    return [client.get(path).get_data() for path in files] + [text_of(client.get(page))]


def test_a_practice_moves_to_an_empty_install_and_reads_the_same_there(
    app, staff, shared_install, tmp_path, scratch_database_url
):
    reference, _logged, leaving, other = shared_install
    # Read before the export: reading a report is recorded, and a practice whose records
    # changed after its export is not removed (the next test).
    source_reports = reports(app, staff)
    export = tmp_path / "practice.zip"
    made = app.test_cli_runner().invoke(args=["tracker", "backup", "--practice", CODE, str(export)])
    assert made.exit_code == 0, made.output
    before = held(app, CODE)
    assert len(before["cases"]) == 1 + 2 + 1  # the letter's case, two of the fixture's, one logged
    assert len(before["case_attachment_contents"]) == 1 and len(before["case_letters"]) == 1
    assert before["events"] and before["memberships"]

    target = create_app(TestConfig(scratch_database_url))
    with target.app_context():
        upgrade(revision="heads")
    done = target.test_cli_runner().invoke(args=["tracker", "import-practice", str(export)])
    assert done.exit_code == 0, done.output
    assert "4 cases" in done.output

    after = held(target, CODE)
    assert after == before  # every row of every table, documents' and letters' bytes included
    assert reports(target, staff) == source_reports
    client = target.test_client()
    sign_in(client, staff.manager.email, staff.manager.password)
    page = text_of(client.get(f"/cases/{reference}"))
    assert "Spoke to the patient" in page and "Letter from the patient" in page
    # New rows follow on from the imported ones (on PostgreSQL, the id sequences moved on).
    logged_there = client.post(
        "/cases/new",
        data=factories.intake_form(
            patient_name="Ava Newman",
            original_gp=str(staff.gp.id),
            confirm_duplicate="yes",
            confirm_identity="yes",
        ),
    )
    assert logged_there.status_code == 302, logged_there.get_data(as_text=True)
    assert "Ava Newman" in text_of(client.get(logged_there.headers["Location"]))
    assert (
        app.test_cli_runner().invoke(args=["tracker", "import-practice", str(export)]).exit_code
        != 0
    )  # the shared install is not empty

    removed = app.test_cli_runner().invoke(
        args=["tracker", "remove-practice", CODE, "--export", str(export)]
    )
    assert removed.exit_code == 0, removed.output
    with app.app_context(), across_practices("checking a removed practice"):
        assert db.session.scalar(select(Practice).where(Practice.ods_code == CODE)) is None
        for table in db.metadata.sorted_tables:
            if "practice_id" in table.c and table.name != "practices":
                left = db.session.scalar(
                    select(func.count()).select_from(table).where(table.c.practice_id == leaving)
                )
                assert left == 0, table.name
        kept = db.session.scalars(select(Case.practice_id)).all()
        assert kept == [other, other]  # the other practice's two cases
        audit = db.session.scalars(select(Event).where(Event.kind == "practice_removed")).one()
        assert audit.practice_id is None and CODE in audit.detail
        reception = db.session.get(User, staff.reception.id)
        assert reception.active is False  # worked in no other practice
    assert (
        sign_in(app.test_client(), staff.reception.email, staff.reception.password).status_code
        == 200
    )


def test_a_practice_changed_after_its_export_is_not_removed(
    app, staff, shared_install, tmp_path, act
):
    reference = shared_install[0]
    export = tmp_path / "practice.zip"
    app.test_cli_runner().invoke(args=["tracker", "backup", "--practice", CODE, str(export)])
    act(staff.manager, reference, "add-note", {"text": "Written after the export"})
    refused = app.test_cli_runner().invoke(
        args=["tracker", "remove-practice", CODE, "--export", str(export)]
    )
    assert refused.exit_code != 0
    assert "changed after" in refused.output and "case_notes" in refused.output
    with app.app_context(), across_practices("checking nothing was removed"):
        assert db.session.scalar(select(Practice).where(Practice.ods_code == CODE)) is not None
