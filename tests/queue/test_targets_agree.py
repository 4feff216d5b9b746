"""Each target on cases due yesterday, today and tomorrow: the case page, the queue's filters
and their counts, the queue's rows, "My cases", reception's cases waiting past the target, the
daily summary and the reminders all say the same of each one."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import text_of
from tracker import clock
from tracker.cases import clocks
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.mail.digests import summary_for
from tracker.mail.reminders import send_reminders
from tracker.outbox.models import OutboxMessage
from tracker.queue.services import MY_CASES_SHOWN, ROW_FIELDS
from tracker.staff.models import User
from tracker.workdays import WorkingCalendar

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # Tuesday 24 November 2026
TODAY = NOW.date()
ENGLAND = WorkingCalendar("england")
YESTERDAY, TOMORROW = date(2026, 11, 23), date(2026, 11, 25)
STATUS = {YESTERDAY: "Overdue", TODAY: "Due today", TOMORROW: "Due"}
# Each target as the case page names it.
NAMES = {
    "duty_doctor": "Tell the duty doctor",
    "assign": "Assign a reviewer",
    "acknowledge": "Acknowledge the complaint",
    "outcome": "Record the outcome",
    "pals_chase": "Chase PALS if no response",
    "callback": "Call back",
    "response": "Send the final response",
}


def moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def back(day: date, working_days: int) -> date:
    """The working day `working_days` before this one."""
    start = day
    while ENGLAND.add_working_days(start, working_days) > day or not ENGLAND.is_working_day(start):
        start = date.fromordinal(start.toordinal() - 1)
    assert ENGLAND.add_working_days(start, working_days) == day
    return start


def case_due(target: str, due: date, reviewer_id: int) -> dict:
    """A case on which this target alone waits, due on this day (every other one is met, does
    not apply, or is due well after tomorrow). Targets of 2, 3, 10 and 10 working days."""
    earlier = back(due, 12)
    done = {  # assigned, and the outcome recorded, before the window
        "reviewer_id": reviewer_id,
        "first_assigned_at": moment(earlier),
        "assigned_at": moment(earlier),
        "outcome_clock_from": moment(earlier),
        "outcome_recorded_at": moment(back(due, 5)),
        "outcome": "first_opinion_confirmed",
        "patient_response": "satisfied",
    }
    if target == "duty_doctor":  # the working day the urgent request came in
        return {
            **done,
            "received_on": due,
            "urgent": True,
            "stage": "outcome_recorded",
            "first_assigned_at": moment(due),
            "assigned_at": moment(due),
            "outcome_clock_from": moment(due),
            "outcome_recorded_at": moment(due),
        }
    if target == "assign":
        return {"received_on": back(due, 2), "stage": "logged", "reviewer_id": reviewer_id}
    if target == "acknowledge":
        return {
            **done,
            "received_on": back(due, 3),
            "formal_complaint": True,
            "stage": "outcome_recorded",
            "first_assigned_at": moment(back(due, 3)),
            "assigned_at": moment(back(due, 3)),
            "outcome_clock_from": moment(back(due, 3)),
            "outcome_recorded_at": moment(back(due, 1)),
        }
    if target == "outcome":
        started = back(due, 10)
        return {
            **done,
            "received_on": started,
            "stage": "in_review",
            "first_assigned_at": moment(started),
            "assigned_at": moment(started),
            "outcome_clock_from": moment(started),
            "outcome_recorded_at": None,
            "outcome": None,
            "patient_response": None,
        }
    if target == "pals_chase":
        return {
            **done,
            "received_on": earlier,
            "stage": "referred_to_pals",
            "pals_referred_on": back(due, 10),
            "pals_referred_by": "practice",
            "pals_service": "PALS",
        }
    if target == "callback":  # a call-back promised, owed by the reviewer
        return {
            **done,
            "received_on": earlier,
            "stage": "outcome_recorded",
            "callback_due_on": due,
            "callback_owner_id": reviewer_id,
        }
    if target == "response":  # a formal complaint's agreed response date
        return {
            **done,
            "received_on": earlier,
            "formal_complaint": True,
            "acknowledged_on": earlier,
            "acknowledgement_method": "letter",
            "stage": "outcome_recorded",
            "response_due_on": due,
        }
    raise AssertionError(f"no case for {target}")


def references(page) -> list[str]:
    html = page.get_data(as_text=True)
    html = html[html.index('id="practice-queue"') :]
    return re.findall(r'href="/cases/(SO-\d{4}-\d{4})"', html)


@pytest.fixture
def one_case_each(app, staff, place_case, frozen_clock):
    """{(target, due date): reference}, every case reviewed by the practice manager."""
    frozen_clock.now = NOW
    return {
        (target, due): place_case(**case_due(target, due, staff.manager.id))
        for target in NAMES
        for due in STATUS
    }


def test_every_target_is_described_once_and_has_its_cases_here(app, one_case_each):
    assert {target.key: target.name for target in clocks.TARGETS} == NAMES
    # A queue row holds every column its due dates read.
    assert set(clocks.COLUMNS) <= set(ROW_FIELDS)
    with app.app_context():  # each case waits on its own target alone, due when it says
        for (key, due), reference in one_case_each.items():
            case = db.session.scalars(select(Case).where(Case.reference == reference)).one()
            waiting = [t for t in clocks.TARGETS if t.waiting(case) and t.due_on(case) <= TOMORROW]
            assert [t.key for t in waiting] == [key] and waiting[0].due_on(case) == due, (key, due)


def test_the_case_page_and_every_queue_filter_agree(one_case_each, staff, as_user):
    client = as_user(staff.manager)
    for (target, due), reference in one_case_each.items():
        page = text_of(client.get(f"/cases/{reference}"))
        assert f"{NAMES[target]} {clock.format_date(due)} {STATUS[due]}" in page, (target, due)

    for name, status in (("overdue", "Overdue"), ("due_today", "Due today")):
        listed = client.get(f"/queue?{name}=1")
        expected = sorted(ref for (_, due), ref in one_case_each.items() if STATUS[due] == status)
        assert sorted(references(listed)) == expected, name
        assert f"{len(expected)} cases" in text_of(listed)  # the count shown
        # Each row says so, and names the target as its next due.
        for (target, due), reference in one_case_each.items():
            if STATUS[due] != status:
                continue
            row = re.search(
                rf'href="/cases/{reference}".*?</tr>', listed.get_data(as_text=True), re.S
            ).group(0)
            assert f">{status}<" in row and f"{NAMES[target]} by {clock.format_date(due)}" in row

    # "My cases": every overdue case first (the most overdue at the top), then those due today.
    html = client.get("/queue").get_data(as_text=True)
    mine = html[html.index('id="my-cases"') : html.index('id="practice-queue"')]
    order = re.findall(r'href="/cases/(SO-\d{4}-\d{4})"', mine)
    assert sorted(order) == sorted(one_case_each.values())
    urgent = {ref for (target, _), ref in one_case_each.items() if target == "duty_doctor"}
    by_due = [ref for ref in order if ref not in urgent]
    rank = {ref: due for (_, due), ref in one_case_each.items()}
    assert [rank[ref] for ref in by_due] == sorted(rank[ref] for ref in by_due)


def test_reception_sees_the_requests_waiting_past_the_assignment_target(
    one_case_each, staff, as_user
):
    home = as_user(staff.reception).get("/").get_data(as_text=True)
    waiting = home[home.index('id="waiting"') :]
    assert one_case_each["assign", YESTERDAY] in waiting
    assert one_case_each["assign", TODAY] not in waiting
    assert one_case_each["assign", TOMORROW] not in waiting


def test_the_daily_summary_and_the_reminders_agree_with_the_case_page(
    app, one_case_each, staff, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    with app.app_context():
        manager = db.session.get(User, staff.manager.id)
        email, _ = summary_for(manager, TODAY)
        sections = dict(email.sections)
        listed = {
            title.split(" (")[0]: sorted(line.reference for line in lines)
            for title, lines in sections.items()
        }
        for section, status in (("Overdue", "Overdue"), ("Due today", "Due today")):
            assert listed[section] == sorted(
                ref for (_, due), ref in one_case_each.items() if STATUS[due] == status
            ), section

        send_reminders(TODAY)
        db.session.commit()
        subjects = {
            (row.kind, row.subject.rsplit(": ", 1)[1], row.subject.rsplit(": ", 1)[0])
            for row in db.session.scalars(select(OutboxMessage))
        }
    words = {YESTERDAY: "overdue", TODAY: "due today", TOMORROW: "due tomorrow"}
    for due in STATUS:  # due by the next working day, or overdue
        complaint = one_case_each["acknowledge", due]
        assert ("acknowledgement_due", complaint, f"Complaint acknowledgement {words[due]}") in (
            subjects
        )
        outcome = one_case_each["outcome", due]
        assert ("outcome_due", outcome, f"Outcome {words[due]}") in subjects
    chased = {reference for kind, reference, _ in subjects if kind == "pals_no_response"}
    # PALS is chased on the day the case page says it is due, and after.
    assert chased == {
        one_case_each["pals_chase", YESTERDAY],
        one_case_each["pals_chase", TODAY],
    }


def test_my_cases_show_the_case_due_today_before_older_cases_due_later(
    app, staff, place_case, as_user, frozen_clock
):
    """More open cases than "My cases" shows: the one due today is among those shown."""
    frozen_clock.now = NOW
    assigned = moment(date(2026, 11, 20))  # outcome due 4 December
    for day in range(MY_CASES_SHOWN + 1):
        place_case(
            received_on=date(2026, 10, 1 + day),
            stage="in_review",
            reviewer_id=staff.other_gp.id,
            first_assigned_at=assigned,
            assigned_at=assigned,
            outcome_clock_from=assigned,
        )
    due_today = place_case(
        received_on=date(2026, 11, 9),
        stage="in_review",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=moment(back(TODAY, 10)),
        assigned_at=moment(back(TODAY, 10)),
        outcome_clock_from=moment(back(TODAY, 10)),
    )
    home = as_user(staff.other_gp).get("/").get_data(as_text=True)
    mine = re.findall(r'href="/cases/(SO-\d{4}-\d{4})"', home[home.index('id="my-cases"') :])
    assert len(mine) == MY_CASES_SHOWN and mine[0] == due_today
    row = re.search(rf'href="/cases/{due_today}".*?</tr>', home, re.S).group(0)
    assert ">Due today<" in row


def test_a_case_keeps_the_working_days_before_chasing_pals_from_when_it_was_logged(
    app, staff, place_case, as_user, frozen_clock
):
    frozen_clock.now = NOW
    referred = {
        "received_on": date(2026, 11, 2),
        "stage": "referred_to_pals",
        "pals_referred_on": date(2026, 11, 10),
        "pals_referred_by": "practice",
        "pals_service": "PALS",
    }
    before = place_case(**referred)
    client = as_user(staff.manager)
    saved = client.post(
        "/admin/settings", data=factories.settings_form(pals_chase_working_days="5")
    )
    assert saved.status_code == 302
    after = place_case(**referred)
    assert "Chase PALS if no response 24 November 2026 Due today" in text_of(
        client.get(f"/cases/{before}")
    )
    assert "Chase PALS if no response 17 November 2026 Overdue" in text_of(
        client.get(f"/cases/{after}")
    )
    assert sorted(references(client.get("/queue?overdue=1"))) == [after]
    assert sorted(references(client.get("/queue?due_today=1"))) == [before]
