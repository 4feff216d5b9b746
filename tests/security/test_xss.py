"""Every free-text field holds script-like input as plain text: each page that shows it
shows it inert (escaped, never a tag, an event handler or a javascript: link)."""

import re

import pytest

from tests.helpers import text_of

PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "javascript:alert(1)"]

SETTINGS = {
    "practice_name": "Brookside Surgery",
    "assign_target_days": "2",
    "acknowledge_target_days": "3",
    "outcome_target_days": "10",
    "bank_holiday_region": "england",
    "idle_sign_out_minutes": "15",
    "retention_years": "10",
}
OUTCOME = {"outcome": "first_opinion_confirmed", "patient_response": "still_concerned"}
PALS = {
    "referred_on[day]": "23",
    "referred_on[month]": "11",
    "referred_on[year]": "2026",
    "referred_by": "practice",
    "pals_service": "Riverside PALS",
}


def assert_inert(html: str, where: str) -> None:
    assert "<script>alert(1)</script>" not in html, where
    assert not re.search(r"<img[^>]*onerror", html, re.I), where
    assert not re.search(
        r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", html, re.I
    ), where


class Scene:
    """The people, their signed-in clients and a case, for storing a payload somewhere."""

    def __init__(self, staff, log_case, act, as_user):
        self.staff, self.log_case, self.act, self.as_user = staff, log_case, act, as_user
        self.manager = as_user(staff.manager)
        self.reception = as_user(staff.reception)

    def case_pages(self, reference):
        return [
            (self.manager, f"/cases/{reference}"),
            (self.reception, f"/cases/{reference}"),
            (self.manager, "/queue"),
            (self.manager, "/"),
            (self.manager, "/admin/audit"),
        ]


def intake(field):
    def store(scene, payload):
        extra = {"original_gp": "other"} if field == "original_gp_other" else {}
        if field.startswith("representative"):
            extra = {"representative_name": "Sam Carer", "representative_relationship": "Son"}
        reference = scene.log_case(**{**extra, field: payload})
        return scene.case_pages(reference)

    return store


def on_case(*steps):
    """Log a case, take these actions as the practice manager, the last with the payload."""

    def store(scene, payload):
        reference = scene.log_case()
        for action, data in steps:
            data = {k: (payload if v is None else v) for k, v in data(scene).items()}
            response = scene.act(scene.staff.manager, reference, action, data)
            assert response.status_code == 302, response.get_data(as_text=True)
        return scene.case_pages(reference)

    return store


def staff_name(scene, payload):
    created = scene.manager.post(
        "/admin/users/new",
        data={"full_name": payload, "email": "new.gp@practice.example", "role": "gp"},
    )
    assert created.status_code == 200
    return [(scene.manager, "/admin/users"), (scene.manager, "/admin/audit")]


def setting(field):
    def store(scene, payload):
        saved = scene.manager.post("/admin/settings", data={**SETTINGS, field: payload})
        assert saved.status_code == 302, text_of(saved)
        reference = scene.log_case()
        return [
            (scene.manager, "/admin/settings"),
            (scene.manager, f"/cases/{reference}/refer-to-pals"),
            (scene.manager, "/"),
        ]

    return store


def guidance_text(scene, payload):
    saved = scene.manager.post(
        "/admin/guidance/intake", data={"body": f"[Open]({payload})\n\n{payload}", "intent": "save"}
    )
    assert saved.status_code == 302, text_of(saved)
    return [(scene.reception, "/cases/new"), (scene.manager, "/admin/guidance/intake")]


ASSIGN = ("assign", lambda s: {"reviewer": s.staff.other_gp.id})
FIELDS = {
    "patient name": intake("patient_name"),
    "locum or other GP": intake("original_gp_other"),
    "concern": intake("concern"),
    "representative name": intake("representative_name"),
    "representative relationship": intake("representative_relationship"),
    "note": on_case(("add-note", lambda s: {"text": None})),
    "outcome summary": on_case(ASSIGN, ("record-outcome", lambda s: {**OUTCOME, "outcome_summary": None})),
    "PALS service": on_case(("refer-to-pals", lambda s: {**PALS, "pals_service": None})),
    "PALS officer": on_case(("refer-to-pals", lambda s: {**PALS, "pals_officer": None})),
    "PALS reference": on_case(("refer-to-pals", lambda s: {**PALS, "pals_reference": None})),
    "PALS response": on_case(
        ("refer-to-pals", lambda s: PALS),
        ("record-pals-response", lambda s: {"response_on[day]": "24", "response_on[month]": "11", "response_on[year]": "2026", "summary": None}),
    ),
    "closure note": on_case(("close", lambda s: {"closure_reason": "withdrawn", "note": None})),
    "reassignment reason": on_case(ASSIGN, ("assign", lambda s: {"reviewer": s.staff.senior.id, "reason": None})),
    "reopening reason": on_case(
        ("close", lambda s: {"closure_reason": "withdrawn"}),
        ("reopen", lambda s: {"reviewer": s.staff.other_gp.id, "reason": None}),
    ),
    "staff name": staff_name,
    "practice name": setting("practice_name"),
    "PALS office name": setting("pals_office_name"),
    "PALS postal address": setting("pals_postal_address"),
    "guidance text": guidance_text,
}  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS, ids=["script", "img-onerror", "javascript-url"])
@pytest.mark.parametrize("field", FIELDS)
def test_script_like_input_is_shown_as_text(staff, log_case, act, as_user, field, payload):
    scene = Scene(staff, log_case, act, as_user)
    pages = FIELDS[field](scene, payload)
    shown_somewhere = False
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert_inert(html, url)
        if payload in text_of(response) or payload.replace('"', "&#34;") in html:
            shown_somewhere = True
    assert shown_somewhere, f"{field}: the payload was not shown on any page checked"
