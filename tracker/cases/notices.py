"""The emails a change to a case causes, written to the outbox in the change's transaction.

Each says only the case's reference, its stage, what is due and by when, what to do and a
link: never the patient's name, NHS number, date of birth or concern.
"""

from datetime import date
from typing import Any

from sqlalchemy import select

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases import clocks
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.outbox.models import Notice
from tracker.outbox.write import CaseLine, Email, case_link, queue_email
from tracker.settings.models import load_settings
from tracker.staff.models import Role, User, works_as

# What the notice asks of its reader, for each kind about one case.
TODO = {
    Notice.ASSIGNED: "Open the case, read the request and start the review.",
    Notice.REASSIGNED_AWAY: "Nothing: the case has moved to someone else. It stays in the tracker's history.",
    Notice.REOPENED: "Open the case, read why it was reopened and start the review again.",
    Notice.URGENT: "Make sure the duty doctor reads the case today, then record on the case who was told and when.",
    Notice.ACKNOWLEDGEMENT_DUE: "Acknowledge the complaint to the patient and record the acknowledgement on the case.",
    Notice.OUTCOME_DUE: "Record the outcome of the review on the case.",
    Notice.PALS_NO_RESPONSE: "Contact the PALS office about the referral, then record any response on the case.",
    Notice.RESPONSE_DUE: "Send the final response, or agree a new date with the complainant and record it in the complaint plan (the delay letter says why).",
    Notice.ACTION_DUE: "Open the action, then record your progress, or that it is done with the evidence.",
}


def next_due(case: Case, today: date | None = None) -> str:
    """The case's next target not yet met, as "Record the outcome by 3 December 2026"."""
    upcoming = clocks.row_state(clocks.due_dates(case, today or clock.today_london())).next
    if upcoming is None:
        return ""
    return f"{upcoming.name} by {clock.format_date(upcoming.due_on)}"


def case_line(case: Case, due: str | None = None) -> CaseLine:
    return CaseLine(
        case.reference,
        case.stage_label,
        next_due(case) if due is None else due,
        case_link(case.practice_id, case.reference),
    )


def case_email(kind: Notice, case: Case, subject: str, intro: str, due: str | None = None) -> Email:
    """An email about one case: its reference, stage, what is due, what to do and a link."""
    due = next_due(case) if due is None else due
    facts = [("Reference", case.reference), ("Stage", case.stage_label)]
    if due:
        facts.append(("Due", due))
    return Email(
        subject=subject,
        heading=subject,
        intro=intro,
        facts=tuple(facts),
        todo=TODO.get(kind, ""),
        link=case_link(case.practice_id, case.reference),
        summary_line=f"{subject}" + (f" ({due})" if due else ""),
    )


def notify(
    kind: Notice,
    case: Case,
    recipients: list[User | str],
    subject: str,
    intro: str,
    *,
    due: str | None = None,
    dedupe_key: str | None = None,
):
    """Queue this kind of email about the case for each recipient."""
    return queue_email(
        kind,
        case_email(kind, case, subject, intro, due),
        recipients,
        case_id=case.id,
        case_reference=case.reference,
        dedupe_key=dedupe_key,
    )


def practice_managers() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(works_as(Role.PRACTICE_MANAGER), User.active.is_(True))
        )
    )


def _person(user_id: int | None, actor: User) -> User | None:
    """The person to tell, unless they made the change themselves."""
    if user_id is None or user_id == actor.id:
        return None
    return db.session.get(User, user_id)


def _from_elsewhere(reviewer: User) -> str:
    """For a GP of another practice in the PCN: whose case it is and what they will see."""
    if not reviewer.works_at:
        return ""
    here = load_settings().practice_name
    return (
        f" It is a case of {here}, another practice in your PCN, given to you as a GP at "
        f"{reviewer.works_at}. The link opens it in {here}: you will see the cases {here} "
        "gives you and nothing else of the practice."
    )


def urgent_logged(case: Case) -> None:
    """An urgent clinical concern: the duty doctor's mailbox and the practice manager."""
    settings = load_settings()
    recipients: list[User | str] = [*practice_managers()]
    if settings.duty_doctor_mailbox:
        recipients.insert(0, settings.duty_doctor_mailbox)
    intro = "A request with an urgent clinical concern has been logged. The duty doctor should be told by the end of today."
    if not settings.duty_doctor_mailbox:
        intro += (
            " No duty doctor mailbox is set in the practice settings, so this email went to the "
            "practice manager only: tell the duty doctor yourself."
        )
    notify(
        Notice.URGENT, case, recipients, f"Urgent clinical concern logged: {case.reference}", intro
    )


def after_intake(case: Case) -> None:
    if case.urgent:
        urgent_logged(case)


def after_action(
    case: Case,
    kind: EventKind,
    actor: User,
    previous_reviewer_id: int | None,
    changes: dict[str, Any],
) -> None:
    """The emails this action on the case causes."""
    if kind in (EventKind.ASSIGNED, EventKind.REASSIGNED, EventKind.HANDED_ON):
        reviewer = _person(case.reviewer_id, actor)
        if reviewer is not None and case.reviewer_id != previous_reviewer_id:
            notify(
                Notice.ASSIGNED,
                case,
                [reviewer],
                f"Case {case.reference} is assigned to you",
                "A request for a second opinion has been given to you to review."
                + _from_elsewhere(reviewer),
            )
        before = _person(previous_reviewer_id, actor)
        if before is not None and case.reviewer_id != previous_reviewer_id:
            notify(
                Notice.REASSIGNED_AWAY,
                case,
                [before],
                f"Case {case.reference} has been given to someone else",
                "A case you were reviewing is now with another reviewer.",
            )
    elif kind == EventKind.REOPENED:
        reviewer = _person(case.reviewer_id, actor)
        if reviewer is not None:
            notify(
                Notice.REOPENED,
                case,
                [reviewer],
                f"Case {case.reference} is reopened and given to you",
                "A closed case has been reopened and given to you to review.",
            )
    if (changes.get("urgent") or [None, None])[1] is True and not changes["urgent"][0]:
        urgent_logged(case)
