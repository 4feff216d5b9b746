"""Five journeys end to end through the HTTP client, checking stage, rows and timeline."""

import re

from tests.helpers import text_of

OUTCOME_SATISFIED = {
    "outcome": "first_opinion_confirmed",
    "outcome_summary": "Reviewed the notes and examined the patient; agree with the plan.",
    "patient_response": "satisfied",
}


def kinds(events):
    return [(kind, actor, from_stage, to_stage) for kind, actor, from_stage, to_stage, _ in events]


def test_a_logged_assigned_reviewed_outcome_satisfied_closed(
    staff, log_case, act, load_case, events_of, as_user
):
    reference = log_case()
    assert re.fullmatch(r"SO-\d{4}-0001", reference)
    case = load_case(reference)
    assert (case.stage, case.nhs_number, case.patient_name) == (
        "logged",
        "9990000018",
        "Alex Example",
    )
    assert case.original_gp_id == staff.gp.id

    act(staff.reception, reference, "assign", {"reviewer": staff.other_gp.id})
    case = load_case(reference)
    assert (case.stage, case.reviewer_id) == ("assigned", staff.other_gp.id)
    assert case.first_assigned_at is not None

    act(staff.other_gp, reference, "start-review", {
        "review_type": "appointment", "appointment_date[day]": "30", "appointment_date[month]": "11",
        "appointment_date[year]": "2026", "appointment_time": "14:30",
    })  # fmt: skip
    case = load_case(reference)
    assert case.stage == "in_review"
    assert case.appointment_at.isoformat() == "2026-11-30T14:30:00+00:00"  # GMT in November

    # Recorded before the booked appointment, so the reviewer confirms it (the form asks).
    act(staff.other_gp, reference, "record-outcome", {**OUTCOME_SATISFIED, "confirm_early": "yes"})
    case = load_case(reference)
    assert (case.stage, case.outcome, case.patient_response) == (
        "outcome_recorded",
        "first_opinion_confirmed",
        "satisfied",
    )

    response = act(
        staff.other_gp, reference, "close", {"closure_reason": "resolved_in_practice"}, follow=True
    )
    assert "Case closed on " + reference in text_of(response)
    case = load_case(reference)
    assert (case.stage, case.closure_reason) == ("closed", "resolved_in_practice")
    assert case.closed_at is not None

    assert kinds(events_of(reference)) == [
        ("case_logged", "Rita Reception", None, "logged"),
        ("assigned", "Rita Reception", "logged", "assigned"),
        ("review_started", "Dr Omar Second", "assigned", "in_review"),
        ("outcome_recorded", "Dr Omar Second", "in_review", "outcome_recorded"),
        ("closed", "Dr Omar Second", "outcome_recorded", "closed"),
    ]
    page = text_of(as_user(staff.manager).get(f"/cases/{reference}"))
    for line in (
        "Request logged",
        "Reviewer assigned",
        "Review started",
        "Outcome recorded",
        "Case closed",
    ):
        assert line in page
    assert "Reviewer: (none) → Dr Omar Second" in page
    assert "Logged → Assigned" in page


def test_b_still_concerned_referred_to_pals_response_closed_after_pals(
    staff, log_case, act, load_case, events_of
):
    reference = log_case(route_requested="senior_partner")
    act(staff.manager, reference, "assign", {"reviewer": staff.senior.id})
    act(
        staff.senior,
        reference,
        "record-outcome",
        {**OUTCOME_SATISFIED, "patient_response": "still_concerned"},
    )
    assert load_case(reference).stage == "outcome_recorded"

    act(staff.senior, reference, "refer-to-pals", {
        "referred_on[day]": "21", "referred_on[month]": "11", "referred_on[year]": "2026",
        "referred_by": "practice", "pals_service": "Riverside PALS", "pals_officer": "Jo Officer",
        "pals_reference": "PALS/123",
    })  # fmt: skip
    case = load_case(reference)
    assert case.stage == "referred_to_pals"
    assert (case.pals_service, case.pals_officer, case.pals_reference) == (
        "Riverside PALS",
        "Jo Officer",
        "PALS/123",
    )
    assert case.pals_referred_on.isoformat() == "2026-11-21"

    act(staff.manager, reference, "record-pals-response", {
        "response_on[day]": "23", "response_on[month]": "11", "response_on[year]": "2026",
        "summary": "PALS explained the plan; patient content.",
    })  # fmt: skip
    case = load_case(reference)
    assert case.stage == "referred_to_pals" and case.pals_response_on.isoformat() == "2026-11-23"

    act(staff.manager, reference, "close", {"closure_reason": "resolved_after_pals"})
    assert load_case(reference).closure_reason == "resolved_after_pals"
    assert kinds(events_of(reference)) == [
        ("case_logged", "Rita Reception", None, "logged"),
        ("assigned", "Mo Manager", "logged", "assigned"),
        ("outcome_recorded", "Dr Sena Senior", "assigned", "outcome_recorded"),
        ("referred_to_pals", "Dr Sena Senior", "outcome_recorded", "referred_to_pals"),
        ("pals_response_recorded", "Mo Manager", "referred_to_pals", "referred_to_pals"),
        ("closed", "Mo Manager", "referred_to_pals", "closed"),
    ]


def test_c_reception_closes_a_logged_case_as_returned_to_own_gp(
    staff, log_case, act, as_user, load_case, events_of
):
    reference = log_case(route_requested="discuss_again_own_gp")
    page = text_of(as_user(staff.reception).get(f"/cases/{reference}/close"))
    assert "Returned to own GP" in page and "Withdrawn by the patient" in page
    assert "Resolved in the practice" not in page

    act(
        staff.reception,
        reference,
        "close",
        {"closure_reason": "returned_to_own_gp", "note": "Booked with own GP."},
    )
    case = load_case(reference)
    assert (case.stage, case.closure_reason) == ("closed", "returned_to_own_gp")
    assert kinds(events_of(reference))[-1] == ("closed", "Rita Reception", "logged", "closed")


def test_d_manager_closes_an_in_review_case_as_registered_elsewhere(
    staff, log_case, act, load_case, events_of
):
    reference = log_case()
    act(staff.manager, reference, "assign", {"reviewer": staff.other_gp.id})
    act(staff.other_gp, reference, "start-review", {"review_type": "notes"})
    assert load_case(reference).review_of_notes is True

    missing_date = act(
        staff.manager, reference, "close", {"closure_reason": "registered_elsewhere"}
    )
    assert "Enter the date the patient registered with the new practice" in text_of(missing_date)
    assert load_case(reference).stage == "in_review"

    act(staff.manager, reference, "close", {
        "closure_reason": "registered_elsewhere", "registered_elsewhere_on[day]": "22",
        "registered_elsewhere_on[month]": "11", "registered_elsewhere_on[year]": "2026",
    })  # fmt: skip
    case = load_case(reference)
    assert (case.stage, case.closure_reason) == ("closed", "registered_elsewhere")
    assert case.registered_elsewhere_on.isoformat() == "2026-11-22"
    last = events_of(reference)[-1]
    assert last[:4] == ("closed", "Mo Manager", "in_review", "closed")
    assert last[4]["registered_elsewhere_on"] == [None, "2026-11-22"]


def test_e_closed_case_is_reopened_and_reassigned(
    staff, log_case, act, as_user, load_case, events_of
):
    reference = log_case()
    act(staff.reception, reference, "close", {"closure_reason": "withdrawn"})

    no_reason = act(
        staff.manager, reference, "reopen", {"reason": "", "reviewer": staff.other_gp.id}
    )
    assert "Enter why the case is being reopened" in text_of(no_reason)
    assert load_case(reference).stage == "closed"

    act(
        staff.manager,
        reference,
        "reopen",
        {
            "reason": "Patient called back: wants the review after all.",
            "reviewer": staff.other_gp.id,
        },
    )
    case = load_case(reference)
    assert (case.stage, case.reviewer_id, case.closure_reason, case.closed_at) == (
        "assigned",
        staff.other_gp.id,
        None,
        None,
    )

    act(
        staff.other_gp,
        reference,
        "assign",
        {"reviewer": staff.senior.id, "reason": "Senior partner knows the patient."},
    )
    case = load_case(reference)
    assert (case.stage, case.reviewer_id) == ("assigned", staff.senior.id)
    assert kinds(events_of(reference))[-3:] == [
        ("closed", "Rita Reception", "logged", "closed"),
        ("reopened", "Mo Manager", "closed", "assigned"),
        ("reassigned", "Dr Omar Second", "assigned", "assigned"),
    ]
    timeline = text_of(as_user(staff.manager).get(f"/cases/{reference}"))
    assert "Patient called back: wants the review after all." in timeline
    assert "Senior partner knows the patient." in timeline
