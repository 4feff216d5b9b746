"""The monthly report and CSVs against figures worked out by hand (see tests/reports/conftest.py).

March 2026: received M1, M2, M3, M4. Working days to assignment 1 (M1), 3 (M2), 1 (M3): median 1,
90th percentile 3, 2 of 3 within 2 days. To outcome 5 (M1: 3 to 10 March) and 12 (M2: 10 to 26
March): median 8.5, 90th percentile 12, 1 of 2 within 10 days.
April 2026: received A1 (logged 23:30 UTC on 31 March, which is 1 April in the practice), A2, A3.
A2 was assigned on 7 April after Easter (1 working day) and its outcome took 10 working days; it
closed at 23:30 UTC on 30 April, which is 1 May in the practice, so it is still open at April's end.
"""

import csv
import io
import re

from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.reports import csv_export


def read_csv(response):
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:], newline="")))


def test_march_figures(two_months, manager_client):
    page = text_of(manager_client.get("/reports/monthly?month=2026-03"))
    assert "March 2026" in page
    assert "Requests received 4 (1 formal complaint, 1 urgent)" in page
    assert "Cases closed 2" in page
    assert "Open at the end of the month 2" in page
    assert "PALS referrals made 1" in page and "PALS referrals concluded 0" in page
    assert "Assignment (target 2 days) 3 1 3 66.7%" in page
    assert "Outcome (target 10 days) 2 8.5 12 50.0%" in page
    assert "First opinion confirmed 1" in page and "Different opinion given 1" in page
    assert "Satisfied 1" in page and "Still concerned 1" in page
    assert "A view from the senior partner 1" in page and "Telephone 1" in page


def test_april_figures_count_the_late_night_request_in_april(two_months, manager_client):
    page = text_of(manager_client.get("/reports/monthly?month=2026-04"))
    assert "Requests received 3 (0 formal complaints, 0 urgent)" in page
    assert "Cases closed 2" in page
    assert "Open at the end of the month 3" in page
    assert "PALS referrals made 0" in page and "PALS referrals concluded 1" in page
    assert "Registered with another practice 1" in page
    assert "Assignment (target 2 days) 2 1 1 100.0%" in page
    assert "Outcome (target 10 days) 1 10 10 100.0%" in page
    assert "Not sure yet 1" in page and "Email 1" in page
    assert "Tests arranged 1" in page and "Not known yet 1" in page


def test_reviewer_workload_and_trend(two_months, manager_client, staff):
    page = text_of(manager_client.get("/reports/monthly?month=2026-04"))
    assert (
        "Dr Omar Second (GP) 2 1 1" in page
    )  # A2 and A3 assigned; A2 has an outcome and closes on 1 May
    assert "Mo Manager (Practice manager) 0 0 1" in page  # M3 still open
    assert "Mar 26 4 2" in page and "Apr 26 3 1" in page
    html = manager_client.get("/reports/monthly?month=2026-04").get_data(as_text=True)
    assert '<svg class="app-chart app-chart--wide"' in html and 'role="img"' in html
    assert '<svg class="app-chart app-chart--narrow"' in html  # shown on a phone instead
    assert "April 2026: 3 received, 1 outcomes" in html
    # The description the chart's aria-labelledby names is an element, not escaped markup.
    desc = re.search(r'<desc id="trend-desc-wide">([^<]*)</desc>', html)
    assert desc is not None and "April 2026: 3 received, 1 outcomes" in desc.group(1)
    assert "&lt;desc" not in html


def test_summary_csv(two_months, manager_client):
    response = manager_client.get("/reports/monthly.csv?from=2026-03&to=2026-04&kind=summary")
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="second-opinions-2026-03-to-2026-04-summary.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == csv_export.SUMMARY_COLUMNS
    assert rows[1] == [
        "2026-03",
        "4",
        "1",
        "1",
        "2",
        "2",
        "1",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        "1",
        "1",
        "1",
        "0",
        "8.5",
        "50.0",
    ]
    assert rows[2] == [
        "2026-04",
        "3",
        "0",
        "0",
        "2",
        "3",
        "0",
        "0",
        "0",
        "1",
        "0",
        "0",
        "0",
        "0",
        "0",
        "0",
        "1",
        "10",
        "100.0",
    ]
    assert len(rows) == 3


def test_cases_csv(two_months, manager_client):
    response = manager_client.get("/reports/monthly.csv?month=2026-04&kind=cases")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="second-opinions-2026-04-cases.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == csv_export.CASE_COLUMNS
    by_reference = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_reference) == {two_months["A1"], two_months["A2"], two_months["A3"]}
    a1 = by_reference[two_months["A1"]]
    assert (a1["received_on"], a1["channel"], a1["route_requested"], a1["stage"]) == (
        "2026-04-01",
        "email",
        "unsure",
        "logged",
    )
    assert (a1["working_days_to_assign"], a1["assign_within_target"]) == ("", "")
    a2 = by_reference[two_months["A2"]]
    assert a2 == {
        "reference": two_months["A2"], "received_on": "2026-04-02", "channel": "letter", "route_requested": "second_opinion_gp",
        "formal_complaint": "no", "urgent": "no", "original_gp": "Dr Gina First", "reviewer": "Dr Omar Second",
        "reviewer_role": "gp", "stage": "closed", "outcome": "tests_arranged", "patient_response": "not_known",
        "assigned_on": "2026-04-07", "outcome_on": "2026-04-21", "pals_referred_on": "", "pals_concluded_on": "",
        "closed_on": "2026-05-01", "closure_reason": "resolved_in_practice", "working_days_to_assign": "1",
        "working_days_to_outcome": "10", "assign_within_target": "yes", "outcome_within_target": "yes",
    }  # fmt: skip
    assert "patient_name" not in rows[0] and "Late Night" not in response.get_data(as_text=True)


def test_cases_csv_with_identifiers_neutralises_formulas_and_round_trips_text(
    app, place_case, manager_client, staff, frozen_clock
):
    from datetime import date

    names = [
        '=HYPERLINK("http://x")',
        "+SUM(A1)",
        "-2+3",
        "@cmd",
        "\tTabbed",
        'O"Brien, Jr\nSecond line',
    ]
    for n, name in enumerate(names):
        place_case(
            received_on=date(2026, 6, 1 + n),
            patient_name=name,
            nhs_number="9990000018",
            nhs_number_unknown=False,
            address_lines="1 Mill Lane\nLeeds",
            postcode="LS1 4AP",
        )
    rows = read_csv(
        manager_client.get("/reports/monthly.csv?month=2026-06&kind=cases&identifiers=1")
    )
    assert rows[0] == csv_export.CASE_COLUMNS + [
        "nhs_number",
        "patient_name",
        "date_of_birth",
        "address_lines",
        "postcode",
    ]
    got = [row[rows[0].index("patient_name")] for row in rows[1:]]
    assert got == [
        '\'=HYPERLINK("http://x")',
        "'+SUM(A1)",
        "'-2+3",
        "'@cmd",
        "'\tTabbed",
        'O"Brien, Jr\nSecond line',
    ]
    assert rows[1][rows[0].index("nhs_number")] == "9990000018"
    assert rows[1][rows[0].index("address_lines")] == "1 Mill Lane, Leeds"
    assert rows[1][rows[0].index("postcode")] == "LS1 4AP"


def test_every_export_leaves_an_audit_event(app, two_months, manager_client, staff):
    manager_client.get("/reports/monthly.csv?month=2026-04&kind=cases")
    manager_client.get("/reports/monthly.csv?month=2026-04&kind=cases&identifiers=1")
    manager_client.get("/reports/monthly.csv?from=2026-01&to=2026-04&kind=summary")
    with app.app_context():
        events = db.session.query(Event).filter_by(kind="export").order_by(Event.id).all()
        assert [
            (e.actor_id, e.changes["identifiers"][1], e.changes["months"][1]) for e in events
        ] == [
            (staff.manager.id, False, "2026-04"),
            (staff.manager.id, True, "2026-04"),
            (staff.manager.id, False, "2026-01 to 2026-04"),
        ]
        assert "with patient identifiers" in events[1].detail


def test_a_month_with_no_cases_says_so(manager_client, staff):
    response = manager_client.get("/reports/monthly?month=2025-01")
    assert response.status_code == 200
    assert "No requests were received, closed or open in January 2025" in text_of(response)
    rows = read_csv(manager_client.get("/reports/monthly.csv?month=2025-01&kind=cases"))
    assert rows == [csv_export.CASE_COLUMNS]


def test_bad_months_get_a_clear_answer(manager_client):
    response = manager_client.get("/reports/monthly.csv?month=2026-13&kind=cases")
    assert response.status_code == 400
    assert "Give a month as month=YYYY-MM" in text_of(response)
    assert manager_client.get("/reports/monthly?month=nonsense").status_code == 200


def test_reception_and_gps_are_refused_every_report(app, staff, as_user):
    urls = ["/reports/monthly", "/reports/monthly?month=2026-04", "/reports/monthly.csv?month=2026-04&kind=cases",
            "/reports/monthly.csv?from=2026-01&to=2026-04&kind=summary", "/reports/complaints"]  # fmt: skip
    for person in (staff.reception, staff.gp, staff.senior):
        for url in urls:
            assert as_user(person).get(url).status_code == 403, (person.role, url)
    with app.app_context():
        assert db.session.query(Event).filter_by(kind="export").count() == 0
