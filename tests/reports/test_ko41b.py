"""The KO41(b) return for a year of complaints with known aspects, ages and statuses: every
table worked out by hand, each of the return's checks (one failing, with the case to fix), the
aspects recorded through the case's own form, and the Excel file read back to match the page."""

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import select

from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.cases.models import Case, ComplaintAspect
from tracker.extensions import db
from tracker.reports.ko41b import ko41b_return

YEAR = 2025  # April 2025 to March 2026


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def year_of_complaints(place_case, frozen_clock):
    """Four new complaints in 2025-26 (A to D) and one brought forward (E); two that do not
    count (a request that is no complaint, and a complaint resolved the year before)."""
    formal = {"formal_complaint": True}
    made = {
        # 14 on the day received: 0 to 17; the patient wrote; upheld in the year.
        "A": place_case(
            received_on=date(2025, 5, 10),
            date_of_birth=date(2010, 6, 1),
            stage="closed",
            closed_at=utc(2025, 7, 1, 9),
            complaint_finding="upheld",
            **formal,
        ),
        # 64 the day before their birthday: 18 to 64; a daughter wrote for them.
        "B": place_case(
            received_on=date(2025, 8, 1),
            date_of_birth=date(1960, 8, 2),
            representative_name="Jane Daughter",
            stage="closed",
            closed_at=utc(2026, 1, 10, 9),
            complaint_finding="partially_upheld",
            **formal,
        ),
        # 75 on the day: 75 to 84; open at the year's end.
        "C": place_case(
            received_on=date(2025, 9, 15),
            date_of_birth=date(1950, 9, 15),
            stage="assigned",
            **formal,
        ),
        # No date of birth: age unknown; written on the patient's behalf; no aspects yet.
        "D": place_case(
            received_on=date(2026, 2, 2),
            date_of_birth=None,
            representative_name="A Friend",
            stage="logged",
            **formal,
        ),
        # Received the year before, resolved in this one: brought forward, not upheld.
        "E": place_case(
            received_on=date(2025, 2, 10),
            stage="closed",
            closed_at=utc(2025, 6, 1, 9),
            complaint_finding="not_upheld",
            **formal,
        ),
        "not a complaint": place_case(received_on=date(2025, 7, 1)),
        "resolved before": place_case(
            received_on=date(2025, 1, 6),
            stage="closed",
            closed_at=utc(2025, 3, 3, 9),
            complaint_finding="upheld",
            **formal,
        ),
    }
    return made


ASPECTS = {
    "A": [("communications", "gp"), ("prescribing", "gp")],
    "B": [("appointments", "admin_reception")],
    "C": [("clinical", "gp"), ("clinical", "practice_nurse")],
}


def record(act, staff, reference, aspects):
    data = {}
    for n, (subject, staff_group) in enumerate(aspects, start=1):
        data[f"subject_{n}"], data[f"staff_{n}"] = subject, staff_group
    return act(staff.manager, reference, "record-aspects", data)


def test_every_table_and_check_of_the_return(app, staff, year_of_complaints, act, manager_client):
    for key, aspects in ASPECTS.items():
        assert record(act, staff, year_of_complaints[key], aspects).status_code == 302

    with app.app_context():
        found = ko41b_return(YEAR)
        rows = {(section, item): n for section, item, n in found.rows()}
    expected = {
        ("Summary", "Total brought forward"): 1,
        ("Summary", "Total new"): 4,
        ("Summary", "Number upheld"): 1,
        ("Summary", "Number partially upheld"): 1,
        ("Summary", "Number not upheld"): 1,
        ("Summary", "Total resolved"): 3,
        ("Summary", "Total carried forward"): 2,
        ("Age of patient", "0 to 17"): 1,
        ("Age of patient", "18 to 64"): 1,
        ("Age of patient", "65 to 74"): 0,
        ("Age of patient", "75 to 84"): 1,
        ("Age of patient", "85 and over"): 0,
        ("Age of patient", "Age unknown"): 1,
        ("Status of complainant", "Patient"): 2,
        ("Status of complainant", "Someone on behalf of the patient"): 2,
        ("Subject area", "Communications"): 1,
        ("Subject area", "Prescribing"): 1,
        ("Subject area", "Appointments (availability, delays and cancellations)"): 1,
        ("Subject area", "Clinical treatment"): 2,
        ("Subject area", "Waiting times"): 0,
        ("Staff group", "GP"): 3,
        ("Staff group", "Practice nurse"): 1,
        ("Staff group", "Receptionist or administrative staff"): 1,
        ("Staff group", "Practice manager"): 0,
    }
    for key, n in expected.items():
        assert rows[key] == n, key

    # The checks: the subject and staff group tables fail while D has no aspect, naming it.
    held = {check.rule: check for check in found.checks}
    failing = [check for check in found.checks if not check.holds]
    assert [c.rule for c in failing] == [
        "The subject areas add up to at least the new complaints",
        "The staff groups add up to at least the new complaints",
    ]
    assert all(c.cases == (year_of_complaints["D"],) for c in failing)
    assert held["The ages of the patients add up to the new complaints"].holds
    assert held["The complainants' statuses add up to the new complaints"].holds
    assert held["Every complaint resolved is upheld, partially upheld or not upheld"].holds
    page = manager_client.get(f"/reports/complaints?year={YEAR}")
    text = text_of(page)
    assert "Fix these before keying in the return" in text
    assert f"Cases to fix: {year_of_complaints['D']}" in text
    assert f'href="/cases/{year_of_complaints["D"]}"' in page.get_data(as_text=True)
    for (section, item), n in expected.items():
        assert f"{item} {n}" in text, (section, item)

    # The Excel file holds the page's figures, row for row, in the return's order.
    workbook = openpyxl.load_workbook(
        io.BytesIO(manager_client.get(f"/reports/complaints.xlsx?year={YEAR}").data)
    )
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == ["Section", "Item", "Number"]
    read = [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert read == [(s, i, n) for s, i, n in found.rows()]
    body = manager_client.get(f"/reports/complaints.csv?year={YEAR}").get_data(as_text=True)
    csv_rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert csv_rows[1:] == [[s, i, str(n)] for s, i, n in found.rows()]

    # D coded: every check holds.
    assert record(act, staff, year_of_complaints["D"], [("waiting_times", "admin_reception")])
    with app.app_context():
        assert ko41b_return(YEAR).all_hold
    assert "Every check the return makes holds" in text_of(
        manager_client.get(f"/reports/complaints?year={YEAR}")
    )


def test_a_resolved_complaint_without_a_finding_is_named_to_fix(app, place_case, manager_client):
    reference = place_case(
        received_on=date(2025, 6, 2),
        formal_complaint=True,
        stage="closed",
        closed_at=utc(2025, 9, 1, 9),
        complaint_finding=None,
    )
    with app.app_context():
        found = ko41b_return(YEAR)
    check = next(c for c in found.checks if c.rule.startswith("Every complaint resolved"))
    assert not check.holds and check.cases == (reference,)


def test_aspects_are_recorded_replaced_and_kept_in_the_history(
    app, staff, year_of_complaints, act, as_user, events_of
):
    reference = year_of_complaints["A"]
    record(act, staff, reference, ASPECTS["A"])
    # Opened again, the form shows what is recorded; sent again, it replaces it.
    page = as_user(staff.manager).get(f"/cases/{reference}/record-aspects").get_data(as_text=True)
    assert '<option value="communications" selected' in page
    record(act, staff, reference, [("consent", "other_clinical")])
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        held = db.session.scalars(
            select(ComplaintAspect).where(ComplaintAspect.case_id == case_id)
        ).all()
        assert [(a.subject_area, a.staff_group) for a in held] == [("consent", "other_clinical")]
        details = db.session.scalars(
            select(Event.detail)
            .where(Event.case_id == case_id, Event.kind == "aspects_recorded")
            .order_by(Event.id)
        ).all()
    assert details == [
        "KO41(b) aspects: Communications (GP); Prescribing (GP)",
        "KO41(b) aspects: Consent (Other clinical staff) (were: Communications (GP); "
        "Prescribing (GP))",
    ]


def test_an_aspect_half_chosen_comes_back_with_a_message_and_what_was_typed(
    staff, year_of_complaints, act
):
    reference = year_of_complaints["C"]
    reply = act(
        staff.manager,
        reference,
        "record-aspects",
        {"subject_1": "clinical", "staff_1": "gp", "subject_2": "consent", "staff_2": ""},
    )
    assert reply.status_code == 200
    assert "Choose the staff group of aspect 2" in text_of(reply)
    html = reply.get_data(as_text=True)
    assert '<option value="consent" selected' in html


def test_only_a_formal_complaint_and_only_the_practice_manager(staff, year_of_complaints, as_user):
    not_formal = year_of_complaints["not a complaint"]
    assert "KO41(b)" not in text_of(as_user(staff.manager).get(f"/cases/{not_formal}"))
    assert as_user(staff.manager).get(f"/cases/{not_formal}/record-aspects").status_code == 403
    formal = year_of_complaints["C"]
    assert "Record the complaint's subjects" in text_of(
        as_user(staff.manager).get(f"/cases/{formal}")
    )
    for person in (staff.reception, staff.gp):
        assert as_user(person).get(f"/cases/{formal}/record-aspects").status_code == 403
