"""No email of any kind holds a patient identifier: every kind is caused here for a patient
with distinctive details, and every message the SMTP server receives is searched for them."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.mail.test_digests import PATIENT
from tracker.extensions import db
from tracker.outbox.models import MailStatus, Notice, OutboxMessage
from tracker.settings.models import load_settings

IDENTIFIERS = (
    "Zebedee",
    "Quartermaine",
    "9990000018",
    "999 000 0018",
    "15 March 1984",
    "1984-03-15",
    "15/03/1984",
    "migraines",
    "tablets",
    "01632 960123",
    "zebedee@example.com",
)
FORM_PATIENT = {
    "patient_name": "Zebedee Quartermaine",
    "nhs_number": "999 000 0018",
    "concern": "Persistent migraines after the new tablets",
    "phone": "01632 960123",
    "email": "zebedee@example.com",
}


def test_no_kind_of_email_holds_a_patient_identifier(
    mail_on, app, staff, log_case, act, place_case, as_user, run_command, frozen_clock
):
    with app.app_context():
        settings = load_settings()
        settings.duty_doctor_mailbox = "duty.doctor@practice.example"
        settings.reception_mailbox = "reception@practice.example"
        db.session.add(settings)
        db.session.commit()
    # Assigned, then given to someone else (assigned to them, reassigned away from the first)
    reference = log_case(**FORM_PATIENT)
    act(staff.reception, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    act(staff.manager, reference, "assign", {"reviewer": str(staff.senior.id), "reason": "Leave"})
    # An urgent concern
    log_case(urgent="yes", confirm_duplicate="yes", **FORM_PATIENT)
    # Reopened to someone
    closed = place_case(
        received_on=date(2026, 10, 1),
        stage="closed",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=datetime(2026, 10, 2, 10, tzinfo=UTC),
        outcome_clock_from=datetime(2026, 10, 2, 10, tzinfo=UTC),
        closed_at=datetime(2026, 10, 20, 10, tzinfo=UTC),
        closure_reason="withdrawn",
        **PATIENT,
    )
    response = act(
        staff.manager,
        closed,
        "reopen",
        {"reason": "Patient rang", "reviewer": str(staff.other_gp.id)},
    )
    assert response.status_code == 302
    # Reminders: an acknowledgement, an outcome, PALS
    place_case(received_on=date(2026, 11, 19), formal_complaint=True, **PATIENT)
    place_case(
        received_on=date(2026, 11, 2),
        stage="referred_to_pals",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
        outcome_clock_from=datetime(2026, 11, 2, 10, tzinfo=UTC),
        outcome_recorded_at=datetime(2026, 11, 5, 10, tzinfo=UTC),
        outcome="confirmed",
        pals_referred_on=date(2026, 11, 5),
        pals_referred_by="practice",
        **PATIENT,
    )
    place_case(
        received_on=date(2026, 11, 2),
        stage="in_review",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=datetime(2026, 11, 2, 10, tzinfo=UTC),
        outcome_clock_from=datetime(2026, 11, 2, 10, tzinfo=UTC),
        **PATIENT,
    )
    # An improvement action due today, raised from a case (its words stay in the tracker).
    with app.app_context():
        from tracker.cases.improvement import ImprovementAction
        from tracker.cases.models import Case

        some_case = db.session.scalar(select(Case.id).order_by(Case.id))
        db.session.add(
            ImprovementAction(
                case_id=some_case,
                description=f"Talk to {FORM_PATIENT['patient_name']} again",
                owner_id=staff.gp.id,
                due_on=date(2026, 11, 24),
                created_by_id=staff.manager.id,
                practice_id=db.session.scalar(select(Case.practice_id).where(Case.id == some_case)),
            )
        )
        db.session.commit()
    # A formal complaint's final response due today, on the date agreed.
    place_case(
        received_on=date(2026, 11, 3),
        formal_complaint=True,
        acknowledged_on=date(2026, 11, 4),
        acknowledgement_method="letter",
        response_due_on=date(2026, 11, 24),
        **PATIENT,
    )
    run_command("send-reminders")
    run_command("send-digests")
    as_user(staff.manager).post("/admin/mail/test")
    run_command("send-mail")

    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert {row.status for row in rows} == {MailStatus.SENT}
        assert {row.kind for row in rows} == {kind.value for kind in Notice}
    assert len(mail_on.received) == len(rows)
    for mail in mail_on.received:
        for part in (mail.subject, mail.text, mail.html):
            for secret in IDENTIFIERS:
                assert secret not in part, (mail.subject, secret)
