"""Delivering the outbox: each row claimed by one sender, sent once, marked sent and audited;
a failure is retried later with a growing wait, and given up on (failed, with the error)
after the last attempt.

On PostgreSQL a row is claimed with SELECT ... FOR UPDATE SKIP LOCKED and stays locked until
it is marked, so any number of senders on any number of hosts never send a row twice. SQLite
has no row locks: run one sender.
"""

import contextlib
import logging
import smtplib
import ssl
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

from flask import current_app
from sqlalchemy import select

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db
from tracker.outbox.models import MailStatus, Notice, OutboxMessage
from tracker.outbox.write import mail_enabled, receives_mail
from tracker.practices.scope import in_practice
from tracker.staff.models import User

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BATCH = 200  # rows one pass sends at most; the next pass takes the rest


def retry_wait(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failure, at most 4 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 240))


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...
    def close(self) -> None: ...


class SMTPTransport:
    """The practice's relay (NHSmail: smtp.nhs.net, port 587, STARTTLS, an account)."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        timeout = config.get("MAIL_TIMEOUT_SECONDS", 20)
        if config.get("MAIL_USE_SSL"):
            connection = smtplib.SMTP_SSL(
                config["MAIL_SERVER"],
                config["MAIL_PORT"],
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            connection = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
            if config.get("MAIL_USE_TLS"):
                connection.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            connection.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        return connection

    def send(self, message: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.send_message(message)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(OSError):  # already gone: nothing to close
                self.connection.quit()
            self.connection = None


class FileTransport:
    """The demo's mail: appended to a file (or written to the console for "-")."""

    def __init__(self, path: str):
        self.path = path

    def send(self, message: EmailMessage) -> None:
        """The headers and the plain-text part, readable as they are (the HTML part, the
        same words styled, is left out)."""
        headers = "".join(
            f"{name}: {message[name]}\n" for name in ("Date", "From", "To", "Subject")
        )
        body = message.get_body(preferencelist=("plain",)).get_content()
        text = f"{'=' * 72}\n{headers}\n{body}\n"
        if self.path == "-":
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a", encoding="utf-8") as out:
            out.write(text)

    def close(self) -> None:
        return None


def transport_for(config) -> Transport:
    if config.get("MAIL_SERVER"):
        return SMTPTransport(config)
    return FileTransport(config["MAIL_FILE"])


def where_mail_goes() -> str:
    """Where email goes, for the settings page and the commands; a warning when the links in
    emails would have no address to start from."""
    said = _where_mail_goes(current_app.config)
    if mail_enabled() and not current_app.config.get("APP_BASE_URL"):
        said += " APP_BASE_URL is not set, so the links in emails do not work: set it to the address staff open the tracker at."
    return said


def _where_mail_goes(config) -> str:
    if config.get("MAIL_SERVER"):
        security = (
            "SSL"
            if config.get("MAIL_USE_SSL")
            else "STARTTLS"
            if config.get("MAIL_USE_TLS")
            else "no encryption"
        )
        return (
            f"Email goes through {config['MAIL_SERVER']} port {config['MAIL_PORT']} ({security})."
        )
    if config.get("MAIL_FILE") == "-":
        return "Demo email is written to the console of the mail worker, not sent."
    if config.get("MAIL_FILE"):
        return f"Demo email is written to the file {config['MAIL_FILE']}, not sent."
    return "Email is off: MAIL_SERVER is not set, so no notification is sent."


def build_message(row: OutboxMessage, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = sender
    message["To"] = row.recipient
    message["Date"] = format_datetime(clock.now_utc())
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    return message


def claim_next(now: datetime, only_id: int | None = None) -> OutboxMessage | None:
    """The next row due to go, locked for this sender (skipping rows another holds)."""
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == MailStatus.QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if only_id is not None:
        query = query.where(OutboxMessage.id == only_id)
    return db.session.scalars(query).first()


@dataclass
class Pass:
    """What one pass of the sender did."""

    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    stopped_early: bool = False


def _record_sent(row: OutboxMessage) -> None:
    """An "Email sent" event: its kind, recipient and case reference, on the case's timeline."""
    about = f" about {row.case_reference}" if row.case_reference else ""
    record_event(
        EventKind.EMAIL_SENT,
        None,
        case_id=row.case_id,
        detail=f"{Notice.label_of(row.kind)}: email to {row.recipient}{about}",
    )


def relay_unusable(problem: OSError) -> bool:
    """The relay cannot be reached or refuses the account: every row would fail the same way,
    so the pass stops and tries again later. (A refused recipient fails that row alone.)"""
    if isinstance(
        problem,
        smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | smtplib.SMTPAuthenticationError,
    ):
        return True
    return not isinstance(problem, smtplib.SMTPException)  # a socket error: nothing answered


def send_pending(
    *, limit: int = BATCH, transport: Transport | None = None, only_id: int | None = None
) -> Pass:
    """Send the rows that are due, one transaction each: claim, send, mark sent, commit."""
    result = Pass()
    if not mail_enabled():
        return result
    config = current_app.config
    transport = transport or transport_for(config)
    sender = config.get("MAIL_DEFAULT_SENDER") or "tracker@localhost"
    try:
        for _ in range(limit):
            now = clock.now_utc()
            row = claim_next(now, only_id)
            if row is None:
                db.session.rollback()
                break
            # The row's own practice: its recipient's account there, and the event on its
            # case's timeline.
            with in_practice(row.practice_id):
                if row.user_id is not None and not receives_mail(db.session.get(User, row.user_id)):
                    # Queued before the account was deactivated: someone who has left gets nothing.
                    row.status = MailStatus.FAILED
                    row.last_error = "Not sent: the account was deactivated before it went."
                    db.session.commit()
                    continue
                try:
                    transport.send(build_message(row, sender))
                except OSError as problem:  # smtplib's errors are OSErrors too
                    row.attempts += 1
                    row.last_error = f"{type(problem).__name__}: {problem}"[:1000]
                    if row.attempts >= MAX_ATTEMPTS:
                        row.status = MailStatus.FAILED
                    else:
                        row.next_attempt_at = now + retry_wait(row.attempts)
                    db.session.commit()
                    result.failed += 1
                    result.errors.append(row.last_error)
                    if relay_unusable(problem):
                        log.warning(
                            "Mail relay unreachable, trying again later: %s", row.last_error
                        )
                        result.stopped_early = True
                        break
                    continue
                row.status = MailStatus.SENT
                row.sent_at = now
                row.attempts += 1
                row.last_error = None
                _record_sent(row)
                db.session.commit()
                result.sent += 1
    finally:
        transport.close()
    return result
