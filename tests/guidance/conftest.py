"""Cases at each stage and the practice's PALS settings, for the guidance tests."""

import pytest

from tests.guidance.pages import sidebar

NOT_FORMAL = {"formal_complaint": "no"}
PALS_REFERRAL = {
    "referred_on[day]": "21",
    "referred_on[month]": "11",
    "referred_on[year]": "2026",
    "referred_by": "practice",
    "pals_service": "Riverside PALS",
    "pals_officer": "Jo Officer",
    "pals_reference": "PALS/123",
}


@pytest.fixture
def case_at(staff, log_case, act):
    """Log a plain request and move it to the stage asked for; returns its reference."""

    def move(stage: str, **intake) -> str:
        reference = log_case(**intake)
        if stage == "logged":
            return reference
        if stage == "referred_to_pals":
            act(staff.manager, reference, "refer-to-pals", PALS_REFERRAL)
            return reference
        if stage == "closed":
            act(staff.manager, reference, "close", {"closure_reason": "withdrawn"})
            return reference
        act(staff.manager, reference, "assign", {"reviewer": staff.other_gp.id})
        if stage == "assigned":
            return reference
        act(staff.other_gp, reference, "start-review", {"review_type": "notes"})
        if stage == "in_review":
            return reference
        act(staff.other_gp, reference, "record-outcome", {
            "outcome": "first_opinion_confirmed",
            "outcome_summary": "Agree with the plan.",
            "patient_response": "still_concerned",
        })  # fmt: skip
        assert stage == "outcome_recorded"
        return reference

    return move


@pytest.fixture
def case_sidebar(as_user):
    """The guidance sidebar on a case page, as this person sees it."""

    def read(user, reference, page=""):
        response = as_user(user).get(f"/cases/{reference}{page}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return sidebar(response)

    return read


SETTINGS_FORM = {
    "practice_name": "Riverside Surgery",
    "ods_code": "A81001",
    "assign_target_days": "2",
    "acknowledge_target_days": "3",
    "outcome_target_days": "10",
    "bank_holiday_region": "england",
    "pals_office_name": "",
}


@pytest.fixture
def save_settings(as_user, staff):
    """Post the practice settings form as the practice manager, with these changes."""

    def save(**changes):
        response = as_user(staff.manager).post("/admin/settings", data={**SETTINGS_FORM, **changes})
        return response

    return save
