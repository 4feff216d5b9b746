"""The complaint plan: the offer to discuss, the issues and outcome as the complainant sees them,
and the agreed response date, a target of its own (due, due today, overdue, met), changed only
with the complainant's agreement and a reason, every date kept in the history; six months
without a response flags the case. Working days and bank holidays as elsewhere; the KO41(b)
return of a past year does not move when a date is extended later."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.cases.clocks import RESPONSE, due_dates
from tracker.cases.models import Case, six_months_after
from tracker.extensions import db

PLAN = {
    "discussion_offer": "accepted",
    "discussed_on[day]": "5",
    "discussed_on[month]": "11",
    "discussed_on[year]": "2026",
    "complaint_issues": "They were not examined.\nThe letter was late.",
    "outcome_wanted": "An apology and a proper examination.",
    "response_due_on[day]": "4",
    "response_due_on[month]": "12",
    "response_due_on[year]": "2026",
}


def dated(field: str, day: date) -> dict[str, str]:
    return {
        f"{field}[day]": str(day.day),
        f"{field}[month]": str(day.month),
        f"{field}[year]": str(day.year),
    }


@pytest.fixture
def complaint(place_case, frozen_clock):
    """A formal complaint received on Monday 2 November 2026, acknowledged; today is
    Tuesday 24 November 2026."""
    return place_case(
        received_on=date(2026, 11, 2),
        formal_complaint=True,
        acknowledged_on=date(2026, 11, 3),
        acknowledgement_method="letter",
    )


def response_due(load_case, reference, today):
    case = load_case(reference)
    return next((d for d in due_dates(case, today) if d.name == RESPONSE.name), None)


def test_the_plan_is_recorded_and_the_agreed_date_is_a_target(
    staff, complaint, act, as_user, load_case
):
    assert act(staff.manager, complaint, "record-complaint-plan", PLAN).status_code == 302
    case = load_case(complaint)
    assert (case.discussion_offer, case.discussed_on) == ("accepted", date(2026, 11, 5))
    assert case.response_due_on == date(2026, 12, 4)
    page = text_of(as_user(staff.manager).get(f"/cases/{complaint}"))
    assert "The complaint plan" in page
    assert "They were not examined." in page and "An apology and a proper examination." in page
    assert "Agreed response date 4 December 2026" in page
    assert "Send the final response 4 December 2026 Due" in page

    assert response_due(load_case, complaint, date(2026, 12, 4)).status == "due today"
    assert response_due(load_case, complaint, date(2026, 12, 7)).status == "overdue"
    assert response_due(load_case, complaint, date(2026, 12, 1)).status == "due"


def test_changing_the_date_needs_the_complainants_agreement_and_a_reason_and_keeps_every_date(
    app, staff, complaint, act, as_user, load_case
):
    act(staff.manager, complaint, "record-complaint-plan", PLAN)
    later = {**PLAN, **dated("response_due_on", date(2026, 12, 18))}
    refused = act(staff.manager, complaint, "record-complaint-plan", later)
    assert refused.status_code == 200
    assert "only with the complainant's agreement" in text_of(refused)
    assert 'value="18"' in refused.get_data(as_text=True)  # what was typed comes back
    refused = act(
        staff.manager, complaint, "record-complaint-plan", {**later, "complainant_agreed": "y"}
    )
    assert "Enter why the date is changing" in text_of(refused)
    assert load_case(complaint).response_due_on == date(2026, 12, 4)

    agreed = {
        **later,
        "complainant_agreed": "y",
        "change_reason": "Waiting for the hospital's letter",
    }
    assert act(staff.manager, complaint, "record-complaint-plan", agreed).status_code == 302
    again = {
        **PLAN,
        **dated("response_due_on", date(2027, 1, 8)),
        "complainant_agreed": "y",
        "change_reason": "The GP is away",
    }
    assert act(staff.manager, complaint, "record-complaint-plan", again).status_code == 302
    assert load_case(complaint).response_due_on == date(2027, 1, 8)
    page = text_of(as_user(staff.manager).get(f"/cases/{complaint}"))
    assert (
        "Agreed response date 8 January 2027 (agreed before: 4 December 2026, 18 December 2026)"
        in page
    )
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == complaint))
        changes = [
            event.changes["response_due_on"]
            for event in db.session.scalars(
                select(Event)
                .where(Event.case_id == case_id, Event.kind == "complaint_plan_recorded")
                .order_by(Event.id)
            )
        ]
    assert changes == [
        [None, "2026-12-04"],
        ["2026-12-04", "2026-12-18"],
        ["2026-12-18", "2027-01-08"],
    ]


def test_the_agreed_date_is_a_working_day_of_the_cases_region(staff, complaint, act):
    christmas = {**PLAN, **dated("response_due_on", date(2026, 12, 25))}
    refused = act(staff.manager, complaint, "record-complaint-plan", christmas)
    assert "25 December 2026 is not a working day (Christmas Day)" in text_of(refused)
    saturday = {**PLAN, **dated("response_due_on", date(2026, 12, 5))}
    assert "is not a working day (a weekend)" in text_of(
        act(staff.manager, complaint, "record-complaint-plan", saturday)
    )


def test_a_date_is_needed_unless_there_is_no_answer_yet(staff, complaint, act, load_case):
    no_date = {k: v for k, v in PLAN.items() if not k.startswith("discussed_on")}
    refused = act(staff.manager, complaint, "record-complaint-plan", no_date)
    assert "Enter the date they talked it through or declined" in text_of(refused)
    waiting = {**no_date, "discussion_offer": "no_reply"}
    assert act(staff.manager, complaint, "record-complaint-plan", waiting).status_code == 302
    assert load_case(complaint).discussion_offer == "no_reply"


def test_closing_a_complaint_does_not_claim_a_response_was_sent(
    staff, complaint, act, load_case, as_user, frozen_clock
):
    """Only the final response letter records the response (tests/letters/
    test_final_response.py); a complaint withdrawn before it is answered shows no target."""
    act(staff.manager, complaint, "record-complaint-plan", PLAN)
    closed = act(
        staff.manager,
        complaint,
        "close",
        {"closure_reason": "withdrawn", "complaint_finding": "not_upheld"},
    )
    assert closed.status_code == 302, closed.get_data(as_text=True)
    assert load_case(complaint).response_sent_on is None
    page = text_of(as_user(staff.manager).get(f"/cases/{complaint}"))
    assert "Send the final response" not in page
    assert "Final response sent Not yet" in page


def test_six_months_without_a_response_flags_the_case(staff, place_case, as_user, frozen_clock):
    assert six_months_after(date(2026, 8, 31)) == date(2027, 2, 28)
    assert six_months_after(date(2026, 5, 24)) == date(2026, 11, 24)
    old = place_case(received_on=date(2026, 5, 24), formal_complaint=True)
    young = place_case(received_on=date(2026, 5, 25), formal_complaint=True)
    not_formal = place_case(received_on=date(2026, 1, 5))
    manager = as_user(staff.manager)
    assert "Six months without a final response" in text_of(manager.get(f"/cases/{old}"))
    assert "Six months without a final response" not in text_of(manager.get(f"/cases/{young}"))
    assert "Six months without a final response" not in text_of(manager.get(f"/cases/{not_formal}"))


def test_a_past_years_return_does_not_move_when_a_date_is_extended_later(
    app, staff, place_case, act, frozen_clock, as_user
):
    """The return counts complaints, not their dates: extending an open complaint's agreed
    date after the year has ended leaves that year's return as it was."""
    reference = place_case(
        received_on=date(2026, 3, 2),
        formal_complaint=True,
        acknowledged_on=date(2026, 3, 3),
        acknowledgement_method="letter",
        response_due_on=date(2026, 3, 27),
        discussion_offer="declined",
        discussed_on=date(2026, 3, 4),
        complaint_issues="Waited too long",
        outcome_wanted="An explanation",
    )
    client = as_user(staff.manager)

    def the_return() -> str:  # from its heading on (the header and a flash message move)
        html = client.get("/reports/complaints?year=2025").get_data(as_text=True)
        return html[html.index("<h1") : html.index("</main>")]

    before = the_return()
    assert "Total new" in before
    extended = {
        **PLAN,
        **dated("discussed_on", date(2026, 3, 4)),
        "discussion_offer": "declined",
        **dated("response_due_on", date(2026, 12, 11)),
        "complainant_agreed": "y",
        "change_reason": "A second review",
    }
    assert act(staff.manager, reference, "record-complaint-plan", extended).status_code == 302
    assert the_return() == before


def test_only_formal_complaints_and_only_the_practice_manager(
    staff, place_case, complaint, as_user
):
    plain = place_case(received_on=date(2026, 11, 2))
    assert as_user(staff.manager).get(f"/cases/{plain}/record-complaint-plan").status_code == 403
    for person in (staff.reception, staff.gp):
        assert as_user(person).get(f"/cases/{complaint}/record-complaint-plan").status_code == 403
