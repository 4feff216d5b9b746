"""What a practice hit in its second week of real use: who can take a case said plainly, the
front desk's work first, warnings that say what is wrong, and words that read right."""

from datetime import UTC, date, datetime

from tests import factories
from tests.helpers import inputs_named, text_of

ASSIGNED = datetime(2026, 11, 3, 10, tzinfo=UTC)


def test_the_senior_partner_with_their_own_case_is_told_why_no_one_else_is_listed(
    staff, place_case, as_user
):
    reference = place_case(
        stage="assigned",
        route_requested="senior_partner",
        reviewer_id=staff.senior.id,
        first_assigned_at=ASSIGNED,
        assigned_at=ASSIGNED,
        outcome_clock_from=ASSIGNED,
    )
    page = as_user(staff.senior).get(f"/cases/{reference}/assign")
    assert page.status_code == 200
    html, text = page.get_data(as_text=True), text_of(page)
    assert (
        "The patient asked for the senior partner, and you are the senior partner and already "
        "have this case." in text
    )
    assert "ask the practice manager: they can give the case to another GP and record why" in text
    # No empty list to choose from and no button that cannot work.
    assert 'name="reviewer"' not in html
    assert 'type="submit"' not in html.split("<main")[1].split("Cancel and go back")[0]


def test_reopening_offers_the_last_reviewer_marked_as_such(staff, place_case, as_user):
    reference = place_case(
        stage="closed",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=ASSIGNED,
        assigned_at=ASSIGNED,
        closed_at=ASSIGNED,
        closure_reason="withdrawn",
    )
    page = as_user(staff.manager).get(f"/cases/{reference}/reopen")
    text = text_of(page)
    assert "Dr Omar Second (GP), reviewed it before" in text
    assert "The case's last reviewer is listed too, marked 'reviewed it before'." in text
    assert "Dr Sena Senior (GP, senior partner)" in text  # not "(GP (senior partner))"
    assert "Dr Gina First" not in text.split("Reviewer")[-1]  # gave the first opinion


def test_the_front_desks_work_comes_before_new_for_you(staff, log_case, act, as_user):
    for _ in range(3):  # changes others made to requests reception logged
        act(
            staff.manager,
            log_case(confirm_duplicate="yes"),
            "assign",
            {"reviewer": staff.other_gp.id},
        )
    html = as_user(staff.reception).get("/").get_data(as_text=True)
    assert 'id="news-list"' in html
    log_button = html.index(">Log a request<")
    assert log_button < html.index('id="find-case"') < html.index('id="new-for-you"')
    assert html.index('id="new-today"') < html.index('id="new-for-you"')


def test_no_duty_doctor_mailbox_is_a_warning_to_the_practice_manager(staff, as_user, app):
    manager = as_user(staff.manager)
    for path in ("/", "/admin/mail"):
        text = text_of(manager.get(path))
        assert "No duty doctor mailbox is set" in text, path
        assert "Urgent clinical concerns are emailed to the practice manager only" in text
    with app.app_context():
        from tracker.extensions import db
        from tracker.settings.models import load_settings

        settings = load_settings()
        settings.duty_doctor_mailbox = "duty.doctor@practice.example"
        db.session.add(settings)
        db.session.commit()
    for path in ("/", "/admin/mail"):
        assert "No duty doctor mailbox is set" not in text_of(manager.get(path)), path


def test_a_missing_yes_or_no_asks_for_an_answer_not_for_yes(staff, as_user):
    data = factories.intake_form(original_gp=str(staff.gp.id))
    for name in ("formal_complaint", "urgent", "already_discussed_with_own_gp"):
        data.pop(name)
    text = text_of(as_user(staff.reception).post("/cases/new", data=data))
    assert "Choose whether this is a formal complaint" in text
    assert "Choose whether there is an urgent clinical concern" in text
    assert "Choose whether the patient has already gone back to their own GP about this" in text
    assert "Choose yes if" not in text


def test_an_impossible_appointment_time_says_so(staff, place_case, as_user):
    reference = place_case(
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=ASSIGNED,
        assigned_at=ASSIGNED,
        outcome_clock_from=ASSIGNED,
    )
    gp = as_user(staff.other_gp)
    page = gp.get(f"/cases/{reference}/start-review").get_data(as_text=True)
    form = {
        "version": inputs_named(page, "version")[0]["value"],
        "review_type": "appointment",
        "appointment_date[day]": "27",
        "appointment_date[month]": "11",
        "appointment_date[year]": "2026",
        "appointment_time": "25:00",
    }
    text = text_of(gp.post(f"/cases/{reference}/start-review", data=form))
    assert "Appointment time must be a real time of day, like 14:30 or 9.30am" in text
    assert "Enter the appointment time" not in text
    form["appointment_time"] = ""
    assert "Enter the appointment time, like 14:30" in text_of(
        gp.post(f"/cases/{reference}/start-review", data=form)
    )


def test_one_formal_complaint_is_singular_in_the_monthly_report(staff, place_case, as_user):
    place_case(received_on=date(2026, 11, 2), formal_complaint=True)
    place_case(received_on=date(2026, 11, 3))
    text = text_of(as_user(staff.manager).get("/reports/monthly?month=2026-11"))
    assert "Requests received 2 (1 formal complaint, 0 urgent)" in text
