"""The sidebar beside the intake form, the case page and every action form."""

import pytest

from tests import factories
from tests.guidance.pages import Page, aside_html, shipped_text, sidebar
from tracker.cases.codes import Route
from tracker.cases.workflow import Stage

STAGE_PAGES = {
    "logged": "/assign",
    "assigned": "/start-review",
    "in_review": "/record-outcome",
    "outcome_recorded": "/refer-to-pals",
    "referred_to_pals": "/add-note",
    "closed": "/add-note",
}


@pytest.mark.parametrize("stage", [stage.value for stage in Stage])
def test_each_stage_shows_its_own_guidance_on_the_case_and_its_action_forms(
    stage, staff, case_at, case_sidebar
):
    reference = case_at(stage)
    for page in ("", STAGE_PAGES[stage]):
        shown = case_sidebar(staff.manager, reference, page)
        assert shipped_text(f"stage_{stage}") in shown.text, page
        for other in Stage:
            if other != stage:
                assert shipped_text(f"stage_{other}") not in shown.text, (page, other)


def test_the_sidebar_is_a_landmark_with_a_heading(staff, case_at, as_user):
    reference = case_at("in_review")
    html = aside_html(as_user(staff.gp).get(f"/cases/{reference}"))
    page = Page(html)
    aside = page.elements[0]
    assert aside[0] == "aside" and aside[1]["aria-labelledby"] == "guidance-heading"
    assert ("h2", {"id": "guidance-heading", "class": "nhsuk-heading-m"}) in page.elements
    assert page.text.startswith("Guidance In review")


def test_a_logged_case_also_shows_the_route_the_patient_asked_for(staff, case_at, case_sidebar):
    reference = case_at("logged", route_requested="register_elsewhere")
    shown = case_sidebar(staff.reception, reference)
    assert "The patient asked for: Registering with another practice" in shown.text
    assert shipped_text("route_register_elsewhere") in shown.text
    assert shipped_text("route_pals") not in shown.text


def test_the_intake_form_shows_every_route_until_one_is_chosen(staff, as_user):
    shown = sidebar(as_user(staff.reception).get("/cases/new"))
    assert shipped_text("intake") in shown.text
    for route in Route:
        assert shipped_text(f"route_{route}") in shown.text, route
    assert shipped_text("note_urgent") not in shown.text


@pytest.mark.parametrize(
    ("chosen", "expected_phrase"),
    [
        ("pals", "ask for a PALS officer"),
        ("register_elsewhere", "last resort"),
        ("discuss_again_own_gp", "bring a relative or friend"),
        ("senior_partner", "flagged as senior partner"),
    ],
)
def test_the_intake_guidance_follows_the_route_chosen(staff, as_user, chosen, expected_phrase):
    # An unfinished form comes back with the route chosen, and only that route's guidance shown.
    response = as_user(staff.reception).post(
        "/cases/new", data=factories.intake_form(route_requested=chosen, concern="")
    )
    assert response.status_code == 200
    shown = sidebar(response)
    assert shipped_text(f"route_{chosen}") in shown.text
    assert expected_phrase in shown.text
    for route in Route:
        if route != chosen:
            assert shipped_text(f"route_{route}") not in shown.text, route
    # Every route's guidance is still on the page, so the script can show another one.
    html = aside_html(response)
    assert all(f'data-guidance-route="{route}"' in html for route in Route)


def test_the_intake_guidance_shows_the_notes_for_what_was_answered(staff, as_user):
    response = as_user(staff.reception).post(
        "/cases/new",
        data=factories.intake_form(
            urgent="yes", formal_complaint="yes", representative_name="Sam Carer", concern=""
        ),
    )
    shown = sidebar(response)
    for note in ("note_urgent", "note_formal_complaint", "note_representative"):
        assert shipped_text(note) in shown.text, note
    assert "duty doctor" in shown.text and "3 working days" in shown.text


def test_the_intake_page_loads_its_guidance_script_from_a_file(staff, as_user):
    html = as_user(staff.reception).get("/cases/new").get_data(as_text=True)
    assert '<script type="module" src="/static/js/guidance.js"></script>' in html
    script = as_user(staff.reception).get("/static/js/guidance.js")
    assert script.status_code == 200 and b"data-guidance-route" in script.data


def test_a_plain_case_shows_no_notes(staff, case_at, case_sidebar):
    shown = case_sidebar(staff.gp, case_at("assigned"))
    for note in ("note_urgent", "note_formal_complaint", "note_representative", "note_overdue"):
        assert shipped_text(note) not in shown.text, note


def test_an_urgent_formal_case_with_a_representative_shows_each_note(
    staff, case_at, case_sidebar, act, frozen_clock
):
    reference = case_at(
        "assigned",
        urgent="yes",
        formal_complaint="yes",
        representative_name="Sam Carer",
        representative_relationship="Son",
    )
    before = case_sidebar(staff.reception, reference)
    assert shipped_text("note_urgent") in before.text
    assert shipped_text("note_urgent_told") not in before.text
    # Told on the day it came in, so no target has passed.
    told = {"duty_doctor": "Dr Duty", "told_on[day]": "20", "told_on[month]": "11"}
    told |= {"told_on[year]": "2026", "told_at": "10:00"}
    assert act(staff.manager, reference, "record-duty-doctor", told).status_code == 302
    for page in ("", "/add-note"):
        shown = case_sidebar(staff.reception, reference, page)
        for note in ("note_urgent_told", "note_formal_complaint", "note_representative"):
            assert shipped_text(note) in shown.text, (page, note)
        # Once told, nothing says to tell the duty doctor today any more.
        assert shipped_text("note_urgent") not in shown.text, page
        assert shipped_text("note_overdue") not in shown.text


def test_an_overdue_case_says_so(staff, log_case, case_sidebar, frozen_clock):
    reference = log_case(**{"received_on[day]": "10"})  # 10 November: past the 2-day target
    shown = case_sidebar(staff.reception, reference)
    assert shipped_text("note_overdue") in shown.text


def test_a_closed_case_drops_the_notes_for_open_work(staff, case_at, case_sidebar):
    reference = case_at(
        "closed", urgent="yes", representative_name="Sam Carer", representative_relationship="Son"
    )
    shown = case_sidebar(staff.manager, reference)
    assert shipped_text("note_urgent") not in shown.text
    assert shipped_text("note_representative") in shown.text
