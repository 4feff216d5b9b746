"""A leaver's open cases are handed on as their account is deactivated, each audited, so no open
case is left with a reviewer who cannot sign in; a reviewer who has left is shown as such."""

from sqlalchemy import select

from tests.helpers import text_of, value_of
from tracker.audit.models import Event
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.staff.models import User


def open_cases_with_a_leaver(app) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Case.reference)
                .join(User, User.id == Case.reviewer_id)
                .where(Case.stage != "closed", User.active.is_(False))
            )
        )


def handed_on_events(app) -> list[tuple[str, str | None]]:
    with app.app_context():
        rows = db.session.scalars(select(Event).where(Event.kind == "handed_on").order_by(Event.id))
        return [(e.changes.get("reviewer", [None, None])[1], e.full_detail) for e in rows]


def deactivate(client, user_id, data=None):
    """Open the deactivation page, then submit it with the open cases it showed."""
    url = f"/admin/users/{user_id}/deactivate"
    shown = value_of(client.get(url).get_data(as_text=True), "shown")
    return client.post(url, data={"shown": shown, **(data or {})})


def assigned_to_other_gp(log_case, act, staff, **intake) -> str:
    reference = log_case(**intake)
    act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    return reference


def test_the_page_lists_the_leavers_open_cases_and_nothing_changes_until_each_is_handed_on(
    app, staff, log_case, act, as_user, load_case
):
    first = assigned_to_other_gp(log_case, act, staff)
    second = assigned_to_other_gp(
        log_case, act, staff, nhs_number="999 000 0026", patient_name="Bea Other"
    )
    manager = as_user(staff.manager)
    page = text_of(manager.get(f"/admin/users/{staff.other_gp.id}/deactivate"))
    assert "is the reviewer of 2 open cases" in page
    assert first in page and second in page

    refused = deactivate(manager, staff.other_gp.id, {"mode": "all"})
    assert refused.status_code == 200
    shown = text_of(refused)
    assert "Choose who takes on all their cases" in shown
    with app.app_context():
        assert db.session.get(User, staff.other_gp.id).active
    assert load_case(first).reviewer_id == staff.other_gp.id


def test_one_reviewer_takes_them_all_with_the_reason_on_each_case(
    app, staff, log_case, act, as_user, load_case
):
    references = [
        assigned_to_other_gp(log_case, act, staff),
        assigned_to_other_gp(
            log_case, act, staff, nhs_number="999 000 0026", patient_name="Bea Other"
        ),
    ]
    act(staff.other_gp, references[1], "start-review", {"review_type": "notes"})
    manager = as_user(staff.manager)
    done = deactivate(
        manager,
        staff.other_gp.id,
        {"mode": "all", "everyone": str(staff.senior.id), "reason": "Dr Second has left"},
    )
    assert done.status_code == 302
    assert "2 open case(s) have been handed on" in text_of(manager.get("/admin/users"))
    with app.app_context():
        assert not db.session.get(User, staff.other_gp.id).active
    for reference in references:
        assert load_case(reference).reviewer_id == staff.senior.id
    assert load_case(references[1]).stage == "in_review"  # the review carries on
    assert handed_on_events(app) == [("Dr Sena Senior", "Dr Second has left")] * 2
    assert open_cases_with_a_leaver(app) == []
    page = text_of(manager.get(f"/cases/{references[0]}"))
    assert "Handed on from a leaver" in page and "Dr Second has left" in page


def test_case_by_case_and_a_choice_the_rules_forbid_is_refused_whole(
    app, staff, log_case, act, as_user, load_case
):
    mine = assigned_to_other_gp(log_case, act, staff)  # Dr Gina First gave the first opinion
    theirs = assigned_to_other_gp(
        log_case,
        act,
        staff,
        nhs_number="999 000 0026",
        patient_name="Bea Other",
        original_gp=str(staff.senior.id),
    )
    manager = as_user(staff.manager)
    everyone_to_gina = deactivate(
        manager, staff.other_gp.id, {"mode": "all", "everyone": str(staff.gp.id), "reason": "Left"}
    )
    assert "Dr Gina First gave the first opinion" in text_of(everyone_to_gina)
    assert open_cases_with_a_leaver(app) == []
    with app.app_context():
        assert db.session.get(User, staff.other_gp.id).active
        ids = {
            ref: db.session.scalar(select(Case.id).where(Case.reference == ref))
            for ref in (mine, theirs)
        }

    done = deactivate(
        manager,
        staff.other_gp.id,
        {
            "mode": "each",
            f"case-{ids[mine]}": str(staff.senior.id),
            f"case-{ids[theirs]}": str(staff.gp.id),
            "reason": "Left",
        },
    )
    assert done.status_code == 302
    assert load_case(mine).reviewer_id == staff.senior.id
    assert load_case(theirs).reviewer_id == staff.gp.id
    assert open_cases_with_a_leaver(app) == []


def test_the_only_senior_partner_leaving_hands_on_a_senior_partner_case_with_the_reason(
    app, staff, log_case, act, as_user, load_case
):
    reference = log_case(route_requested="senior_partner")
    act(staff.manager, reference, "assign", {"reviewer": str(staff.senior.id)})
    manager = as_user(staff.manager)
    url = f"/admin/users/{staff.senior.id}/deactivate"
    assert "Anyone who did not give the first opinion may take it" in text_of(manager.get(url))
    done = deactivate(
        manager,
        staff.senior.id,
        {"mode": "all", "everyone": str(staff.other_gp.id), "reason": "Retired"},
    )
    assert done.status_code == 302
    case = load_case(reference)
    assert (case.reviewer_id, case.route_waived) == (staff.other_gp.id, True)
    assert "The reviewer no longer fits" not in text_of(manager.get(f"/cases/{reference}"))


def test_a_reviewer_who_has_left_shows_as_left_can_be_found_and_handed_on(
    app, staff, log_case, act, as_user, load_case
):
    reference = assigned_to_other_gp(log_case, act, staff)
    other = log_case(nhs_number="999 000 0026", patient_name="Bea Other")
    with app.app_context():  # an account deactivated before leavers' cases were handed on
        db.session.get(User, staff.other_gp.id).active = False
        db.session.commit()
    manager = as_user(staff.manager)
    queue = manager.get("/queue?reviewer=left")
    listed = text_of(queue)
    assert reference in listed and other not in listed
    assert "Dr Omar Second (left)" in listed
    case_page = text_of(manager.get(f"/cases/{reference}"))
    assert "Dr Omar Second (left)" in case_page
    assert "Hand on from a leaver" in case_page
    done = act(
        staff.manager,
        reference,
        "hand-on",
        {"reviewer": str(staff.senior.id), "reason": "Left in the summer"},
    )
    assert done.status_code == 302
    assert load_case(reference).reviewer_id == staff.senior.id
    assert open_cases_with_a_leaver(app) == []
    # With an active reviewer the action is not offered.
    assert as_user(staff.manager).get(f"/cases/{reference}/hand-on").status_code == 403


def test_someone_with_no_open_cases_is_deactivated_at_once(app, staff, as_user):
    manager = as_user(staff.manager)
    page = text_of(manager.get(f"/admin/users/{staff.other_gp.id}/deactivate"))
    assert "has no open cases" in page
    done = deactivate(manager, staff.other_gp.id)
    assert done.status_code == 302
    with app.app_context():
        assert not db.session.get(User, staff.other_gp.id).active


def test_cases_given_to_the_leaver_after_the_page_opened_are_shown_before_anything_is_saved(
    app, staff, log_case, act, as_user, load_case
):
    first = assigned_to_other_gp(log_case, act, staff)
    manager = as_user(staff.manager)
    url = f"/admin/users/{staff.other_gp.id}/deactivate"
    shown = value_of(manager.get(url).get_data(as_text=True), "shown")
    later = assigned_to_other_gp(
        log_case, act, staff, nhs_number="999 000 0026", patient_name="Bea Other"
    )
    page = manager.post(
        url,
        data={"shown": shown, "mode": "all", "everyone": str(staff.senior.id), "reason": "Left"},
    )
    assert page.status_code == 200
    shown_now = text_of(page)
    assert "open cases changed after you opened this page" in shown_now
    assert first in shown_now and later in shown_now
    assert load_case(later).reviewer_id == staff.other_gp.id
    with app.app_context():
        assert db.session.get(User, staff.other_gp.id).active
