"""History that settings cannot rewrite: after every target and the bank holiday region change,
last month's report, its CSV files and a closed case's due dates read exactly as before, while
requests logged after the change take the new targets."""

import re
from datetime import UTC, date, datetime

from tests import factories
from tests.helpers import text_of

BEFORE = factories.settings_form()
AFTER = {
    **BEFORE,
    "assign_target_days": "1",
    "acknowledge_target_days": "5",
    "outcome_target_days": "4",
    "bank_holiday_region": "scotland",
}


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=UTC)


def main_of(response) -> str:
    html = response.get_data(as_text=True)
    return re.search(r"<main.*?</main>", html, flags=re.S).group(0)


def october(client, closed_reference) -> dict[str, bytes | str]:
    return {
        "report": main_of(client.get("/reports/monthly?month=2026-10")),
        "summary.csv": client.get("/reports/monthly.csv?month=2026-10&kind=summary").data,
        "cases.csv": client.get("/reports/monthly.csv?month=2026-10&kind=cases").data,
        "complaints": main_of(client.get("/reports/complaints?year=2026")),
        "closed case": main_of(client.get(f"/cases/{closed_reference}")).split("<h2>Notes")[0],
    }


def test_changing_every_target_and_the_region_leaves_last_month_as_it_was(
    app, staff, place_case, as_user, frozen_clock
):
    frozen_clock.now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    manager = as_user(staff.manager)
    assert manager.post("/admin/settings", data=BEFORE).status_code == 302
    # Assigned in 2 working days and an outcome in 7: within the old targets, not the new ones.
    closed = place_case(
        received_on=date(2026, 10, 5),
        stage="closed",
        formal_complaint=True,
        acknowledged_on=date(2026, 10, 8),  # in 3 working days
        reviewer_id=staff.other_gp.id,
        first_assigned_at=at(7),
        assigned_at=at(7),
        outcome_clock_from=at(7),
        outcome="first_opinion_confirmed",
        patient_response="satisfied",
        outcome_recorded_at=at(16),
        closure_reason="resolved_in_practice",
        complaint_finding="not_upheld",
        closed_at=at(20),
    )
    place_case(
        received_on=date(2026, 10, 26),
        stage="assigned",
        reviewer_id=staff.senior.id,
        first_assigned_at=at(28),
        assigned_at=at(28),
        outcome_clock_from=at(28),
    )
    before = october(manager, closed)
    assert "Assignment (target 2 days)" in before["report"]
    assert "Acknowledge the complaint" in before["closed case"]

    assert manager.post("/admin/settings", data=AFTER).status_code == 302
    after = october(manager, closed)
    for name in before:
        assert after[name] == before[name], name

    # A request logged after the change takes the new targets: the change did take effect.
    newer = place_case(received_on=date(2026, 11, 23))
    page = text_of(manager.get(f"/cases/{newer}"))
    assert "Assign a reviewer 24 November 2026" in page  # 1 working day
