"""Ways on where no one the patient asked for is left, corrections whatever the first GP's
account now is, and closing that keeps what was typed."""

from datetime import UTC, datetime

from sqlalchemy import select

from tests import factories
from tests.helpers import inputs_named, text_of
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.staff.models import User


def senior_leaves(app, staff):
    with app.app_context():
        db.session.get(User, staff.senior.id).active = False
        db.session.commit()


def test_reopening_when_the_senior_partner_has_left_offers_another_gp_with_the_reason(
    app, staff, log_case, act, as_user, load_case
):
    reference = log_case(route_requested="senior_partner")
    act(staff.manager, reference, "assign", {"reviewer": str(staff.senior.id)})
    act(staff.manager, reference, "close", {"closure_reason": "withdrawn"})
    senior_leaves(app, staff)
    page = as_user(staff.manager).get(f"/cases/{reference}/reopen")
    shown = text_of(page)
    assert "No one the patient asked for can take this case" in shown
    assert f'value="{staff.other_gp.id}"' in page.get_data(as_text=True)
    done = act(
        staff.manager,
        reference,
        "reopen",
        {"reviewer": str(staff.other_gp.id), "reason": "New symptoms; Dr Senior has retired"},
    )
    assert done.status_code == 302, text_of(done)
    case = load_case(reference)
    assert (case.stage, case.reviewer_id, case.route_waived) == (
        "assigned",
        staff.other_gp.id,
        True,
    )


def test_a_leavers_case_past_its_outcome_is_handed_on_outside_the_request(
    app, staff, log_case, act, as_user, load_case
):
    reference = log_case(route_requested="senior_partner")
    act(staff.manager, reference, "assign", {"reviewer": str(staff.senior.id)})
    act(
        staff.senior,
        reference,
        "record-outcome",
        {"outcome": "tests_arranged", "outcome_summary": "Bloods", "patient_response": "not_known"},
    )
    senior_leaves(app, staff)
    manager = as_user(staff.manager)
    case_page = manager.get(f"/cases/{reference}").get_data(as_text=True)
    assert f'/cases/{reference}/hand-on"' in case_page
    shown = text_of(manager.get(f"/cases/{reference}/hand-on"))
    assert "No one the patient asked for can take this case" in shown
    done = act(
        staff.manager,
        reference,
        "hand-on",
        {"reviewer": str(staff.other_gp.id), "reason": "Dr Senior retired"},
    )
    assert done.status_code == 302, text_of(done)
    case = load_case(reference)
    assert (case.stage, case.reviewer_id, case.route_waived) == (
        "outcome_recorded",
        staff.other_gp.id,
        True,
    )


def test_a_correction_keeps_a_first_gp_whose_role_has_changed(
    app, staff, log_case, act, as_user, load_case
):
    reference = log_case()
    with app.app_context():
        db.session.get(User, staff.gp.id).membership.role = "practice_manager"
        db.session.commit()
    html = as_user(staff.reception).get(f"/cases/{reference}/correct").get_data(as_text=True)
    chosen = [a.get("value") for a in inputs_named(html, "original_gp") if "checked" in a]
    assert chosen == [str(staff.gp.id)]
    form = factories.intake_form(
        original_gp=str(staff.gp.id), patient_name="Alexa Example", reason="Typo"
    )
    form = {k: v for k, v in form.items() if k not in ("phone", "email", "preferred_contact")}
    assert act(staff.reception, reference, "correct", form).status_code == 302
    case = load_case(reference)
    assert (case.patient_name, case.original_gp_id) == ("Alexa Example", staff.gp.id)


def test_a_reason_the_reviewer_may_not_use_comes_back_with_what_was_typed(
    staff, log_case, act, load_case
):
    reference = log_case()
    act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    act(
        staff.other_gp,
        reference,
        "record-outcome",
        {"outcome": "tests_arranged", "outcome_summary": "Bloods", "patient_response": "satisfied"},
    )
    page = act(
        staff.other_gp,
        reference,
        "close",
        {
            "closure_reason": "resolved_in_practice",
            "patient_response": "still_concerned",
            "note": "Spoke to the patient at length.",
        },
    )
    assert page.status_code == 200
    assert "Only the practice manager can close a case as resolved" in text_of(page)
    assert "Spoke to the patient at length." in page.get_data(as_text=True)
    assert load_case(reference).stage == "outcome_recorded"


def test_a_name_in_any_script_is_found(staff, as_user, place_case):
    reference = place_case(patient_name="Σοφία Παπαδοπούλου")
    page = as_user(staff.reception).get("/queue", query_string={"q": "σοφια"})
    assert reference in text_of(page)


def test_a_closed_urgent_case_from_before_the_duty_doctor_target_never_gets_it(
    app, staff, place_case
):
    from tracker.cases.working_days import recount_working_days

    reference = place_case(
        urgent=True,
        stage="closed",
        closure_reason="withdrawn",
        closed_at=datetime(2026, 11, 3, tzinfo=UTC),
    )
    with app.app_context():
        recount_working_days()
        db.session.commit()
        due = db.session.scalar(select(Case.duty_doctor_due_on).where(Case.reference == reference))
    assert due is None
