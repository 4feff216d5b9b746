"""Details staff meet every day: typed line breaks, closing notes, times as people write them,
an outcome before the appointment, the patient's response at closing, errors in page order
and messages that say what to do."""

import re
from datetime import UTC

from tests import factories
from tests.helpers import text_of, value_of

SETTINGS = factories.settings_form()


def test_line_breaks_typed_in_the_concern_and_a_closing_note_stay_on_screen(
    staff, log_case, act, as_user
):
    reference = log_case(concern="Headaches for a month.\nNow blurred vision too.")
    act(
        staff.manager,
        reference,
        "close",
        {"closure_reason": "withdrawn", "note": "Rang the patient.\nThey are happy to stop."},
    )
    html = as_user(staff.manager).get(f"/cases/{reference}").get_data(as_text=True)
    # white-space: pre-line keeps the break (the summary list indents the next line's start)
    assert re.search(r'<span class="app-lines">Headaches for a month\.\n\s*Now blurred', html)
    assert ".app-lines { white-space: pre-line; }" in as_user(staff.manager).get(
        "/static/css/app.css"
    ).get_data(as_text=True).replace(".app-note__text, ", "")
    notes = html.split('id="notes"')[1] if 'id="notes"' in html else html.split(">Notes<")[1]
    assert (
        "Closing note: Rang the patient.\nThey are happy to stop." in notes.split(">Timeline<")[0]
    )
    assert 'app-lines">Rang the patient.\nThey are happy to stop.' in html  # on the timeline too


def start_review(act, staff, reference, time_typed):
    return act(
        staff.other_gp,
        reference,
        "start-review",
        {
            "review_type": "appointment",
            "appointment_date[day]": "26",
            "appointment_date[month]": "11",
            "appointment_date[year]": "2026",
            "appointment_time": time_typed,
        },
    )


def test_appointment_times_are_read_as_people_type_them(
    staff, log_case, act, load_case, frozen_clock
):
    for typed, expected in (
        ("9.30am", (9, 30)),
        ("0930", (9, 30)),
        ("9:30", (9, 30)),
        ("14:30", (14, 30)),
    ):
        reference = log_case(patient_name=f"Pat {typed}", nhs_number=None, nhs_number_unknown="y")
        act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
        assert start_review(act, staff, reference, typed).status_code == 302, typed
        local = load_case(reference).appointment_at.astimezone(UTC)
        assert (local.hour, local.minute) == expected  # 26 November is GMT


def test_an_outcome_before_the_booked_appointment_asks_for_confirmation(
    staff, log_case, act, load_case, frozen_clock
):
    reference = log_case()
    act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    start_review(act, staff, reference, "14:30")
    outcome = {
        "outcome": "first_opinion_confirmed",
        "outcome_summary": "Discussed by phone",
        "patient_response": "satisfied",
    }
    asked = act(staff.other_gp, reference, "record-outcome", outcome)
    assert asked.status_code == 200
    assert (
        "The appointment is booked for 26 November 2026, 14:30, which has not happened yet"
        in text_of(asked)
    )
    assert load_case(reference).outcome is None
    assert value_of(asked.get_data(as_text=True), "confirm_early") == "yes"
    done = act(staff.other_gp, reference, "record-outcome", {**outcome, "confirm_early": "yes"})
    assert done.status_code == 302
    assert load_case(reference).outcome == "first_opinion_confirmed"


def test_closing_updates_the_patients_response(staff, log_case, act, load_case, as_user):
    reference = log_case()
    act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    act(
        staff.other_gp,
        reference,
        "record-outcome",
        {"outcome": "tests_arranged", "outcome_summary": "Bloods", "patient_response": "not_known"},
    )
    form = as_user(staff.manager).get(f"/cases/{reference}/close").get_data(as_text=True)
    assert re.search(r'<input[^>]*value="not_known"[^>]*checked', form)
    act(
        staff.manager,
        reference,
        "close",
        {"closure_reason": "resolved_in_practice", "patient_response": "satisfied"},
    )
    case = load_case(reference)
    assert (case.stage, case.patient_response) == ("closed", "satisfied")


def test_the_error_summary_lists_errors_in_the_order_of_the_page(staff, as_user):
    page = as_user(staff.reception).post(
        "/cases/new", data={"phone": "abc", "representative_relationship": "Son"}
    )
    summary = text_of(page).split("There is a problem")[1].split("Log a request")[0]
    order = [
        "Enter the patient's NHS number",
        "Enter the patient's name",
        "Enter a phone number using numbers",
        "Choose how the patient would like to be contacted",
        "Choose how the request was made",
        "Choose what the patient is asking for",
        "Enter the name of the person acting for the patient",
    ]
    positions = [summary.index(message) for message in order]
    assert positions == sorted(positions)


def test_settings_say_what_to_type_instead_of_the_librarys_words(staff, as_user):
    page = as_user(staff.manager).post(
        "/admin/settings", data={**SETTINGS, "assign_target_days": "two"}
    )
    shown = text_of(page)
    assert "Enter the number of working days as a whole number, like 3" in shown
    assert "Not a valid integer" not in shown


def test_the_settings_page_lists_its_errors_in_page_order(staff, as_user):
    page = as_user(staff.manager).post(
        "/admin/settings",
        data={**SETTINGS, "practice_name": "", "assign_target_days": "x", "retention_years": "x"},
    )
    summary = text_of(page).split("There is a problem")[1]
    positions = [
        summary.index(message)
        for message in (
            "Enter the practice name",
            "Enter the number of working days as a whole number",
            "Enter the number of years as a whole number",
        )
    ]
    assert positions == sorted(positions)
