"""A fixture of cases with known dates, routes, outcomes, PALS referrals and closures."""

from datetime import UTC, date, datetime

import pytest

from tests.helpers import sign_in, value_of


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def two_months(app, staff, place_case, frozen_clock, as_user):
    """March and April 2026, worked out by hand in tests/reports/test_monthly.py."""
    frozen_clock.now = utc(2026, 3, 31, 23, 30)  # 00:30 BST on 1 April
    reception = as_user(staff.reception)
    form = reception.get("/cases/new").get_data(as_text=True)
    day, month = value_of(form, "received_on[day]"), value_of(form, "received_on[month]")
    from tests import factories

    logged = reception.post(
        "/cases/new",
        data=factories.intake_form(
            nhs_number="", nhs_number_unknown="y", patient_name="Late Night", original_gp=str(staff.gp.id),
            route_requested="unsure", channel="email", email="late@example.com",
            **{"received_on[day]": day, "received_on[month]": month, "received_on[year]": "2026"},
        ),
    )  # fmt: skip
    assert logged.status_code == 302
    frozen_clock.now = utc(2026, 5, 20, 9)
    g1, g2, senior, manager = (
        staff.other_gp.id,
        staff.other_gp.id,
        staff.senior.id,
        staff.manager.id,
    )
    cases = {
        "M1": place_case(received_on=date(2026, 3, 2), channel="telephone", stage="closed", reviewer_id=g1,
                         first_assigned_at=utc(2026, 3, 3, 10), assigned_at=utc(2026, 3, 3, 10), outcome_clock_from=utc(2026, 3, 3, 10),
                         outcome_recorded_at=utc(2026, 3, 10, 12), outcome="first_opinion_confirmed", patient_response="satisfied",
                         closed_at=utc(2026, 3, 11, 12), closure_reason="resolved_in_practice"),
        "M2": place_case(received_on=date(2026, 3, 5), route_requested="senior_partner", formal_complaint=True, urgent=True,
                         stage="closed", reviewer_id=senior, first_assigned_at=utc(2026, 3, 10, 9), assigned_at=utc(2026, 3, 10, 9),
                         outcome_clock_from=utc(2026, 3, 10, 9), outcome_recorded_at=utc(2026, 3, 26, 15), outcome="different_opinion",
                         patient_response="still_concerned", pals_referred_on=date(2026, 3, 27), pals_referred_by="practice",
                         pals_service="PALS", pals_response_on=date(2026, 4, 15), closed_at=utc(2026, 4, 16, 9),
                         closure_reason="resolved_after_pals", complaint_finding="partially_upheld"),
        "M3": place_case(received_on=date(2026, 3, 20), route_requested="practice_manager", channel="in_person", stage="in_review",
                         reviewer_id=manager, first_assigned_at=utc(2026, 3, 23, 9), assigned_at=utc(2026, 3, 23, 9),
                         outcome_clock_from=utc(2026, 3, 23, 9)),
        "M4": place_case(received_on=date(2026, 3, 31), route_requested="pals", channel="online", stage="closed",
                         closed_at=utc(2026, 3, 31, 15), closure_reason="returned_to_own_gp"),
        "A2": place_case(received_on=date(2026, 4, 2), stage="closed", reviewer_id=g2, first_assigned_at=utc(2026, 4, 7, 9),
                         assigned_at=utc(2026, 4, 7, 9), outcome_clock_from=utc(2026, 4, 7, 9), outcome_recorded_at=utc(2026, 4, 21, 9),
                         outcome="tests_arranged", patient_response="not_known", closed_at=utc(2026, 4, 30, 23, 30),
                         closure_reason="resolved_in_practice"),
        "A3": place_case(received_on=date(2026, 4, 10), route_requested="register_elsewhere", stage="closed", reviewer_id=g1,
                         first_assigned_at=utc(2026, 4, 13, 9), assigned_at=utc(2026, 4, 13, 9), outcome_clock_from=utc(2026, 4, 13, 9),
                         closed_at=utc(2026, 4, 20, 9), closure_reason="registered_elsewhere", registered_elsewhere_on=date(2026, 4, 18)),
    }  # fmt: skip
    cases["A1"] = logged.headers["Location"].rsplit("/", 1)[1]
    return cases


@pytest.fixture
def manager_client(app, staff, frozen_clock):
    # Signed in on the frozen clock: a session idle past the sign-out time ends.
    client = app.test_client()
    assert sign_in(client, staff.manager.email, staff.manager.password).status_code == 302
    return client
