"""/admin/mail: the practice manager sees the outbox (queued, sent, failed with the error),
sends a message again, and sends a test message to themselves."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db
from tracker.forms import Form
from tracker.mail.sender import MAX_ATTEMPTS, send_pending, where_mail_goes
from tracker.outbox.models import MailStatus, Notice, OutboxMessage
from tracker.outbox.write import Email, base_url, mail_enabled, queue_email, receives_mail
from tracker.staff.access import roles_required
from tracker.staff.models import Role, User

bp = Blueprint("mail", __name__, url_prefix="/admin")

PAGE_SIZE = 50
RESENDABLE = (MailStatus.FAILED, MailStatus.QUEUED)


class ButtonForm(Form):
    """A button's form: the CSRF token alone."""


@bp.route("/mail")
@roles_required(Role.PRACTICE_MANAGER)
def index():
    status = request.args.get("status", "")
    if status and status not in {s.value for s in MailStatus}:
        status = ""
    page = max(1, request.args.get("page", 1, type=int) or 1)
    query = select(OutboxMessage)
    if status:
        query = query.where(OutboxMessage.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = min(page, max(1, -(-total // PAGE_SIZE)))  # a page past the end shows the last
    rows = db.session.scalars(
        query.order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    return render_template(
        "admin/mail.jinja",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        status=status,
        statuses=list(MailStatus),
        counts=counts,
        resendable=RESENDABLE,
        mail_status=where_mail_goes(),
        mail_on=mail_enabled(),
        base_url=base_url(),
        button_form=ButtonForm(),
        max_attempts=MAX_ATTEMPTS,
    )


@bp.route("/mail/<int:message_id>/resend", methods=["POST"])
@roles_required(Role.PRACTICE_MANAGER)
def resend(message_id: int):
    if not ButtonForm().validate_on_submit():
        abort(400)
    row = db.session.get(OutboxMessage, message_id)
    if row is None:
        abort(404)
    if row.status not in RESENDABLE:
        flash(
            f"The email to {row.recipient} is {row.status_enum.label.lower()}: it cannot be sent again.",
            "error",
        )
        return redirect(url_for("mail.index"))
    if row.user_id is not None and not receives_mail(db.session.get(User, row.user_id)):
        flash(
            f"{row.recipient} belongs to an account that has been deactivated: no email goes to "
            "someone who has left.",
            "error",
        )
        return redirect(url_for("mail.index"))
    record_event(
        EventKind.EMAIL_REQUEUED,
        current_user,
        case_id=row.case_id,
        changes={"status": [row.status, MailStatus.QUEUED.value]},
        detail=f"{Notice.label_of(row.kind)} to {row.recipient}, after {row.attempts} attempt(s)",
    )
    row.status = MailStatus.QUEUED
    row.attempts = 0
    row.next_attempt_at = clock.now_utc()
    db.session.commit()
    flash(
        f"The email to {row.recipient} is queued again: the sender tries it on its next pass.",
        "success",
    )
    return redirect(url_for("mail.index"))


@bp.route("/mail/test", methods=["POST"])
@roles_required(Role.PRACTICE_MANAGER)
def send_test():
    if not ButtonForm().validate_on_submit():
        abort(400)
    if not mail_enabled():
        flash(
            "Email is off: set MAIL_SERVER (see the README) before sending a test message.", "error"
        )
        return redirect(url_for("mail.index"))
    email = Email(
        subject="Test message from the Second Opinion Tracker",
        heading="Test message",
        intro=f"{current_user.full_name} sent this test from the mail page. If you can read it, the tracker's email reaches you.",
        link=f"{base_url()}/admin/mail",
        link_text="Open the mail page",
    )
    rows = queue_email(Notice.TEST, email, [current_user])
    if rows:
        record_event(
            EventKind.TEST_EMAIL_QUEUED, current_user, detail=f"Test email to {current_user.email}"
        )
    db.session.commit()
    if not rows:
        flash("Your account has no email address to send a test to.", "error")
        return redirect(url_for("mail.index"))
    result = send_pending(only_id=rows[0].id)
    if result.sent:
        flash(f"Test message sent to {current_user.email}.", "success")
    else:
        error = result.errors[0] if result.errors else "it is waiting for another sender"
        flash(
            f"The test message could not be sent yet ({error}). It stays in the outbox and is tried again.",
            "error",
        )
    return redirect(url_for("mail.index"))
