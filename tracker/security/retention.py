"""Retention: once a closed case is older than the practice's retention period, the patient's
identifiers and every piece of free text go; the coded figures the reports count stay."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from tracker import clock
from tracker.audit.models import Event
from tracker.cases.models import Case, CaseNote
from tracker.cases.services import record_event
from tracker.cases.workflow import Stage
from tracker.extensions import db
from tracker.settings.models import load_settings

REMOVED = "[removed]"
# Field -> the value it is left with. Coded fields (route, channel, outcome, dates, reviewer,
# stage, closure reason) stay, so monthly figures for past years still add up.
PERSONAL_FIELDS = {
    "nhs_number": None,
    "patient_name": REMOVED,
    "date_of_birth": None,
    "phone": None,
    "email": None,
    "representative_name": None,
    "representative_relationship": None,
    "original_gp_other": None,
    "concern": REMOVED,
    "outcome_summary": None,
    "pals_officer": None,
    "pals_reference": None,
    "pals_response_summary": None,
}
# Events whose detail is free text someone typed (a reason or a note).
FREE_TEXT_DETAIL_KINDS = {"reassigned", "reopened", "closed"}


@dataclass
class Expired:
    reference: str
    closed_at: datetime
    fields: list[str]
    notes: int


def retention_cutoff(now: datetime, years: int) -> datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def expired_cases() -> list[Case]:
    """Closed cases past the retention period whose identifiers are still held."""
    cutoff = retention_cutoff(clock.now_utc(), load_settings().retention_years or 10)
    return list(
        db.session.scalars(
            select(Case)
            .where(
                Case.stage == Stage.CLOSED,
                Case.closed_at < cutoff,
                Case.identifiers_removed_at.is_(None),
            )
            .order_by(Case.closed_at, Case.id)
        )
    )


def _held_fields(case: Case) -> list[str]:
    return [
        name
        for name, left in PERSONAL_FIELDS.items()
        if getattr(case, name) not in (None, "", left)
    ]


def purge_expired(*, dry_run: bool) -> list[Expired]:
    """Remove identifiers and free text from expired cases (or only list them, on a dry run).
    The caller commits."""
    found = []
    for case in expired_cases():
        note_count = len(
            db.session.scalars(select(CaseNote.id).where(CaseNote.case_id == case.id)).all()
        )
        found.append(Expired(case.reference, case.closed_at, _held_fields(case), note_count))
        if dry_run:
            continue
        for name, left in PERSONAL_FIELDS.items():
            setattr(case, name, left)
        case.identifiers_removed_at = clock.now_utc()
        db.session.execute(delete(CaseNote).where(CaseNote.case_id == case.id))
        _redact_events(case.id)
        record_event(
            "identifiers_removed",
            None,
            case,
            detail=f"Retention period passed: identifiers and free text removed "
            f"({len(found[-1].fields)} field(s), {note_count} note(s))",
        )
    return found


def _redact_events(case_id: int) -> None:
    """Blank the personal values inside this case's events. This is the one change the
    tracker makes to an event, required by the retention rule: which events happened, when,
    by whom and between which stages all stay."""
    rows = db.session.execute(
        select(Event.id, Event.kind, Event.changes, Event.detail).where(Event.case_id == case_id)
    ).all()
    for event_id, kind, changes, detail in rows:
        new_changes = {
            key: ([REMOVED if v not in (None, "") else v for v in values]
                  if key in PERSONAL_FIELDS and isinstance(values, list) else values)
            for key, values in (changes or {}).items()
        }  # fmt: skip
        new_detail = REMOVED if detail and kind in FREE_TEXT_DETAIL_KINDS else detail
        if new_changes != (changes or {}) or new_detail != detail:
            db.session.execute(
                update(Event)
                .where(Event.id == event_id)
                .values(changes=new_changes, detail=new_detail)
                .execution_options(synchronize_session=False)
            )
