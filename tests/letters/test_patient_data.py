"""Letters sent are the patient's data: in the subject access export, gone at retention."""

import io
import json
import zipfile
from datetime import timedelta

from sqlalchemy import select

from tracker.cases.letters.models import CaseLetter
from tracker.cases.models import Case
from tracker.extensions import db


def test_subject_access_includes_each_letter_as_sent(
    practice, staff, as_user, act, letter_case, app
):
    reference = letter_case()
    act(staff.reception, reference, "send-letter", {"letter": "pals", "sent_method": "post"})
    with app.app_context():
        sent = db.session.scalars(select(CaseLetter)).one().pdf
    response = as_user(staff.manager).post(
        "/admin/subject-access", data={"nhs_number": "999 000 0018"}
    )
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    export = json.loads(archive.read("subject-access.json"))
    [case] = export["cases"]
    assert case["case"]["address_lines"] == "4 Mill Lane\nHeadingley\nLeeds"
    assert case["case"]["postcode"] == "LS6 3AA"
    [letter] = case["letters"]
    assert (letter["letter"], letter["sent"], letter["sent_by"]) == (
        "PALS: where to get help",
        "By post",
        "Rita Reception",
    )
    assert archive.read(letter["file"]) == sent


def test_retention_removes_the_address_and_the_letters(practice, staff, act, letter_case, app):
    reference = letter_case()
    act(staff.reception, reference, "send-letter", {"letter": "pals", "sent_method": "post"})
    act(
        staff.manager,
        reference,
        "close",
        {"closure_reason": "withdrawn", "complaint_finding": "not_upheld"},
    )
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        case.closed_at = case.closed_at.replace(year=case.closed_at.year - 10) - timedelta(days=1)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["tracker", "purge-expired"])
    assert result.exit_code == 0, result.output
    assert "1 letter(s)" in result.output and "address_lines" in result.output
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        assert (case.address_lines, case.postcode) == (None, None)
        assert db.session.scalars(select(CaseLetter)).all() == []
