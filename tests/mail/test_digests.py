"""The daily summary: one per person per working day however often send-digests runs; none
for someone with nothing overdue, due or new; what a person chose to read there comes in it
and not on its own."""

import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.cases.test_contacts import CALL, callback_by, record
from tests.helpers import text_of
from tests.mail.test_assignment_mail import identifiers_absent
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.outbox.models import MailStatus, OutboxMessage
from tracker.settings.models import load_settings

PATIENT = {
    "patient_name": "Zebedee Quartermaine",
    "nhs_number": "9990000018",
    "nhs_number_unknown": False,
    "date_of_birth": date(1984, 3, 15),
    "concern": "Persistent migraines after the new tablets",
}


def assigned_case(place_case, reviewer_id, clock_from: datetime) -> str:
    return place_case(
        received_on=date(2026, 11, 2),
        stage="assigned",
        reviewer_id=reviewer_id,
        first_assigned_at=clock_from,
        assigned_at=clock_from,
        outcome_clock_from=clock_from,
        **PATIENT,
    )


def test_send_digests_twice_sends_one_summary_per_person_and_none_to_someone_with_nothing(
    mail_on, staff, place_case, run_command, frozen_clock
):
    # Tuesday 24 November 2026, 09:00
    overdue = assigned_case(place_case, staff.other_gp.id, datetime(2026, 11, 2, 10, tzinfo=UTC))
    due_today = assigned_case(place_case, staff.gp.id, datetime(2026, 11, 10, 10, tzinfo=UTC))

    assert "2 daily summaries queued" in run_command("send-digests")
    assert "0 daily summaries queued" in run_command("send-digests")
    run_command("send-mail")
    assert sorted(mail.to for mail in mail_on.received) == sorted(
        [staff.other_gp.email, staff.gp.email]
    )  # the senior partner, reception and the manager have nothing: no summary
    summary = next(m for m in mail_on.received if m.to == staff.other_gp.email)
    assert summary.subject == "Your second opinion cases for 24 November 2026"
    assert "Overdue (1)" in summary.text
    assert re.search(
        rf"https://tracker.practice.example/practices/\d+/cases/{overdue}", summary.text
    )
    assert due_today not in summary.text
    other = next(m for m in mail_on.received if m.to == staff.gp.email)
    assert "Due today (1)" in other.text and due_today in other.text
    for mail in mail_on.received:
        identifiers_absent(mail.text)
        identifiers_absent(mail.html)

    frozen_clock.advance(days=1)  # Wednesday: a new day, a new summary
    run_command("send-digests")
    run_command("send-mail")
    assert len(mail_on.received) == 4
    frozen_clock.now = datetime(2026, 11, 28, 9, tzinfo=UTC)  # Saturday: none
    assert "0 daily summaries queued" in run_command("send-digests")


def test_what_a_person_chose_for_their_summary_comes_in_it_and_not_on_its_own(
    mail_on, staff, log_case, act, as_user, run_command, app, frozen_clock
):
    gp = as_user(staff.other_gp)
    choices = {
        kind: "immediate"
        for kind in ("reassigned_away", "reopened", "acknowledgement_due", "outcome_due")
    }
    choices["pals_no_response"] = "immediate"
    choices["action_due"] = "immediate"
    choices["response_due"] = "immediate"
    response = gp.post("/account/notifications", data={**choices, "assigned": "daily_summary"})
    assert response.status_code == 302
    page = gp.get("/account/notifications").get_data(as_text=True)
    assert 'value="daily_summary" checked' in page
    with app.app_context():  # the change of choice is in the audit log, and only what changed
        (chosen,) = db.session.scalars(
            select(Event).where(Event.kind == "email_choices_changed")
        ).all()
        assert chosen.changes == {"assigned": ["immediate", "daily_summary"]}

    reference = log_case()
    act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    run_command("send-mail")
    assert mail_on.received == []
    with app.app_context():
        (row,) = db.session.scalars(select(OutboxMessage)).all()
        assert row.status == MailStatus.HELD

    run_command("send-digests")
    run_command("send-mail")
    (summary,) = mail_on.received
    assert summary.to == staff.other_gp.email
    assert f"Case {reference} is assigned to you" in summary.text
    with app.app_context():
        statuses = {row.kind: row.status for row in db.session.scalars(select(OutboxMessage)).all()}
    assert statuses == {"assigned": MailStatus.SUMMARISED, "daily_summary": MailStatus.SENT}


def test_a_case_emailed_as_it_happened_is_not_new_again_in_the_summary(
    mail_on, staff, log_case, act, run_command, frozen_clock
):
    reference = log_case()
    act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    run_command("send-mail")
    (assigned,) = [m for m in mail_on.received if m.to == staff.other_gp.email]
    assert f"Case {reference} is assigned to you" in assigned.text

    # Told at once, and nothing else is overdue, due or new: no summary in the same minute.
    run_command("send-digests")
    run_command("send-mail")
    assert [m.subject for m in mail_on.received if m.to == staff.other_gp.email] == [
        assigned.subject
    ]


def test_with_no_duty_doctor_mailbox_the_urgent_email_says_to_tell_them(
    mail_on, staff, log_case, run_command
):
    log_case(urgent="yes")
    run_command("send-mail")
    (urgent,) = mail_on.received
    assert urgent.to == staff.manager.email
    assert (
        "No duty doctor mailbox is set in the practice settings, so this email went to the "
        "practice manager only: tell the duty doctor yourself."
    ) in " ".join(urgent.text.split())


def test_an_urgent_concern_is_emailed_to_the_duty_doctor_mailbox_when_one_is_set(
    mail_on, app, staff, log_case, run_command
):
    with app.app_context():
        settings = load_settings()
        settings.duty_doctor_mailbox = "duty.doctor@practice.example"
        db.session.add(settings)
        db.session.commit()
    reference = log_case(urgent="yes")
    run_command("send-mail")
    to_duty = [m for m in mail_on.received if m.to == "duty.doctor@practice.example"]
    assert len(to_duty) == 1
    assert reference in to_duty[0].subject + to_duty[0].text
    assert "No duty doctor mailbox is set" not in to_duty[0].text


def test_an_overdue_call_back_reaches_its_owners_daily_summary(
    mail_on, staff, log_case, as_user, run_command, frozen_clock
):
    reference = log_case()
    reception = as_user(staff.reception)
    assert (
        record(
            reception,
            reference,
            **CALL,
            **callback_by(25),
            callback_owner=str(staff.other_gp.id),
        ).status_code
        == 302
    )
    frozen_clock.now = datetime(2026, 11, 26, 8, tzinfo=UTC)
    run_command("send-digests")
    run_command("send-mail")
    summary = next(m for m in mail_on.received if m.to == staff.other_gp.email)
    assert "Overdue (1)" in summary.text and reference in summary.text
    # Dr Omar Second does not review the case: the call-back alone puts it in their list.
    mine = text_of(as_user(staff.other_gp).get("/"))  # signed in after the clock moved
    assert reference in mine.split("My cases")[1]
