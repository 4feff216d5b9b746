"""A reviewer hears of a case given to them: one email per assignment, with the link and no
patient identifier, sent once from the outbox; a change that rolls back sends nothing."""

import re

from sqlalchemy import func, select

from tracker.audit.kinds import EventKind
from tracker.audit.models import Event
from tracker.cases.actions import perform
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.extensions import db
from tracker.outbox.models import MailStatus, OutboxMessage
from tracker.staff.models import User

BASE = "https://tracker.practice.example"
PATIENT = {
    "patient_name": "Zebedee Quartermaine",
    "nhs_number": "999 000 0018",
    "concern": "Persistent migraines after the new tablets",
}


def identifiers_absent(text: str) -> None:
    for secret in (
        "Zebedee",
        "Quartermaine",
        "9990000018",
        "999 000 0018",
        "15 March 1984",
        "1984-03-15",
        "15/03/1984",
        "migraines",
        "tablets",
    ):
        assert secret not in text, secret


def test_the_assignee_gets_one_email_per_assignment_with_the_link_and_no_identifiers(
    mail_on, log_case, act, staff, run_command, app, as_user
):
    reference = log_case(**PATIENT)
    response = act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    assert response.status_code == 302

    assert mail_on.received == []  # nothing goes until the sender runs
    output = run_command("send-mail")
    assert "1 sent" in output
    assert len(mail_on.received) == 1
    mail = mail_on.received[0]
    assert mail.to == staff.other_gp.email
    assert reference in mail.subject
    link = re.search(rf"{BASE}/practices/\d+/cases/{reference}", mail.text).group(0)
    assert f'href="{link}"' in mail.html
    # The link opens the case for the person it was sent to.
    opened = as_user(staff.other_gp).get(link.removeprefix(BASE))
    assert opened.status_code == 302 and opened.headers["Location"] == f"/cases/{reference}"
    assert "Assigned" in mail.text  # the stage
    for part in (mail.subject, mail.text, mail.html):
        identifiers_absent(part)

    run_command("send-mail")
    assert len(mail_on.received) == 1  # sent once

    # Reassigned: the new reviewer hears it is theirs, the old one that it has moved on.
    act(staff.manager, reference, "assign", {"reviewer": str(staff.senior.id), "reason": "Leave"})
    run_command("send-mail")
    assert [m.to for m in mail_on.received[1:]] == [staff.senior.email, staff.other_gp.email]
    assert "given to someone else" in mail_on.received[2].subject

    with app.app_context():
        sent = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        assert [row.status for row in sent] == [MailStatus.SENT] * 3
        events = db.session.scalars(
            select(Event).where(Event.kind == EventKind.EMAIL_SENT).order_by(Event.id)
        ).all()
        assert len(events) == 3 and all(e.case_id is not None for e in events)
    timeline = as_user(staff.manager).get(f"/cases/{reference}").get_data(as_text=True)
    assert f"email to {staff.other_gp.email} about {reference}" in timeline


def test_a_change_that_rolls_back_queues_and_sends_nothing(
    mail_on, log_case, staff, app, run_command
):
    reference = log_case()

    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        manager = db.session.get(User, staff.manager.id)
        perform(
            case,
            Action.ASSIGN,
            manager,
            {"reviewer_id": str(staff.other_gp.id), "reason": "", "outside_request": False},
            case.version,
        )
        db.session.flush()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    run_command("send-mail")
    assert mail_on.received == []
