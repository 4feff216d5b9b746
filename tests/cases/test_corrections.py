"""Correcting what was logged: each field, the reason, who may, and the rules checked again."""

import pytest

from tests import factories
from tests.helpers import text_of, value_of

CONTACT = ("phone", "email", "preferred_contact")


def correction(staff, **changes) -> dict:
    """The correct form as logged by `log_case` (intake_form's values), with these changes."""
    data = factories.intake_form(original_gp=str(staff.gp.id), reason="Mistyped at the desk")
    data.update(changes)
    return {key: value for key, value in data.items() if key not in CONTACT and value is not None}


# (form changes, what the case page then shows, the timeline's "label: old → new")
FIELDS = {
    "nhs_number": (
        {"nhs_number": "999 000 0026"},
        "999 000 0026",
        "NHS number: 999 000 0018 → 999 000 0026",
    ),
    "patient_name": (
        {"patient_name": "Alexa Example"},
        "Alexa Example",
        "Patient name: Alex Example → Alexa Example",
    ),
    "date_of_birth": (
        {"date_of_birth[day]": "16"},
        "16 March 1984",
        "Date of birth: 15 March 1984 → 16 March 1984",
    ),
    "received_on": (
        {"received_on[day]": "19"},
        "19 November 2026",
        "Request received on: 20 November 2026 → 19 November 2026",
    ),
    "channel": ({"channel": "letter"}, "Letter", "How the request was made: Telephone → Letter"),
    "original_gp": (
        {"original_gp": "{other_gp}"},
        "Dr Omar Second",
        "GP who gave the first opinion: Dr Gina First → Dr Omar Second",
    ),
    "concern": (
        {"concern": "Headaches and now blurred vision."},
        "Headaches and now blurred vision.",
        "What the patient is concerned about: Still getting headaches after the last "
        "appointment. → Headaches and now blurred vision.",
    ),
    "route_requested": (
        {"route_requested": "senior_partner"},
        "A view from the senior partner",
        "What the patient is asking for: A second opinion from another GP here → A view from "
        "the senior partner",
    ),
    "already_discussed": (
        {"already_discussed_with_own_gp": "yes"},
        "Yes",
        "Already gone back to own GP: No → Yes",
    ),
    "formal_complaint": (
        {"formal_complaint": "yes"},
        "Formal complaint not yet acknowledged",
        "Formal complaint: No → Yes",
    ),
    "urgent": ({"urgent": "yes"}, "Urgent clinical concern", "Urgent clinical concern: No → Yes"),
    "representative": (
        {"representative_name": "Sam Example", "representative_relationship": "Son"},
        "Sam Example",
        "Someone acting for the patient: (none) → Sam Example",
    ),
}


@pytest.mark.parametrize("field", list(FIELDS))
def test_the_manager_corrects_each_field_and_the_timeline_shows_old_and_new_with_the_reason(
    staff, log_case, act, as_user, field
):
    changes, shown, timeline = FIELDS[field]
    reference = log_case()
    changes = {k: v.format(other_gp=staff.other_gp.id) for k, v in changes.items()}
    done = act(staff.manager, reference, "correct", correction(staff, **changes))
    assert done.status_code == 302, text_of(done)
    page = text_of(as_user(staff.manager).get(f"/cases/{reference}"))
    assert "Case details corrected" in page
    assert shown in page
    assert timeline in page
    assert "Mistyped at the desk" in page


def test_the_form_opens_with_what_was_logged(staff, log_case, as_user):
    reference = log_case(patient_name="Zoë Åberg")
    html = as_user(staff.reception).get(f"/cases/{reference}/correct").get_data(as_text=True)
    assert value_of(html, "patient_name") == "Zoë Åberg"
    assert value_of(html, "nhs_number") == "999 000 0018"
    assert value_of(html, "received_on[day]") == "20"


def test_a_reason_is_needed_and_what_was_typed_comes_back(staff, log_case, act, load_case):
    reference = log_case()
    page = act(
        staff.reception,
        reference,
        "correct",
        correction(staff, patient_name="Alexa Example", reason=""),
    )
    assert page.status_code == 200
    assert "Enter why the details are being corrected" in text_of(page)
    assert value_of(page.get_data(as_text=True), "patient_name") == "Alexa Example"
    assert load_case(reference).patient_name == "Alex Example"


def test_a_correction_that_changes_nothing_says_so(staff, log_case, act, events_of):
    reference = log_case()
    page = act(staff.reception, reference, "correct", correction(staff))
    assert "Nothing was changed" in text_of(page)
    assert [e[0] for e in events_of(reference)] == ["case_logged"]


def test_reception_corrects_a_logged_or_assigned_case_but_not_one_in_review(
    staff, log_case, act, as_user, load_case
):
    reference = log_case()
    assert (
        act(
            staff.reception, reference, "correct", correction(staff, patient_name="A B")
        ).status_code
        == 302
    )
    act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    assert (
        act(
            staff.reception, reference, "correct", correction(staff, patient_name="A C")
        ).status_code
        == 302
    )
    act(staff.other_gp, reference, "start-review", {"review_type": "notes"})
    reception = as_user(staff.reception)
    assert reception.get(f"/cases/{reference}/correct").status_code == 403
    version = str(load_case(reference).version)
    refused = reception.post(
        f"/cases/{reference}/correct",
        data=correction(staff, patient_name="A D", version=version),
    )
    assert refused.status_code == 403
    assert (
        act(staff.manager, reference, "correct", correction(staff, patient_name="A D")).status_code
        == 302
    )


def test_correcting_the_first_gp_to_the_reviewer_forces_a_reassignment(
    staff, log_case, act, as_user, load_case
):
    reference = log_case()
    act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    done = act(
        staff.manager, reference, "correct", correction(staff, original_gp=str(staff.other_gp.id))
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/cases/{reference}/assign")
    manager = as_user(staff.manager)
    assign_page = text_of(manager.get(done.headers["Location"]))
    assert "Dr Omar Second gave the first opinion" in assign_page
    case_page = text_of(manager.get(f"/cases/{reference}"))
    assert "The reviewer no longer fits this case" in case_page
    act(
        staff.manager,
        reference,
        "assign",
        {"reviewer": str(staff.gp.id), "reason": "First GP corrected"},
    )
    assert load_case(reference).reviewer_id == staff.gp.id
    assert "The reviewer no longer fits" not in text_of(manager.get(f"/cases/{reference}"))


def test_correcting_the_route_to_the_senior_partner_flags_an_ordinary_reviewer(
    staff, log_case, act, as_user
):
    reference = log_case()
    act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    done = act(
        staff.reception, reference, "correct", correction(staff, route_requested="senior_partner")
    )
    # reception cannot hand on an assigned case: the case page says who should
    assert done.headers["Location"].endswith(f"/cases/{reference}")
    page = text_of(as_user(staff.reception).get(f"/cases/{reference}"))
    assert "The reviewer no longer fits this case" in page
    assert "The patient asked for the senior partner" in page


def test_an_identity_correction_checks_for_another_open_case_of_the_patient(
    staff, log_case, act, load_case
):
    log_case(nhs_number="999 000 0026", patient_name="Bea Other")
    reference = log_case()
    page = act(staff.reception, reference, "correct", correction(staff, nhs_number="999 000 0026"))
    assert page.status_code == 200
    assert "match another open case" in text_of(page)
    assert load_case(reference).nhs_number == "9990000018"
    html = page.get_data(as_text=True)
    assert value_of(html, "confirm_duplicate") == "yes"
    # The number is also Bea Other's: one message says both, and one more submit saves.
    assert "This NHS number is on" in text_of(page) and "(Bea Other, born" in text_of(page)
    assert value_of(html, "confirm_identity") == "yes"
    again = act(
        staff.reception,
        reference,
        "correct",
        correction(
            staff, nhs_number="999 000 0026", confirm_duplicate="yes", confirm_identity="yes"
        ),
    )
    assert again.status_code == 302
    assert load_case(reference).nhs_number == "9990000026"
