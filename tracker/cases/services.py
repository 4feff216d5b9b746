"""The work behind every case form: rules, changes and the event that records them.

Routes parse forms and call these; each call writes its audit event in the same session,
and the route commits once.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from tracker import clock
from tracker.audit.models import PERSONAL_FIELDS, Event, EventPersonalData
from tracker.cases.codes import Route
from tracker.cases.models import Case, CaseNote, CaseSequence, count_working_days
from tracker.cases.workflow import (
    WORKFLOW,
    Action,
    Stage,
    can_take,
    closure_reasons_for,
    permitted_stages,
)
from tracker.extensions import db
from tracker.staff.models import Role, User
from tracker.workdays import WorkingCalendar


class CaseError(Exception):
    """A request about a case that cannot be carried out, with a message for the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(CaseError):
    """This person may not take this action on this case as it stands."""


class StaleCase(CaseError):
    """The case changed after the form was opened."""

    def __init__(self, case: Case):
        when = clock.to_london(case.updated_at).strftime("%-d %B %Y at %H:%M")
        super().__init__(
            f"{case.updated_by.full_name} changed this case on {when}, after you opened this form. "
            "Nothing was saved. Your entries are below: check the case as it is now, then submit again."
        )


# Fields compared before and after each action, to record what changed.
TRACKED_FIELDS = (
    "stage", "nhs_number", "nhs_number_unknown", "patient_name", "date_of_birth", "phone", "email",
    "preferred_contact", "representative_name", "representative_relationship", "representative_consent",
    "received_on", "channel", "original_gp_id", "original_gp_other", "concern", "route_requested",
    "already_discussed_with_own_gp", "formal_complaint", "urgent", "acknowledged_on",
    "acknowledgement_method", "reviewer_id", "appointment_at",
    "review_of_notes", "outcome", "outcome_summary", "patient_response", "pals_referred_on",
    "pals_referred_by", "pals_service", "pals_officer", "pals_reference", "pals_response_on",
    "pals_response_summary", "closure_reason", "complaint_finding", "registered_elsewhere_on",
)  # fmt: skip
USER_FIELDS = {"reviewer_id": "reviewer", "original_gp_id": "original_gp"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(case: Case) -> dict[str, Any]:
    """The tracked fields as JSON-ready values (people by name)."""
    values = {}
    for name in TRACKED_FIELDS:
        if name in USER_FIELDS:
            person = db.session.get(User, getattr(case, name)) if getattr(case, name) else None
            values[USER_FIELDS[name]] = person.full_name if person else None
        else:
            values[name] = _plain(getattr(case, name))
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), value] for key, value in after.items() if before.get(key) != value
    }


def record_event(
    kind: str,
    actor: User | None,
    case: Case | None = None,
    *,
    from_stage: str | None = None,
    to_stage: str | None = None,
    changes: dict[str, list[Any]] | None = None,
    detail: str | None = None,
    personal_detail: str | None = None,
) -> Event:
    """Add an event to the session; it is committed with the change it describes.

    `detail` is the system's own description; `personal_detail` is text someone typed (a reason,
    a closing note), kept with the patient's details so retention can remove it.
    """
    changes = changes or {}
    # Only a case's events hold details of a patient; sign-ins and staff changes keep theirs.
    personal_keys = PERSONAL_FIELDS if case is not None else frozenset()
    event = Event(
        kind=kind,
        actor_id=actor.id if actor else None,
        case_id=case.id if case else None,
        from_stage=from_stage,
        to_stage=to_stage,
        changes={k: v for k, v in changes.items() if k not in personal_keys},
        detail=detail,
        occurred_at=clock.now_utc(),
    )
    personal = {k: v for k, v in changes.items() if k in personal_keys}
    if personal or personal_detail:
        event.personal = EventPersonalData(changes=personal, detail=personal_detail)
    db.session.add(event)
    return event


# --- references ----------------------------------------------------------------------------


def next_reference(year: int) -> tuple[int, str]:
    """Take the next number for this year: one row per year, incremented under its row lock."""
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(CaseSequence)
        .values(year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
    db.session.execute(
        update(CaseSequence)
        .where(CaseSequence.year == year)
        .values(last_value=CaseSequence.last_value + 1)
    )
    value = db.session.scalar(select(CaseSequence.last_value).where(CaseSequence.year == year))
    return value, f"SO-{year}-{value:04d}"


# --- finding cases ---------------------------------------------------------------------------


def get_by_reference(reference: str) -> Case | None:
    """The case with its reviewer and original GP in one statement, whoever they are."""
    return db.session.scalar(
        select(Case)
        .where(Case.reference == reference.strip().upper())
        .options(joinedload(Case.reviewer), joinedload(Case.original_gp))
    )


def open_cases_for_patient(
    nhs_number: str | None, patient_name: str, date_of_birth: date | None
) -> list[Case]:
    """Open cases that look like the same patient: same NHS number, or same name and birth date."""
    conditions = []
    if nhs_number:
        conditions.append(Case.nhs_number == nhs_number)
    if date_of_birth:
        conditions.append(
            (func.lower(Case.patient_name) == patient_name.strip().lower())
            & (Case.date_of_birth == date_of_birth)
        )
    if not conditions:
        return []
    query = select(Case).where(Case.stage != Stage.CLOSED, or_(*conditions)).order_by(Case.id)
    return list(db.session.scalars(query))


def gp_choices() -> list[tuple[str, str]]:
    """Active GPs, for "GP who gave the first opinion"."""
    gps = db.session.scalars(
        select(User).where(User.role == Role.GP, User.active).order_by(User.full_name)
    )
    return [(str(gp.id), gp.full_name) for gp in gps]


def reviewer_problem(case: Case, reviewer: User | None) -> str | None:
    """Why this person cannot review this case, or None when they can."""
    if reviewer is None or reviewer.role not in (Role.GP, Role.PRACTICE_MANAGER):
        return "Choose a GP or the practice manager to review this request"
    if not reviewer.active:
        return f"{reviewer.full_name}'s account is deactivated, so they cannot be given cases"
    if case.original_gp_id is not None and reviewer.id == case.original_gp_id:
        return f"{reviewer.full_name} gave the first opinion. Choose someone else for the second opinion"
    if case.route_requested == Route.SENIOR_PARTNER and not reviewer.is_senior_partner:
        return "The patient asked for the senior partner. Choose the senior partner"
    if case.route_requested == Route.PRACTICE_MANAGER and reviewer.role != Role.PRACTICE_MANAGER:
        return "The patient asked for the practice manager. Choose the practice manager"
    return None


def eligible_reviewers(case: Case) -> list[User]:
    """Staff who may review this case under its rules, for the reviewer list."""
    staff = db.session.scalars(
        select(User)
        .where(User.active, User.role.in_([Role.GP, Role.PRACTICE_MANAGER]))
        .order_by(User.role, User.full_name)
    )
    return [person for person in staff if reviewer_problem(case, person) is None]


# --- logging a request -----------------------------------------------------------------------


@dataclass
class Intake:
    nhs_number: str | None
    nhs_number_unknown: bool
    patient_name: str
    date_of_birth: date | None
    phone: str | None
    email: str | None
    preferred_contact: str
    received_on: date
    channel: str
    original_gp_id: int | None
    original_gp_other: str | None
    concern: str
    route_requested: str
    already_discussed_with_own_gp: bool
    formal_complaint: bool
    urgent: bool
    representative_name: str | None
    representative_relationship: str | None
    representative_consent: bool


def log_request(intake: Intake, actor: User) -> Case:
    """Create a case in the logged stage with its reference and its first event."""
    now = clock.now_utc()
    year = clock.to_london(now).year
    sequence, reference = next_reference(year)
    case = Case(
        reference=reference,
        year=year,
        sequence=sequence,
        stage=Stage.LOGGED,
        created_at=now,
        created_by_id=actor.id,
        updated_at=now,
        updated_by_id=actor.id,
        **intake.__dict__,
    )
    if intake.nhs_number_unknown:
        case.nhs_number = None
    if intake.original_gp_id is not None:
        case.original_gp_other = None
    db.session.add(case)
    db.session.flush()
    after = snapshot(case)
    changes = {key: [None, value] for key, value in after.items() if value not in (None, False, "")}
    record_event("case_logged", actor, case, to_stage=Stage.LOGGED, changes=changes)
    return case


# --- workflow actions ------------------------------------------------------------------------


def check_can_take(case: Case, action: Action, actor: User) -> None:
    """Raise NotAllowed unless this person may take this action on the case now."""
    transition = WORKFLOW[action]
    if can_take(action, actor, case.stage, case.reviewer_id):
        if transition.condition is None or transition.condition(case):
            return
        raise NotAllowed(transition.condition_unmet)
    if permitted_stages(action, actor, case.reviewer_id):
        raise NotAllowed(
            f"'{transition.label}' cannot be done while the case is {case.stage_label.lower()}."
        )
    raise NotAllowed(f"Your role cannot '{transition.label.lower()}' on this case.")


def perform(
    case: Case, action: Action, actor: User, data: dict[str, Any], version: int | None
) -> Event:
    """Apply one workflow action: check version and permission, change the case, record the event."""
    if version is None or int(version) != case.version:
        raise StaleCase(case)
    check_can_take(case, action, actor)
    before = snapshot(case)
    from_stage = case.stage
    kind, detail = HANDLERS[action](case, actor, data)
    transition = WORKFLOW[action]
    if transition.to_stage is not None:
        case.stage = transition.to_stage
    changes = diff(before, snapshot(case))
    if changes:
        case.updated_at = clock.now_utc()
        case.updated_by_id = actor.id
    return record_event(
        kind,
        actor,
        case,
        from_stage=from_stage,
        to_stage=case.stage,
        changes=changes,
        personal_detail=detail,
    )


def _assign(case: Case, actor: User, data: dict[str, Any]) -> tuple[str, str | None]:
    reviewer = _person(data.get("reviewer_id"))
    problem = reviewer_problem(case, reviewer)
    if problem:
        raise CaseError(problem, field="reviewer")
    reassigning = case.reviewer_id is not None
    if reassigning and reviewer.id == case.reviewer_id:
        raise CaseError(
            f"{reviewer.full_name} already has this case. Choose someone else", field="reviewer"
        )
    reason = (data.get("reason") or "").strip()
    if reassigning and not reason:
        raise CaseError("Enter the reason for giving the case to someone else", field="reason")
    now = clock.now_utc()
    case.reviewer_id = reviewer.id
    case.assigned_at = now
    if case.first_assigned_at is None:
        case.first_assigned_at = now
    if case.outcome_clock_from is None:
        case.outcome_clock_from = now
    if case.stage == Stage.IN_REVIEW:  # a new reviewer starts their own review
        case.review_started_at = None
        case.appointment_at = None
        case.review_of_notes = False
    return ("reassigned" if reassigning else "assigned"), reason or None


def _acknowledge(case: Case, actor: User, data: dict[str, Any]) -> tuple[str, str | None]:
    if data["acknowledged_on"] < case.received_on:
        raise CaseError(
            "The acknowledgement date cannot be before the request was received",
            field="acknowledged_on",
        )
    case.acknowledged_on = data["acknowledged_on"]
    case.acknowledgement_method = data["method"]
    return "acknowledged", None


def _start_review(case: Case, actor: User, data: dict[str, Any]) -> tuple[str, str | None]:
    case.review_started_at = clock.now_utc()
    if data.get("appointment_at") is not None:
        case.appointment_at = data["appointment_at"]
        case.review_of_notes = False
    else:
        case.appointment_at = None
        case.review_of_notes = True
    return "review_started", None


def _record_outcome(case: Case, actor: User, data: dict[str, Any]) -> tuple[str, str | None]:
    case.outcome = data["outcome"]
    case.outcome_summary = data["outcome_summary"]
    case.patient_response = data["patient_response"]
    case.outcome_recorded_at = clock.now_utc()
    return "outcome_recorded", None


def _refer_to_pals(case: Case, actor: User, data: dict[str, Any]) -> tuple[str, str | None]:
    case.pals_referred_on = data["referred_on"]
    case.pals_referred_by = data["referred_by"]
    case.pals_service = data["pals_service"]
    case.pals_officer = data.get("pals_officer") or None
    case.pals_reference = data.get("pals_reference") or None
    case.pals_response_on = None
    case.pals_response_summary = None
    return "referred_to_pals", None


def _record_pals_response(case: Case, actor: User, data: dict[str, Any]) -> tuple[str, str | None]:
    case.pals_response_on = data["response_on"]
    case.pals_response_summary = data["summary"]
    return "pals_response_recorded", None


def closure_reasons(case: Case, user: User) -> frozenset[str] | None:
    """Closure reasons open to this person on this case now; None means every reason.

    Beyond the workflow table: a reviewer closes as resolved only once the patient is satisfied.
    """
    allowed = closure_reasons_for(user, case.stage, case.reviewer_id)
    if allowed is not None and case.patient_response != "satisfied":
        allowed = allowed - {"resolved_in_practice"}
    return allowed


def _close(case: Case, actor: User, data: dict[str, Any]) -> tuple[str, str | None]:
    reason = data["closure_reason"]
    allowed = closure_reasons(case, actor)
    if allowed is not None and reason not in allowed:
        if reason == "resolved_in_practice":
            raise NotAllowed(
                "Only the practice manager can close a case while the patient is not satisfied."
            )
        raise NotAllowed("You cannot close this case for that reason. Ask the practice manager.")
    if reason == "registered_elsewhere":
        if data.get("registered_elsewhere_on") is None:
            raise CaseError(
                "Enter the date the patient registered with the new practice",
                field="registered_elsewhere_on",
            )
        case.registered_elsewhere_on = data["registered_elsewhere_on"]
    else:
        case.registered_elsewhere_on = None
    if case.formal_complaint:
        if data.get("complaint_finding") not in ("upheld", "partially_upheld", "not_upheld"):
            raise CaseError(
                "Choose whether the complaint was upheld, partially upheld or not upheld",
                field="complaint_finding",
            )
        case.complaint_finding = data["complaint_finding"]
    case.closure_reason = reason
    case.closed_at = clock.now_utc()
    return "closed", data.get("note") or None


def _reopen(case: Case, actor: User, data: dict[str, Any]) -> tuple[str, str | None]:
    reviewer = _person(data.get("reviewer_id"))
    problem = reviewer_problem(case, reviewer)
    if problem:
        raise CaseError(problem, field="reviewer")
    now = clock.now_utc()
    case.reviewer_id = reviewer.id
    case.assigned_at = now
    case.outcome_clock_from = now
    case.review_started_at = None
    case.appointment_at = None
    case.review_of_notes = False
    case.outcome = None
    case.outcome_summary = None
    case.patient_response = None
    case.outcome_recorded_at = None
    case.closed_at = None
    case.closure_reason = None
    case.complaint_finding = None
    case.registered_elsewhere_on = None
    return "reopened", data["reason"]


def _update_contact(case: Case, actor: User, data: dict[str, Any]) -> tuple[str, str | None]:
    for name in (
        "phone",
        "email",
        "preferred_contact",
        "representative_name",
        "representative_relationship",
        "representative_consent",
    ):
        value = data.get(name)
        # An emptied box means "not recorded", stored as None as the intake does.
        setattr(case, name, bool(value) if name == "representative_consent" else (value or None))
    return "contact_updated", None


def _add_note(case: Case, actor: User, data: dict[str, Any]) -> tuple[str, str | None]:
    clinical = bool(data.get("clinical")) and actor.role != Role.RECEPTION
    note = CaseNote(case_id=case.id, author_id=actor.id, text=data["text"], clinical=clinical)
    db.session.add(note)
    return ("clinical_note_added" if clinical else "note_added"), None


HANDLERS = {
    Action.ASSIGN: _assign,
    Action.ACKNOWLEDGE: _acknowledge,
    Action.START_REVIEW: _start_review,
    Action.RECORD_OUTCOME: _record_outcome,
    Action.REFER_TO_PALS: _refer_to_pals,
    Action.RECORD_PALS_RESPONSE: _record_pals_response,
    Action.CLOSE: _close,
    Action.REOPEN: _reopen,
    Action.UPDATE_CONTACT: _update_contact,
    Action.ADD_NOTE: _add_note,
}


def notes_for(case: Case, viewer: User) -> list[CaseNote]:
    """The notes this person may read, newest first (reception never sees clinical notes)."""
    query = select(CaseNote).where(CaseNote.case_id == case.id)
    if viewer.role == Role.RECEPTION:
        query = query.where(CaseNote.clinical.is_(False))
    return list(db.session.scalars(query.order_by(CaseNote.created_at.desc(), CaseNote.id.desc())))


def timeline_for(case: Case) -> list[Event]:
    query = (
        select(Event)
        .where(Event.case_id == case.id, Event.kind != "viewed")  # views are in /admin/audit
        .order_by(Event.occurred_at.desc(), Event.id.desc())
    )
    return list(db.session.scalars(query))


def _person(user_id: Any) -> User | None:
    """The account a submitted id names, or None for a missing or malformed id."""
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError, OverflowError):
        return None


@dataclass
class _Dates:
    received_on: date
    first_assigned_at: datetime | None
    outcome_clock_from: datetime | None
    outcome_recorded_at: datetime | None
    working_days_to_assign: int | None = None
    working_days_to_outcome: int | None = None


def recount_working_days(region: str, batch: int = 2000) -> int:
    """Count every case's working days again with this region's bank holidays: after the
    practice changes its region, or when a newly announced bank holiday falls inside cases'
    durations. Reads and writes in batches; returns how many cases changed. The cases'
    versions are left alone: no one changed the case itself."""
    calendar = WorkingCalendar(region)
    table = Case.__table__
    change = (
        update(table)
        .where(table.c.id == bindparam("case_id"))
        .values(
            working_days_to_assign=bindparam("to_assign"),
            working_days_to_outcome=bindparam("to_outcome"),
        )
    )
    changed, last_id = 0, 0
    while True:
        rows = db.session.execute(
            select(
                table.c.id,
                table.c.received_on,
                table.c.first_assigned_at,
                table.c.outcome_clock_from,
                table.c.outcome_recorded_at,
                table.c.working_days_to_assign,
                table.c.working_days_to_outcome,
            )
            .where(table.c.id > last_id)
            .order_by(table.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return changed
        updates = []
        for case_id, *dates, to_assign, to_outcome in rows:
            counted = _Dates(*dates)
            count_working_days(counted, calendar)
            if (counted.working_days_to_assign, counted.working_days_to_outcome) != (
                to_assign,
                to_outcome,
            ):
                updates.append(
                    {
                        "case_id": case_id,
                        "to_assign": counted.working_days_to_assign,
                        "to_outcome": counted.working_days_to_outcome,
                    }
                )
        if updates:
            db.session.execute(change, updates)
            changed += len(updates)
        last_id = rows[-1][0]
