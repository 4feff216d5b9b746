"""The sender: rows wait while the relay is down and go once it is back, each exactly once;
a row that keeps failing is marked failed with the error, and the practice manager can send
it again; the test message; with no MAIL_SERVER nothing is queued and the manager is told."""

import threading

import pytest
from sqlalchemy import select

from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.mail.sender import MAX_ATTEMPTS, send_pending
from tracker.outbox.models import MailStatus, Notice, OutboxMessage
from tracker.outbox.write import Email, queue_email
from tracker.practices.services import first_practice


def outbox(app):
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        return [(row.recipient, row.status, row.attempts, row.last_error) for row in rows]


def queue_messages(app, count: int) -> None:
    """Queue `count` test messages to different addresses, as one committed change."""
    with app.app_context():
        first_practice()  # the practice the messages are sent for
        for n in range(count):
            queue_email(
                Notice.TEST,
                Email(subject=f"Message {n}", heading="Test", intro="A test."),
                [f"person{n}@practice.example"],
            )
        db.session.commit()


def test_while_the_relay_is_down_rows_wait_and_go_once_when_it_is_back(
    mail_on, smtp_server, log_case, act, staff, run_command, app, frozen_clock
):
    first = log_case()
    second = log_case(confirm_duplicate="yes")
    smtp_server.stop()
    act(staff.reception, first, "assign", {"reviewer": str(staff.other_gp.id)})
    act(staff.reception, second, "assign", {"reviewer": str(staff.senior.id)})

    output = run_command("send-mail")
    assert "0 sent, 1 failed" in output  # the pass stops at the first refused connection
    rows = outbox(app)
    assert [status for _, status, _, _ in rows] == [MailStatus.QUEUED, MailStatus.QUEUED]
    assert rows[0][2] == 1 and "Connection" in rows[0][3]
    assert rows[1][2] == 0

    run_command("send-mail")  # before its retry time the failed row is not tried again...
    rows = outbox(app)
    assert rows[0][2] == 1
    assert rows[1][2] == 1  # ...and the next one is

    smtp_server.start()
    run_command("send-mail")
    assert mail_on.received == []  # each waits for its retry time
    frozen_clock.advance(minutes=1)
    run_command("send-mail")
    run_command("send-mail")
    assert sorted(mail.to for mail in mail_on.received) == sorted(
        [staff.other_gp.email, staff.senior.email]
    )
    assert [(status, attempts) for _, status, attempts, _ in outbox(app)] == [
        (MailStatus.SENT, 2),
        (MailStatus.SENT, 2),
    ]


def test_a_row_that_keeps_failing_is_marked_failed_with_the_error_and_can_be_sent_again(
    mail_on, smtp_server, staff, app, as_user, frozen_clock, run_command
):
    queue_messages(app, 1)
    smtp_server.stop()
    for _ in range(MAX_ATTEMPTS):
        run_command("send-mail")
        frozen_clock.advance(hours=5)
    ((_, status, attempts, error),) = outbox(app)
    assert (status, attempts) == (MailStatus.FAILED, MAX_ATTEMPTS)

    manager = as_user(staff.manager)
    page = text_of(manager.get("/admin/mail"))
    assert "Failed" in page and error in page and "person0@practice.example" in page

    smtp_server.start()
    run_command("send-mail")
    assert mail_on.received == []  # failed rows are not retried on their own
    with app.app_context():
        row_id = db.session.scalar(select(OutboxMessage.id))
    response = manager.post(f"/admin/mail/{row_id}/resend", follow_redirects=True)
    assert "queued again" in text_of(response)
    with app.app_context():
        (requeued,) = db.session.scalars(select(Event).where(Event.kind == "email_requeued")).all()
        assert requeued.actor_id == staff.manager.id
        assert requeued.changes == {"status": ["failed", "queued"]}
        assert "person0@practice.example" in requeued.detail
    run_command("send-mail")
    assert [mail.to for mail in mail_on.received] == ["person0@practice.example"]
    assert outbox(app)[0][1] == MailStatus.SENT
    again = manager.post(f"/admin/mail/{row_id}/resend", follow_redirects=True)
    assert "cannot be sent again" in text_of(again)
    run_command("send-mail")
    assert len(mail_on.received) == 1


def test_the_practice_manager_sends_a_test_message_to_themselves(mail_on, staff, as_user, app):
    response = as_user(staff.manager).post("/admin/mail/test", follow_redirects=True)
    assert f"Test message sent to {staff.manager.email}" in text_of(response)
    with app.app_context():
        assert db.session.scalars(
            select(Event.actor_id).where(Event.kind == "test_email_queued")
        ).all() == [staff.manager.id]
    assert [mail.to for mail in mail_on.received] == [staff.manager.email]
    assert "Test message" in mail_on.received[0].subject
    assert as_user(staff.gp).post("/admin/mail/test").status_code == 403
    assert as_user(staff.gp).get("/admin/mail").status_code == 403


def test_without_mail_server_nothing_is_queued_and_the_manager_is_told(
    app, log_case, act, staff, as_user
):
    assert not app.config.get("MAIL_SERVER")
    reference = log_case(urgent="yes")
    act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    assert outbox(app) == []
    settings = text_of(as_user(staff.manager).get("/admin/settings"))
    assert "Email is off: MAIL_SERVER is not set, so no notification is sent." in settings
    mail_page = as_user(staff.manager).get("/admin/mail")
    assert "Email is off" in text_of(mail_page)
    assert "Send a test message" not in text_of(mail_page)


def test_two_senders_on_one_postgresql_database_send_each_row_once(mail_on, app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite has no row locks: the README says to run one sender there")
    queue_messages(app, 40)
    start = threading.Barrier(2)
    sent = []

    def sender():
        with app.app_context():  # its own session and connection
            start.wait(timeout=10)
            sent.append(send_pending().sent)
            db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    addresses = [mail.to for mail in mail_on.received]
    assert sorted(addresses) == sorted(f"person{n}@practice.example" for n in range(40))
    assert sum(sent) == 40
    assert {status for _, status, _, _ in outbox(app)} == {MailStatus.SENT}
