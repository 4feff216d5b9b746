"""Retention: once a closed case is older than the practice's retention period, the patient's
identifiers, every piece of free text and every document go; the coded figures the reports
count stay."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.models import Event, EventPersonalData
from tracker.cases import attachments
from tracker.cases.case_fields import REMOVED, RETENTION
from tracker.cases.history import record_case_event
from tracker.cases.improvement import ImprovementAction, ImprovementNote
from tracker.cases.letters.models import CaseLetter
from tracker.cases.models import Case, CaseContact, CaseNote
from tracker.cases.workflow import Stage
from tracker.extensions import db
from tracker.settings.models import load_settings

# What the purge keeps of a case, column by column. Every column of a case is either kept here
# or blanked (BLANKED); a new column is neither until someone decides which.
#
# The coded figures the monthly report, the complaints report and their CSV and Excel files
# count, so a past month reads the same after its cases' identifiers have gone.
KEPT_FOR_FIGURES = frozenset(
    {
        "stage",
        "received_on",
        "channel",
        "route_requested",
        "formal_complaint",
        "urgent",
        "original_gp_id",
        "reviewer_id",
        "first_assigned_at",
        "assigned_at",
        "outcome_clock_from",
        "outcome_recorded_at",
        "outcome",
        "patient_response",
        "working_days_to_assign",
        "working_days_to_outcome",
        "assign_target_days",
        "acknowledge_target_days",
        "outcome_target_days",
        "pals_referred_on",
        "pals_response_on",
        "closed_at",
        "closure_reason",
        "complaint_finding",
        "registered_elsewhere_on",
        # What the KO41(b) return counts: the age on receipt (the date of birth goes) and
        # whether someone acted for the patient (their name goes).
        "age_on_receipt",
        "made_on_behalf",
        # The complaint plan's dates: the response target and when it was met.
        "discussion_offer",
        "discussed_on",
        "response_due_on",
        "response_sent_on",
        # A significant event, counted in the learning report, and how it was handled.
        "significant_event",
        "sea_reference",
        "candour_applies",
        "candour_told_on",
    }
)
# The rest of the record: its reference and numbering, who logged and last changed it, the bank
# holidays and due dates it was measured by, the coded steps of its history (none of them names
# or describes the patient), and when the purge ran.
KEPT_RECORD = frozenset(
    {
        "id",
        "practice_id",
        "reference",
        "year",
        "sequence",
        "version",
        "nhs_number_unknown",
        "preferred_contact",
        "representative_consent",
        "representative_consent_on",
        "representative_consent_form",
        "callback_due_on",
        "callback_owner_id",
        "callback_done_at",
        "already_discussed_with_own_gp",
        "bank_holiday_region",
        "pals_chase_working_days",
        "assign_due_on",
        "duty_doctor_due_on",
        "acknowledge_due_on",
        "outcome_due_on",
        "pals_chase_due_on",
        "duty_doctor_told_at",
        "duty_doctor_name",
        "acknowledged_on",
        "acknowledgement_method",
        "route_waived",
        "review_started_at",
        "appointment_at",
        "review_of_notes",
        "pals_referred_by",
        "pals_service",
        "identifiers_removed_at",
        "created_at",
        "created_by_id",
        "updated_at",
        "updated_by_id",
        "last_change_at",
        "response_signed_by_id",
    }
)
KEPT = KEPT_FOR_FIGURES | KEPT_RECORD
# Every other column: the patient's identifiers and the free text about them, as the registry of
# case fields marks them (personal), each with what it is left holding (the two that cannot be
# empty say "[removed]"). The case's notes, documents, letters and the personal details beside
# its events go whole.
BLANKED = RETENTION


@dataclass
class Expired:
    reference: str
    closed_at: datetime
    fields: list[str]
    notes: int
    documents: int = 0
    letters: int = 0


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
    return [name for name, left in BLANKED.items() if getattr(case, name) not in (None, "", left)]


def purge_expired(*, dry_run: bool) -> list[Expired]:
    """Remove identifiers and free text from expired cases (or only list them, on a dry run).
    The caller commits."""
    found = []
    for case in expired_cases():
        note_count = len(
            db.session.scalars(select(CaseNote.id).where(CaseNote.case_id == case.id)).all()
        )
        document_count = len(attachments.all_for(case.id))
        letter_count = len(
            db.session.scalars(select(CaseLetter.id).where(CaseLetter.case_id == case.id)).all()
        )
        found.append(
            Expired(
                case.reference,
                case.closed_at,
                _held_fields(case),
                note_count,
                documents=document_count,
                letters=letter_count,
            )
        )
        if dry_run:
            continue
        for name, left in BLANKED.items():
            setattr(case, name, left)
        case.identifiers_removed_at = clock.now_utc()
        db.session.execute(delete(CaseNote).where(CaseNote.case_id == case.id))
        # What was written on the case's improvement actions may name the patient: the actions
        # stay (the learning report counts them), their words go.
        actions = select(ImprovementAction.id).where(ImprovementAction.case_id == case.id)
        db.session.execute(delete(ImprovementNote).where(ImprovementNote.action_id.in_(actions)))
        db.session.execute(
            update(ImprovementAction)
            .where(ImprovementAction.case_id == case.id)
            .values(description=REMOVED, evidence=None)
        )
        # A contact's note is what was said to the patient or about them.
        db.session.execute(delete(CaseContact).where(CaseContact.case_id == case.id))
        attachments.remove_all(case.id)
        # A letter sent is the patient's name, address and what was said to them.
        db.session.execute(delete(CaseLetter).where(CaseLetter.case_id == case.id))
        _remove_event_personal_data(case.id)
        record_case_event(
            EventKind.IDENTIFIERS_REMOVED,
            None,
            case,
            detail=f"Retention period passed: identifiers and free text removed "
            f"({len(found[-1].fields)} field(s), {note_count} note(s), "
            f"{document_count} document(s), {letter_count} letter(s))",
        )
    return found


def _remove_event_personal_data(case_id: int) -> None:
    """Remove the patient's details recorded beside this case's events. The events themselves
    (what happened, when, by whom, between which stages) are never changed."""
    db.session.execute(
        delete(EventPersonalData).where(
            EventPersonalData.event_id.in_(select(Event.id).where(Event.case_id == case_id))
        )
    )
