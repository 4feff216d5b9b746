"""Logging a request: a new case in the logged stage, with its reference and first event."""

from dataclasses import asdict, dataclass
from datetime import date

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases import notices
from tracker.cases.history import record_case_event, snapshot
from tracker.cases.models import Case
from tracker.cases.references import next_reference
from tracker.cases.workflow import Stage
from tracker.extensions import db
from tracker.staff.models import User


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
    address_lines: str | None = None
    postcode: str | None = None
    patient_title: str | None = None
    preferred_name: str | None = None
    representative_title: str | None = None
    representative_phone: str | None = None
    representative_email: str | None = None
    representative_address_lines: str | None = None
    representative_postcode: str | None = None
    representative_consent_form: str | None = None
    representative_consent_on: date | None = None


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
        **asdict(intake),
    )
    if intake.nhs_number_unknown:
        case.nhs_number = None
    if intake.original_gp_id is not None:
        case.original_gp_other = None
    db.session.add(case)
    db.session.flush()
    changes = {
        key: [None, value]
        for key, value in snapshot(case).items()
        if value not in (None, False, "")
    }
    record_case_event(EventKind.CASE_LOGGED, actor, case, to_stage=Stage.LOGGED, changes=changes)
    notices.after_intake(case)
    return case
