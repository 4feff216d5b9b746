"""When no one in the practice can take a request as the patient asks, staff are told before
it is logged, the assign page says why and gives the way on, and the case can still be taken
to its end without anyone editing the database."""

import pytest

from tests import factories
from tests.helpers import text_of
from tracker.cases.codes import ROUTES_WITH_A_REVIEWER, Route
from tracker.extensions import db
from tracker.staff.models import User


def deactivate(app, *people):
    with app.app_context():
        for person in people:
            db.session.get(User, person.id).active = False
        db.session.commit()


# For each route: who gave the first opinion, who has left, and why no one can take the case.
SCENARIOS = {
    Route.SENIOR_PARTNER: (
        "senior",
        (),
        "Dr Sena Senior, the senior partner, gave the first opinion",
    ),
    Route.PRACTICE_MANAGER: ("gp", ("manager",), "no practice manager's account is active"),
    Route.SECOND_OPINION_GP: (
        "gp",
        ("other_gp", "senior", "manager"),
        "No GP or practice manager is active who did not give the first opinion",
    ),
    Route.UNSURE: (
        "gp",
        ("other_gp", "senior", "manager"),
        "No GP or practice manager is active who did not give the first opinion",
    ),
    # Routes closed or referred without a reviewer: nothing to warn about, whoever has left.
    Route.DISCUSS_AGAIN_OWN_GP: ("gp", ("other_gp", "senior", "manager"), None),
    Route.PALS: ("gp", ("other_gp", "senior", "manager"), None),
    Route.REGISTER_ELSEWHERE: ("gp", ("other_gp", "senior", "manager"), None),
}
assert set(SCENARIOS) == set(Route)


@pytest.mark.parametrize("route", list(Route), ids=str)
def test_every_route_with_no_one_to_take_it_warns_explains_and_offers_the_way_on(
    app, staff, as_user, act, route
):
    first, leavers, why = SCENARIOS[route]
    deactivate(app, *(getattr(staff, name) for name in leavers))
    reception = as_user(staff.reception)
    form = factories.intake_form(
        route_requested=route.value, original_gp=str(getattr(staff, first).id)
    )
    page = reception.post("/cases/new", data=form)
    if why is None:
        assert page.status_code == 302
        return
    assert route in ROUTES_WITH_A_REVIEWER
    assert page.status_code == 200
    shown = text_of(page)
    assert "No one can take this as the patient asks" in shown
    assert why in shown
    logged = reception.post("/cases/new", data={**form, "confirm_no_reviewer": "yes"})
    assert logged.status_code == 302
    reference = logged.headers["Location"].rsplit("/", 1)[1]

    assign = text_of(reception.get(f"/cases/{reference}/assign"))
    assert "No one the patient asked for can take this case" in assign
    assert why in assign
    assert "correct what the patient is asking for" in assign
    # Reception takes the way on: the route corrected with the reason, after talking to the patient.
    corrected = act(
        staff.reception,
        reference,
        "correct",
        {
            **{k: v for k, v in form.items() if k not in ("phone", "email", "preferred_contact")},
            "route_requested": Route.DISCUSS_AGAIN_OWN_GP.value,
            "reason": "Agreed with the patient to see their own GP again",
        },
    )
    assert corrected.status_code == 302
    closed = act(staff.reception, reference, "close", {"closure_reason": "returned_to_own_gp"})
    assert closed.status_code == 302
    assert "Closed" in text_of(reception.get(f"/cases/{reference}"))


def test_the_manager_takes_the_senior_partner_case_to_closure_when_the_senior_partner_gave_the_first_opinion(
    staff, log_case, act, as_user, load_case, events_of
):
    reference = log_case(
        route_requested="senior_partner",
        original_gp=str(staff.senior.id),
        confirm_no_reviewer="yes",
    )
    manager = as_user(staff.manager)
    assign = manager.get(f"/cases/{reference}/assign")
    shown = text_of(assign)
    assert "Dr Sena Senior, the senior partner, gave the first opinion" in shown
    assert "give the case to another GP below and record why" in shown
    html = assign.get_data(as_text=True)
    assert f'value="{staff.other_gp.id}"' in html  # anyone but the first GP is offered
    assert f'value="{staff.senior.id}"' not in html

    no_reason = act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    assert "Enter why the patient's request cannot be followed" in text_of(no_reason)
    assert load_case(reference).reviewer_id is None

    done = act(
        staff.manager,
        reference,
        "assign",
        {"reviewer": str(staff.other_gp.id), "reason": "Patient agreed to see Dr Second instead"},
    )
    assert done.status_code == 302
    case = load_case(reference)
    assert (case.reviewer_id, case.route_waived) == (staff.other_gp.id, True)
    page = text_of(manager.get(f"/cases/{reference}"))
    assert "Patient agreed to see Dr Second instead" in page
    assert "The reviewer no longer fits" not in page

    act(staff.other_gp, reference, "start-review", {"review_type": "notes"})
    act(
        staff.other_gp,
        reference,
        "record-outcome",
        {
            "outcome": "first_opinion_confirmed",
            "outcome_summary": "Agree",
            "patient_response": "satisfied",
        },
    )
    assert (
        act(
            staff.other_gp, reference, "close", {"closure_reason": "resolved_in_practice"}
        ).status_code
        == 302
    )
    assert load_case(reference).stage == "closed"
    assert [e[0] for e in events_of(reference)] == [
        "case_logged",
        "assigned",
        "review_started",
        "outcome_recorded",
        "closed",
    ]


def test_only_the_manager_may_give_a_case_outside_the_patients_request(
    staff, log_case, as_user, load_case
):
    reference = log_case(
        route_requested="senior_partner",
        original_gp=str(staff.senior.id),
        confirm_no_reviewer="yes",
    )
    reception = as_user(staff.reception)
    page = reception.get(f"/cases/{reference}/assign")
    assert "ask the practice manager" in text_of(page).lower()
    assert f'value="{staff.other_gp.id}"' not in page.get_data(as_text=True)
    version = str(load_case(reference).version)
    posted = reception.post(
        f"/cases/{reference}/assign",
        data={
            "reviewer": str(staff.other_gp.id),
            "reason": "x",
            "outside_request": "yes",
            "version": version,
        },
    )
    assert posted.status_code == 403
    assert load_case(reference).reviewer_id is None
