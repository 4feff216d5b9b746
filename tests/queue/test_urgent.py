"""An urgent concern: the duty doctor is told by the end of the working day it came in, and
the case says so once it is recorded."""

from datetime import UTC, date, datetime

from tests.helpers import text_of

TUESDAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_an_urgent_case_is_overdue_after_its_working_day_until_the_duty_doctor_is_told(
    staff, log_case, act, as_user, frozen_clock, events_of
):
    frozen_clock.now = datetime(2026, 11, 23, 9, tzinfo=UTC)  # Monday
    intake = as_user(staff.reception).get("/cases/new")
    assert "If yes, tell the duty doctor today" in text_of(intake)
    reference = log_case(urgent="yes", **{"received_on[day]": "23"})
    routine = log_case(
        nhs_number="999 000 0026", patient_name="Rob Routine", **{"received_on[day]": "23"}
    )
    reception = as_user(staff.reception)
    page = text_of(reception.get(f"/cases/{reference}"))
    assert "Urgent clinical concern: tell the duty doctor" in page
    assert "Tell the duty doctor 23 November 2026 Due today" in page
    assert reference in text_of(reception.get("/queue?due_today=1"))

    frozen_clock.now = TUESDAY
    manager = as_user(staff.manager)
    overdue = text_of(manager.get("/queue?overdue=1"))
    assert reference in overdue and routine not in overdue
    queue = text_of(manager.get("/queue"))
    assert queue.index(reference) < queue.index(routine)  # urgent cases come first
    assert "Tell the duty doctor 23 November 2026 Overdue" in text_of(
        manager.get(f"/cases/{reference}")
    )

    done = act(  # any GP may record it; reception's Monday session has timed out
        staff.gp,
        reference,
        "record-duty-doctor",
        {
            "duty_doctor": "Dr Patel",
            "told_on[day]": "23",
            "told_on[month]": "11",
            "told_on[year]": "2026",
            "told_at": "4.15pm",
            "note": "Will call the patient this afternoon",
        },
    )
    assert done.status_code == 302, text_of(done)
    page = text_of(manager.get(f"/cases/{reference}"))
    assert "Dr Patel, the duty doctor, was told on 23 November 2026, 16:15" in page
    assert "Tell the duty doctor 23 November 2026 Met" in page
    assert "Will call the patient this afternoon" in page
    assert "Record that the duty doctor was told" not in page
    assert reference not in text_of(manager.get("/queue?overdue=1"))
    assert events_of(reference)[-1][0] == "duty_doctor_told"


def test_the_time_told_is_checked(staff, log_case, act, frozen_clock, load_case):
    frozen_clock.now = TUESDAY
    reference = log_case(urgent="yes", **{"received_on[day]": "24"})
    form = {
        "duty_doctor": "Dr Patel",
        "told_on[day]": "24",
        "told_on[month]": "11",
        "told_on[year]": "2026",
    }
    for typed, message in (
        ("25:00", "Enter the time the duty doctor was told, like 14:30 or 9.30am"),
        ("11:00", "The time told must be now or in the past"),
    ):
        page = act(staff.reception, reference, "record-duty-doctor", {**form, "told_at": typed})
        assert page.status_code == 200
        assert message in text_of(page)
    early = act(
        staff.reception,
        reference,
        "record-duty-doctor",
        {**form, "told_on[day]": "23", "told_at": "08:00"},
    )
    assert "cannot be before the request was received" in text_of(early)
    assert load_case(reference).duty_doctor_told_at is None
    assert load_case(reference).duty_doctor_due_on == date(2026, 11, 24)
