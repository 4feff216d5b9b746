"""Someone who has left gets no mail: handing on a leaver's cases as their account is
deactivated tells the new reviewer, and nothing goes to the leaver, not even mail queued for
them before they left."""

from sqlalchemy import select

from tests.helpers import text_of
from tests.staff.test_leavers import deactivate
from tracker.extensions import db
from tracker.outbox.models import MailStatus, OutboxMessage


def outbox_for(app, address: str) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == address)
        ).all()
        return [(row.subject, row.status) for row in rows]


def test_handing_on_a_leavers_cases_mails_the_new_reviewer_and_never_the_leaver(
    mail_on, app, staff, log_case, act, as_user, run_command
):
    first = log_case()
    second = log_case(nhs_number="999 000 0026", patient_name="Bea Other")
    for reference in (first, second):
        act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    # Their assignment emails are still waiting in the outbox when they leave.
    assert [status for _, status in outbox_for(app, staff.other_gp.email)] == ["queued"] * 2

    done = deactivate(
        as_user(staff.manager),
        staff.other_gp.id,
        {"mode": "all", "everyone": str(staff.senior.id), "reason": "Dr Second has left"},
    )
    assert done.status_code == 302
    run_command("send-mail")

    assert mail_on.to(staff.other_gp.email) == []
    to_new_reviewer = sorted(mail.subject for mail in mail_on.to(staff.senior.email))
    assert to_new_reviewer == sorted(f"Case {ref} is assigned to you" for ref in (first, second))
    left = outbox_for(app, staff.other_gp.email)
    assert left and all(status == MailStatus.FAILED for _, status in left)
    with app.app_context():
        reasons = db.session.scalars(
            select(OutboxMessage.last_error).where(OutboxMessage.recipient == staff.other_gp.email)
        ).all()
        assert set(reasons) == {"Not sent: the account was deactivated before it went."}

    manager = as_user(staff.manager)
    page = text_of(manager.get("/admin/mail"))
    assert "Not sent: the account was deactivated before it went." in page
    with app.app_context():
        row_id = db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.recipient == staff.other_gp.email)
        )
    again = text_of(manager.post(f"/admin/mail/{row_id}/resend", follow_redirects=True))
    assert "deactivated: no email goes to someone who has left" in again
    run_command("send-mail")  # and nothing later either
    assert mail_on.to(staff.other_gp.email) == []
    assert all(status == MailStatus.FAILED for _, status in outbox_for(app, staff.other_gp.email))
