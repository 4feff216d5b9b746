"""Reminders by the working-day calendar, over Christmas 2026 in England (Friday 25 and
Monday 28 December are bank holidays): an acknowledgement due by the next working day or
overdue, an outcome due by the next working day or overdue, PALS silent for 10 working days.
Each once per case, kind and day however often the command runs; none on a day off."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from tracker.cases.models import Case
from tracker.extensions import db
from tracker.settings.models import load_settings
from tracker.workdays import WorkingCalendar

RECEPTION_MAILBOX = "reception@practice.example"


def set_mailboxes(app):
    with app.app_context():
        settings = load_settings()
        settings.reception_mailbox = RECEPTION_MAILBOX
        db.session.add(settings)
        db.session.commit()


def test_reminders_follow_working_days_and_bank_holidays(
    mail_on, app, staff, place_case, run_command, frozen_clock
):
    calendar = WorkingCalendar("england")
    assert not calendar.is_working_day(date(2026, 12, 25))
    assert not calendar.is_working_day(date(2026, 12, 28))
    set_mailboxes(app)
    complaint = place_case(received_on=date(2026, 12, 22), formal_complaint=True)
    outcome = place_case(
        received_on=date(2026, 12, 9),
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=datetime(2026, 12, 10, 10, tzinfo=UTC),
        assigned_at=datetime(2026, 12, 10, 10, tzinfo=UTC),
        outcome_clock_from=datetime(2026, 12, 10, 10, tzinfo=UTC),
    )
    pals = place_case(
        received_on=date(2026, 11, 2),
        stage="referred_to_pals",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=datetime(2026, 11, 3, 10, tzinfo=UTC),
        outcome_clock_from=datetime(2026, 11, 3, 10, tzinfo=UTC),
        outcome_recorded_at=datetime(2026, 11, 10, 10, tzinfo=UTC),
        outcome="confirmed",
        pals_referred_on=date(2026, 12, 14),
        pals_referred_by="practice",
    )
    with app.app_context():
        due = {
            case.reference: (case.acknowledge_due_on, case.outcome_due_on)
            for case in db.session.scalars(select(Case))
        }
    assert due[complaint][0] == date(2026, 12, 29)  # 23, 24, then the 29th
    assert due[outcome][1] == date(2026, 12, 24)

    seen = {}
    for day in range(22, 32):
        frozen_clock.now = datetime(2026, 12, day, 9, 0, tzinfo=UTC)
        before = len(mail_on.received)
        run_command("send-reminders")
        run_command("send-reminders")  # a second run the same day adds nothing
        run_command("send-mail")
        seen[day] = sorted((mail.to, mail.subject) for mail in mail_on.received[before:])

    manager, gp = staff.manager.email, staff.other_gp.email
    assert seen[22] == []
    assert seen[23] == [(gp, f"Outcome due tomorrow: {outcome}")]
    assert seen[24] == sorted(
        [
            (manager, f"Complaint acknowledgement due on 29 December 2026: {complaint}"),
            (RECEPTION_MAILBOX, f"Complaint acknowledgement due on 29 December 2026: {complaint}"),
            (gp, f"Outcome due today: {outcome}"),
        ]
    )
    for holiday_or_weekend in (25, 26, 27, 28):
        assert seen[holiday_or_weekend] == [], holiday_or_weekend
    assert seen[29] == sorted(
        [
            (manager, f"Complaint acknowledgement due today: {complaint}"),
            (RECEPTION_MAILBOX, f"Complaint acknowledgement due today: {complaint}"),
            (gp, f"Outcome overdue: {outcome}"),
        ]
    )
    pals_subject = f"No response from PALS after 10 working days: {pals}"
    assert (manager, pals_subject) in seen[30]
    assert (gp, f"Outcome overdue: {outcome}") in seen[30]
    assert (manager, f"Complaint acknowledgement overdue: {complaint}") in seen[31]
    assert not any("PALS" in subject for _, subject in seen[31])  # once for each referral
    assert sum(subject == pals_subject for _, subject in sum(seen.values(), [])) == 1


def test_a_kind_the_practice_turned_off_is_not_sent(
    mail_on, app, staff, place_case, run_command, frozen_clock
):
    with app.app_context():
        settings = load_settings()
        settings.notices_off = "outcome_due"
        db.session.add(settings)
        db.session.commit()
    place_case(
        received_on=date(2026, 11, 2),
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=datetime(2026, 11, 3, 10, tzinfo=UTC),
        outcome_clock_from=datetime(2026, 11, 3, 10, tzinfo=UTC),
    )
    run_command("send-reminders")
    run_command("send-mail")
    assert mail_on.received == []
