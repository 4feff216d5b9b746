"""The practice manager is reminded of a formal complaint's final response on the working day
before the date agreed with the complainant, on the day and each day it is overdue; once a
day; and no more once it is sent."""

from datetime import UTC, date, datetime


def test_the_agreed_response_date_is_reminded_until_the_response_is_sent(
    staff, place_case, frozen_clock, mail_on, run_command, act
):
    reference = place_case(
        received_on=date(2026, 11, 2),
        formal_complaint=True,
        acknowledged_on=date(2026, 11, 3),
        acknowledgement_method="letter",
        response_due_on=date(2026, 11, 26),
    )
    seen = {}
    for day in (24, 25, 26, 27):
        frozen_clock.now = datetime(2026, 11, day, 9, 0, tzinfo=UTC)
        before = len(mail_on.received)
        run_command("send-reminders")
        run_command("send-reminders")
        run_command("send-mail")
        seen[day] = [
            (m.to, m.subject)
            for m in mail_on.received[before:]
            if m.subject.startswith("Final response")
        ]
    manager = staff.manager.email
    assert seen[24] == []
    assert seen[25] == [(manager, f"Final response due tomorrow: {reference}")]
    assert seen[26] == [(manager, f"Final response due today: {reference}")]
    assert seen[27] == [(manager, f"Final response overdue: {reference}")]

    closed = act(
        staff.manager,
        reference,
        "close",
        {"closure_reason": "resolved_in_practice", "complaint_finding": "upheld"},
    )
    assert closed.status_code == 302
    frozen_clock.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    before = len(mail_on.received)
    run_command("send-reminders")
    run_command("send-mail")
    assert not [m for m in mail_on.received[before:] if m.subject.startswith("Final response")]
