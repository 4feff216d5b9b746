"""The retention purge blanks exactly the patient's details: the reports read the same figures
for the purged months, every kept field holds its value and every other personal field is blank."""

import html as html_lib
import re
from datetime import UTC, date, datetime

from sqlalchemy import JSON, Date, String, Text, select

from tests.helpers import sign_in
from tracker.cases.models import Case, CaseNameWord, CaseNote
from tracker.extensions import db
from tracker.security import retention

# Ten years and a month after the last of the fixture's cases closed (30 April 2026).
LATER = datetime(2036, 6, 1, 9, 0, tzinfo=UTC)
# The purge writes these itself; its event on each case is news, so the case's last change moves.
WRITTEN_BY_THE_PURGE = {"version", "identifiers_removed_at", "last_change_at"}


def sample(column):
    """A value about the patient for this column, as an intake or an action would store it."""
    if isinstance(column.type, Date):
        return date(1970, 1, 1)
    if isinstance(column.type, String | Text):
        return "9990000018"[: column.type.length or 10]
    if isinstance(column.type, JSON):
        return [{"issue": "9990000018", "conclusion": "9990000018"}]
    raise AssertionError(f"no sample value for {column.name}")


def main_content(response) -> str:
    """The report itself, without the header's links (the purge's own event is news)."""
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def reports(client) -> dict[str, str]:
    return {
        "march": main_content(client.get("/reports/monthly?month=2026-03")),
        "april": main_content(client.get("/reports/monthly?month=2026-04")),
        "cases.csv": client.get("/reports/monthly.csv?from=2026-03&to=2026-04&kind=cases").get_data(
            as_text=True
        ),
        "summary.csv": client.get(
            "/reports/monthly.csv?from=2026-03&to=2026-04&kind=summary"
        ).get_data(as_text=True),
        "complaints": main_content(client.get("/reports/complaints?year=2025")),
    }


def test_after_the_purge_the_reports_read_the_same_and_only_the_personal_fields_are_blank(
    app, staff, two_months, frozen_clock
):
    table = Case.__table__
    with app.app_context():  # every personal field of every case holds something
        for case in db.session.scalars(select(Case)):
            for name in retention.BLANKED:
                if getattr(case, name) in (None, ""):
                    setattr(case, name, sample(table.c[name]))
            db.session.add(CaseNote(case_id=case.id, author_id=staff.gp.id, text="Seen in clinic"))
        db.session.commit()
        before = {
            case.reference: {c.name: getattr(case, c.name) for c in table.columns}
            for case in db.session.scalars(select(Case))
        }
    frozen_clock.now = LATER
    client = app.test_client()
    assert sign_in(client, staff.manager.email, staff.manager.password).status_code == 302
    figures = reports(client)
    assert "Requests received 4 (1 formal complaint, 1 urgent)" in figures["march"]

    purged = app.test_cli_runner().invoke(args=["tracker", "purge-expired"])
    assert "Removed identifiers and free text from 5 case(s)" in purged.output, purged.output

    assert reports(client) == figures
    with app.app_context():
        for case in db.session.scalars(select(Case)):
            held = before[case.reference]
            notes = db.session.scalars(select(CaseNote.text).where(CaseNote.case_id == case.id))
            words = db.session.scalars(
                select(CaseNameWord.word).where(CaseNameWord.case_id == case.id)
            ).all()
            if case.identifiers_removed_at is None:  # still open (M3 and A1): untouched
                assert case.stage != "closed"
                assert {name: getattr(case, name) for name in held} == held
                assert list(notes) == ["Seen in clinic"] and words
                continue
            for name in retention.KEPT - WRITTEN_BY_THE_PURGE:
                assert getattr(case, name) == held[name], (case.reference, name)
            for name, left in retention.BLANKED.items():
                assert getattr(case, name) == left, (case.reference, name)
            assert list(notes) == [] and words == []  # nor can a search by name find it
