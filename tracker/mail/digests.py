"""The daily summary on working days: each person's cases overdue, due today and new to them,
and the notifications they chose to read there. One per person per day (the outbox row's
key is the person and the date), and none for someone with nothing in it."""

from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from tracker import clock
from tracker.cases import clocks
from tracker.cases.models import Case
from tracker.cases.notices import case_line
from tracker.cases.workflow import Stage
from tracker.extensions import db
from tracker.mail.reminders import practice_calendar
from tracker.outbox.models import MailStatus, Notice, OutboxMessage
from tracker.outbox.write import CaseLine, Email, base_url, case_link, queue_email
from tracker.settings.models import load_settings
from tracker.staff.models import Role, User

SHOWN = 30  # cases listed in each section at most; the rest are counted


def summary_key(user: User, today: date) -> str:
    """One summary a day for each person in each practice they work in."""
    return f"{Notice.DAILY_SUMMARY}:{load_settings().id}:{user.id}:{today.isoformat()}"


def last_summary_at(user: User) -> datetime | None:
    return db.session.scalar(
        select(OutboxMessage.created_at)
        .where(OutboxMessage.user_id == user.id, OutboxMessage.kind == Notice.DAILY_SUMMARY)
        .order_by(OutboxMessage.created_at.desc())
        .limit(1)
    )


def theirs(user: User):
    """Their cases: those they review or owe a call-back on; for reception and the practice
    manager, also the requests waiting for a reviewer."""
    mine = or_(
        Case.reviewer_id == user.id,
        (Case.callback_owner_id == user.id) & clocks.CALLBACK.waiting_condition,
    )
    if user.role in (Role.RECEPTION, Role.PRACTICE_MANAGER):
        return or_(mine, Case.stage == Stage.LOGGED)
    return mine


def _cases(condition) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .where(Case.stage != Stage.CLOSED, condition)
            .order_by(Case.urgent.desc(), Case.received_on, Case.id)
            .limit(SHOWN)
        )
    )


def already_told(user: User, since: datetime) -> set[int]:
    """The cases this person was emailed about as it happened since their last summary (given
    to them, or reopened for them): "New to you" leaves them out rather than say it twice."""
    return set(
        db.session.scalars(
            select(OutboxMessage.case_id).where(
                OutboxMessage.user_id == user.id,
                OutboxMessage.kind.in_([Notice.ASSIGNED, Notice.REOPENED]),
                OutboxMessage.status != MailStatus.HELD,
                OutboxMessage.case_id.is_not(None),
                OutboxMessage.created_at > since,
            )
        )
    )


def summary_for(user: User, today: date) -> tuple[Email, list[OutboxMessage]] | None:
    """The person's summary and the held notifications it gathers, or None when empty."""
    since = last_summary_at(user) or clock.now_utc() - timedelta(days=1)
    overdue = _cases(theirs(user) & clocks.overdue_condition(today))
    due_today = _cases(theirs(user) & clocks.due_today_condition(today))
    told = already_told(user, since)
    new = [
        case
        for case in _cases(
            or_(
                (Case.reviewer_id == user.id) & (Case.assigned_at > since),
                (theirs(user) & (Case.stage == Stage.LOGGED) & (Case.created_at > since)),
            )
        )
        if case not in overdue and case not in due_today and case.id not in told
    ]
    held = list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.user_id == user.id, OutboxMessage.status == MailStatus.HELD)
            .order_by(OutboxMessage.id)
        )
    )
    sections = []
    for title, cases in (("Overdue", overdue), ("Due today", due_today), ("New to you", new)):
        if cases:
            sections.append((f"{title} ({len(cases)})", tuple(case_line(c) for c in cases)))
    if held:
        sections.append(
            (
                "Since your last summary",
                tuple(
                    CaseLine(
                        row.case_reference or "",
                        "",
                        row.summary_line,
                        case_link(row.practice_id, row.case_reference)
                        if row.case_reference
                        else base_url(),
                    )
                    for row in held
                ),
            )
        )
    if not sections:
        return None
    subject = f"Your second opinion cases for {clock.format_date(today)}"
    email = Email(
        subject=subject,
        heading=subject,
        intro="What is overdue, due today and new to you in the Second Opinion Tracker.",
        sections=tuple(sections),
        link=f"{base_url()}/",
        link_text="Open the tracker",
    )
    return email, held


def send_digests(today: date | None = None) -> int:
    """Queue today's summaries for the people of the practice being worked in (none on its
    weekends or bank holidays); returns how many."""
    today = today or clock.today_london()
    if not practice_calendar().is_working_day(today):
        return 0
    queued = 0
    people = db.session.scalars(
        select(User).where(User.active.is_(True), User.membership.has()).order_by(User.id)
    )
    for user in people:
        found = summary_for(user, today)
        if found is None:
            continue
        email, held = found
        rows = queue_email(Notice.DAILY_SUMMARY, email, [user], dedupe_key=summary_key(user, today))
        if rows:
            for row in held:
                row.status = MailStatus.SUMMARISED
            queued += 1
    return queued
