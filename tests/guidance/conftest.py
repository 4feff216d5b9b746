"""Cases at each stage and the practice's PALS settings, for the guidance tests."""

from html.parser import HTMLParser

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


class FormValues(HTMLParser):
    """The values a browser would submit from a page's form as it stands."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[a["name"]] = a.get("value") or ""
            else:
                self.values[a["name"]] = a.get("value") or ""
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data.removeprefix("\n")


@pytest.fixture
def save_settings(as_user, staff):
    """Submit the practice settings form as the practice manager, changing only these fields."""

    def save(**changes):
        manager = as_user(staff.manager)
        page = manager.get("/admin/settings").get_data(as_text=True)
        form = page.split("<main", 1)[1]
        current = FormValues(form).values
        current.pop("csrf_token", None)
        return manager.post("/admin/settings", data={**current, **changes})

    return save
