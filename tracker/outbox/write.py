"""Writing email to the outbox, in the caller's transaction: the row commits or rolls back
with the change that caused it. No patient identifier is ever put in an email: only the
case's reference, its stage, a due date, what to do and a link."""

from dataclasses import dataclass, field

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker import clock
from tracker.extensions import db
from tracker.outbox.models import (
    ALWAYS_IMMEDIATE,
    Delivery,
    MailStatus,
    Notice,
    NotificationPreference,
    OutboxMessage,
)
from tracker.settings.models import load_settings
from tracker.staff.models import User


@dataclass(frozen=True)
class CaseLine:
    """One case in a list: its reference, stage and what is due, with a link to it."""

    reference: str
    stage: str
    due: str
    link: str

    @property
    def text(self) -> str:
        return " – ".join(part for part in (self.reference, self.stage, self.due) if part)


@dataclass(frozen=True)
class Email:
    """What an email says, before it is rendered as plain text and HTML."""

    subject: str
    heading: str
    intro: str
    facts: tuple[tuple[str, str], ...] = ()
    todo: str = ""
    link: str = ""
    link_text: str = "Open the case in the tracker"
    sections: tuple[tuple[str, tuple[CaseLine, ...]], ...] = field(default=())
    summary_line: str = ""


def receives_mail(user: User | None) -> bool:
    """Whether mail may go to this person: an active account with an email address, of
    someone who works in the practice the mail is about. Someone who has left (a deactivated
    account, or no role in this practice any more) gets nothing, whenever it was queued."""
    return user is not None and user.active and bool(user.email) and user.membership is not None


def mail_enabled() -> bool:
    """True when there is somewhere to send mail: an SMTP relay, or the demo's mail file."""
    config = current_app.config
    return bool(config.get("MAIL_SERVER") or config.get("MAIL_FILE"))


def base_url() -> str:
    return (current_app.config.get("APP_BASE_URL") or "").rstrip("/")


def case_link(practice_id: int, reference: str) -> str:
    """The case's address naming its practice: it opens the case in that practice for
    whoever works there, whichever practice they were last working in."""
    return f"{base_url()}/practices/{practice_id}/cases/{reference}"


def render_text(email: Email, practice_name: str) -> str:
    lines = [email.heading, "", email.intro, ""]
    if email.facts:
        lines += [f"{label}: {value}" for label, value in email.facts] + [""]
    for title, items in email.sections:
        lines += [title, ""] + [f"- {item.text}\n  {item.link}" for item in items] + [""]
    if email.todo:
        lines += [f"What to do: {email.todo}", ""]
    if email.link:
        lines += [f"{email.link_text}: {email.link}", ""]
    lines += [
        "--",
        f"{practice_name} · Second Opinion Tracker",
        "This email holds no patient details: sign in to the tracker to see the case.",
        f"Choose which emails you get: {base_url()}/account/notifications",
    ]
    return "\n".join(lines) + "\n"


def render_html(email: Email, practice_name: str) -> str:
    return render_template(
        "mail/message.html.jinja",
        email=email,
        practice_name=practice_name,
        preferences_link=f"{base_url()}/account/notifications",
    )


def delivery_for(user_id: int, kind: Notice) -> Delivery:
    """As it happens unless this person chose their daily summary for this kind."""
    if kind in ALWAYS_IMMEDIATE:
        return Delivery.IMMEDIATE
    chosen = db.session.get(NotificationPreference, (user_id, kind.value))
    return Delivery(chosen.delivery) if chosen else Delivery.IMMEDIATE


def already_queued(dedupe_key: str) -> bool:
    return (
        db.session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key).limit(1)
        )
        is not None
    )


def queue_email(
    kind: Notice,
    email: Email,
    recipients: list[User | str],
    *,
    case_id: int | None = None,
    case_reference: str | None = None,
    dedupe_key: str | None = None,
) -> list[OutboxMessage]:
    """One outbox row per recipient (a person, or a shared mailbox's address), added to the
    session: nothing is queued while mail is off or the practice has turned this kind off.
    With a dedupe key, a recipient who already has that key gets nothing new."""
    if not mail_enabled():
        return []
    settings = load_settings()
    if kind is not Notice.TEST and not settings.notice_on(kind):
        return []
    practice_name = settings.practice_name
    text_body = render_text(email, practice_name)
    html_body = render_html(email, practice_name)
    queued, seen = [], set()
    for recipient in recipients:
        if isinstance(recipient, User):
            if not receives_mail(recipient):
                continue
            address, user_id = recipient.email, recipient.id
            held = delivery_for(recipient.id, kind) is Delivery.DAILY_SUMMARY
        else:
            address, user_id, held = recipient.strip(), None, False
        if not address or address.lower() in seen:
            continue
        seen.add(address.lower())
        key = f"{dedupe_key}:{address.lower()}"[:120] if dedupe_key else None
        if key and already_queued(key):
            continue
        row = OutboxMessage(
            kind=kind.value,
            recipient=address,
            user_id=user_id,
            case_id=case_id,
            case_reference=case_reference,
            subject=email.subject,
            summary_line=(email.summary_line or email.subject)[:300],
            text_body=text_body,
            html_body=html_body,
            status=MailStatus.HELD if held else MailStatus.QUEUED,
            attempts=0,
            next_attempt_at=clock.now_utc(),
            dedupe_key=key,
        )
        if key:  # a second run racing this one: its row wins and this one is dropped
            try:
                with db.session.begin_nested():
                    db.session.add(row)
            except IntegrityError:
                continue
        else:
            db.session.add(row)
        queued.append(row)
    return queued
