"""The final response to a formal complaint: prepared on the case (how it was considered, a
conclusion on each issue of the complaint plan, apology, actions, lessons, the responsible
person), made as a letter only once every issue has a conclusion, and stored as sent, which
meets the agreed response date. The PDF read back holds each section and the Ombudsman's
details."""

from datetime import date

from sqlalchemy import select

from tests.helpers import text_of
from tests.letters.conftest import pdf_text
from tracker.cases.letters.models import CaseLetter
from tracker.extensions import db

ISSUES = "Nobody examined my knee.\nThe receptionist was rude on the phone."
PLAN = {
    "discussion_offer": "declined",
    "discussed_on[day]": "4",
    "discussed_on[month]": "11",
    "discussed_on[year]": "2026",
    "complaint_issues": ISSUES,
    "outcome_wanted": "An apology and an examination.",
    "response_due_on[day]": "11",
    "response_due_on[month]": "12",
    "response_due_on[year]": "2026",
}
RESPONSE = {
    "considered": "Dr Sena Senior, who was not involved, read your records and spoke to the staff.",
    "conclusion_1": "Your knee should have been examined. We have booked you an appointment.",
    "conclusion_2": "The call was recorded; the tone was not as we expect.",
    "apology": "We are sorry that you were not examined and for how you were spoken to.",
    "actions": "Reception staff will have refresher training in January.",
    "lessons": "Examine before advising on joint pain.",
}


def prepare(act, staff, reference, **changes):
    data = {**RESPONSE, "signed_by": str(staff.senior.id), **changes}
    return act(staff.manager, reference, "prepare-final-response", data)


def test_the_letter_waits_for_a_conclusion_on_every_issue_then_holds_each_section(
    app, staff, practice, letter_case, act, as_user, load_case, frozen_clock
):
    reference = letter_case(
        "outcome_recorded", acknowledged_on=date(2026, 11, 3), acknowledgement_method="letter"
    )
    manager = as_user(staff.manager)
    draft = f"/cases/{reference}/letters/draft.pdf?letter=final_response"

    # No plan yet: nothing to answer.
    assert "Record the complaint plan first" in text_of(manager.get(draft))
    assert act(staff.manager, reference, "record-complaint-plan", PLAN).status_code == 302
    # The plan's issues have no conclusions yet.
    refused = manager.get(draft)
    assert refused.status_code == 409
    assert "Each issue needs a conclusion before the final response can be made" in text_of(refused)
    assert "Nobody examined my knee." in text_of(refused)

    # One conclusion missing: the form says which, and keeps what was typed.
    missing = prepare(act, staff, reference, conclusion_2="")
    assert missing.status_code == 200
    assert "Enter the conclusion on issue 2" in text_of(missing)
    assert RESPONSE["conclusion_1"] in missing.get_data(as_text=True)
    assert manager.get(draft).status_code == 409

    assert prepare(act, staff, reference).status_code == 302
    case_page = text_of(manager.get(f"/cases/{reference}"))
    assert "The final response" in case_page and RESPONSE["conclusion_2"] in case_page

    made = manager.get(draft)
    assert made.status_code == 200 and made.mimetype == "application/pdf"
    text = pdf_text(made.data)
    for section in (
        "Our answer to your complaint",
        "How we looked into it",
        RESPONSE["considered"],
        "What you raised, and what we found",
        "1. Nobody examined my knee.",
        f"Our conclusion: {RESPONSE['conclusion_1']}",
        "2. The receptionist was rude on the phone.",
        f"Our conclusion: {RESPONSE['conclusion_2']}",
        RESPONSE["apology"],
        "What we have done, or will do",
        RESPONSE["actions"],
        "What we have learned",
        RESPONSE["lessons"],
        "Parliamentary and Health Service Ombudsman",
        "0345 015 4033",
        "www.ombudsman.org.uk",
        "Millbank Tower",
        "London SW1P 4QP",
        "Dr Sena Senior",
        "GP, senior partner",
    ):
        assert section in text, section

    # Sent, it is stored as sent and meets the agreed response date.
    sent = act(
        staff.manager, reference, "send-letter", {"letter": "final_response", "sent_method": "post"}
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    assert load_case(reference).response_sent_on == date(2026, 11, 24)
    with app.app_context():
        stored = db.session.scalars(
            select(CaseLetter).where(CaseLetter.kind == "final_response")
        ).one()
        assert "What we have learned" in pdf_text(stored.pdf)
    assert "Send the final response 11 December 2026 Met" in text_of(
        manager.get(f"/cases/{reference}")
    )


def test_an_issue_added_to_the_plan_later_needs_its_own_conclusion(
    staff, practice, letter_case, act, as_user
):
    reference = letter_case("outcome_recorded")
    act(staff.manager, reference, "record-complaint-plan", PLAN)
    prepare(act, staff, reference)
    more = {**PLAN, "complaint_issues": ISSUES + "\nThe letter came late."}
    act(staff.manager, reference, "record-complaint-plan", more)
    refused = as_user(staff.manager).get(
        f"/cases/{reference}/letters/draft.pdf?letter=final_response"
    )
    assert refused.status_code == 409
    assert "1 has none: The letter came late." in text_of(refused)


def test_only_a_formal_complaint_has_a_final_response(staff, practice, letter_case, as_user):
    reference = letter_case("outcome_recorded", formal_complaint=False)
    manager = as_user(staff.manager)
    assert manager.get(f"/cases/{reference}/prepare-final-response").status_code == 403
    refused = manager.get(f"/cases/{reference}/letters/draft.pdf?letter=final_response")
    assert "not a formal complaint" in text_of(refused)


def test_six_months_on_the_delay_letter_is_offered_and_says_why_and_when(
    staff, practice, letter_case, act, as_user, frozen_clock
):
    reference = letter_case(
        "in_review",
        received_on=date(2026, 5, 20),
        acknowledged_on=date(2026, 5, 21),
        acknowledgement_method="letter",
    )
    first = {
        **PLAN,
        "discussed_on[day]": "21",
        "discussed_on[month]": "5",
        "response_due_on[day]": "19",
        "response_due_on[month]": "6",
    }
    assert act(staff.manager, reference, "record-complaint-plan", first).status_code == 302
    # The date agreed then has passed: the letter promises no date gone by.
    passed = pdf_text(
        as_user(staff.manager).get(f"/cases/{reference}/letters/draft.pdf?letter=delay").data
    )
    assert "by a new date we will agree with you" in passed and "19 June 2026" not in passed
    moved = {
        **first,
        "response_due_on[day]": "8",
        "response_due_on[month]": "1",
        "response_due_on[year]": "2027",
        "complainant_agreed": "y",
        "change_reason": "We are waiting for the hospital's records of your operation.",
    }
    assert act(staff.manager, reference, "record-complaint-plan", moved).status_code == 302
    manager = as_user(staff.manager)
    page = manager.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Six months without a final response" in page
    assert f"/cases/{reference}/send-letter?letter=delay" in page
    offered = manager.get(f"/cases/{reference}/send-letter?letter=delay").get_data(as_text=True)
    assert 'value="delay" checked' in offered
    text = pdf_text(manager.get(f"/cases/{reference}/letters/draft.pdf?letter=delay").data)
    for words in (
        "Your complaint is taking longer than it should",
        "We are waiting for the hospital's records of your operation.",
        "by 8 January 2027",
        "Parliamentary and Health Service Ombudsman",
        "0345 015 4033",
    ):
        assert words in text, words


def test_only_the_practice_manager_sends_the_final_response_and_the_letter_follows_the_plan(
    staff, practice, letter_case, act, as_user
):
    reference = letter_case("outcome_recorded")
    act(staff.manager, reference, "record-complaint-plan", PLAN)
    prepare(act, staff, reference)
    # Reception does not send it: not offered, and refused if sent.
    page = as_user(staff.reception).get(f"/cases/{reference}/send-letter").get_data(as_text=True)
    assert 'value="final_response"' not in page
    assert "The practice manager sends a complaint&#39;s final response" in page
    refused = act(
        staff.reception,
        reference,
        "send-letter",
        {"letter": "final_response", "sent_method": "post"},
    )
    assert refused.status_code == 200
    # An issue taken out of the plan later is not answered in the letter.
    fewer = {**PLAN, "complaint_issues": "Nobody examined my knee."}
    act(staff.manager, reference, "record-complaint-plan", fewer)
    text = pdf_text(
        as_user(staff.manager)
        .get(f"/cases/{reference}/letters/draft.pdf?letter=final_response")
        .data
    )
    assert "1. Nobody examined my knee." in text
    assert "The receptionist was rude" not in text
