"""Leave, and assigning with the facts: someone away is not offered as a reviewer unless the
practice manager chooses them, saying why; each name in the list shows its open and overdue
cases; the duty doctor is chosen from the practice's GPs, or named when someone else."""

from datetime import UTC, datetime

from sqlalchemy import select

from tests.helpers import form_values, text_of
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.staff.models import StaffLeave


def days(prefix: str, day: int, month: int = 11, year: int = 2026) -> dict:
    return {
        f"{prefix}[day]": str(day),
        f"{prefix}[month]": str(month),
        f"{prefix}[year]": str(year),
    }


def test_leave_keeps_someone_off_the_assign_list_unless_the_manager_says_why(
    staff, log_case, as_user, app, load_case, frozen_clock
):
    away = as_user(staff.other_gp)
    recorded = away.post("/account/leave", data={**days("starts_on", 23), **days("ends_on", 27)})
    assert recorded.status_code == 302
    assert "23 November 2026 to 27 November 2026" in text_of(away.get("/account/leave"))

    reference = log_case()
    reception_list = text_of(as_user(staff.reception).get(f"/cases/{reference}/assign"))
    assert "Dr Omar Second" not in reception_list
    assert "Dr Sena Senior (GP, senior partner): 0 open" in reception_list

    manager = as_user(staff.manager)
    page = manager.get(f"/cases/{reference}/assign")
    assert "Dr Omar Second (GP): 0 open; away until 27 November 2026" in text_of(page)
    form = form_values(page.get_data(as_text=True)) | {"reviewer": str(staff.other_gp.id)}
    refused = manager.post(f"/cases/{reference}/assign", data=form)
    assert (
        "Dr Omar Second is away until 27 November 2026. Enter why they should have the case anyway"
        in text_of(refused)
    )
    assert load_case(reference).reviewer_id is None
    form["reason"] = "Back on Monday and the patient asked for him"
    assert manager.post(f"/cases/{reference}/assign", data=form).status_code == 302
    assert load_case(reference).reviewer_id == staff.other_gp.id

    # Reception cannot give a case to someone away, whatever is posted.
    second = log_case(confirm_duplicate="yes")
    reception = as_user(staff.reception)
    posted = form_values(reception.get(f"/cases/{second}/assign").get_data(as_text=True))
    posted["reviewer"] = str(staff.other_gp.id)
    refused = reception.post(f"/cases/{second}/assign", data=posted)
    assert "Dr Omar Second is away until 27 November 2026. Choose someone else" in text_of(refused)


def test_the_reviewer_list_shows_open_and_overdue_cases(
    staff, place_case, log_case, as_user, frozen_clock
):
    given = datetime(2026, 11, 2, 10, tzinfo=UTC)
    for _ in range(2):
        place_case(
            stage="assigned",
            reviewer_id=staff.senior.id,
            first_assigned_at=given,
            assigned_at=given,
            outcome_clock_from=given,
        )
    reference = log_case()
    page = text_of(as_user(staff.manager).get(f"/cases/{reference}/assign"))
    assert "Dr Sena Senior (GP, senior partner): 2 open, 2 overdue" in page
    assert "Dr Omar Second (GP): 0 open" in page


def test_leave_is_checked_and_only_the_manager_records_someone_elses(staff, as_user, app):
    gp = as_user(staff.gp)
    backwards = gp.post(
        "/account/leave",
        data={**days("starts_on", 27), **days("ends_on", 23, year=2027)}
        | days("ends_on", 20, year=2027)
        | days("starts_on", 21, year=2027),
    )
    assert "The last day away must be on or after the first" in text_of(backwards)
    assert gp.get(f"/admin/users/{staff.other_gp.id}/leave").status_code == 403
    manager = as_user(staff.manager)
    done = manager.post(
        f"/admin/users/{staff.other_gp.id}/leave",
        data={**days("starts_on", 1, 1, 2027), **days("ends_on", 8, 1, 2027)},
    )
    assert done.status_code == 302
    with app.app_context():
        (leave,) = db.session.scalars(select(StaffLeave)).all()
        assert (leave.user_id, leave.recorded_by_id) == (staff.other_gp.id, staff.manager.id)
        leave_id = leave.id
    assert gp.post(f"/account/leave/{leave_id}/remove").status_code == 403
    page = manager.get(f"/admin/users/{staff.other_gp.id}/leave").get_data(as_text=True)
    form = form_values(page, holding="csrf_token")
    assert manager.post(f"/account/leave/{leave_id}/remove", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(StaffLeave)).all() == []


def test_the_duty_doctor_is_chosen_from_the_practices_gps_or_named(staff, log_case, as_user, app):
    reference = log_case(urgent="yes")
    reception = as_user(staff.reception)
    page = reception.get(f"/cases/{reference}/record-duty-doctor")
    assert "Someone else, such as a locum" in text_of(page)
    form = form_values(page.get_data(as_text=True))
    missing = reception.post(
        f"/cases/{reference}/record-duty-doctor", data=form | {"duty_doctor_id": "other"}
    )
    assert "Enter the name of the duty doctor who was told" in text_of(missing)
    chosen = reception.post(
        f"/cases/{reference}/record-duty-doctor",
        data=form
        | {"duty_doctor_id": str(staff.gp.id)}
        # Told on the day it came in, so the test reads the same at any hour.
        | {
            "told_on[day]": "20",
            "told_on[month]": "11",
            "told_on[year]": "2026",
            "told_at": "10:00",
        },
    )
    assert chosen.status_code == 302, text_of(chosen)
    with app.app_context():
        case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
        assert case.duty_doctor_name == "Dr Gina First"
