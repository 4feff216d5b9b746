"""How case values and events read on the page: labels for codes, fields and event kinds."""

from datetime import date, datetime
from typing import Any

from tracker import clock
from tracker.cases.codes import (
    ACKNOWLEDGEMENT_LABELS,
    CHANNEL_LABELS,
    CLOSURE_LABELS,
    COMPLAINT_FINDING_LABELS,
    CONTACT_LABELS,
    OUTCOME_LABELS,
    PALS_REFERRER_LABELS,
    PATIENT_RESPONSE_LABELS,
    ROUTE_LABELS,
)
from tracker.cases.models import format_nhs_number
from tracker.cases.workflow import STAGE_LABELS

FIELD_LABELS = {
    "stage": "Stage",
    "nhs_number": "NHS number",
    "nhs_number_unknown": "NHS number not known",
    "patient_name": "Patient name",
    "date_of_birth": "Date of birth",
    "phone": "Phone",
    "email": "Email",
    "preferred_contact": "Preferred contact",
    "representative_name": "Someone acting for the patient",
    "representative_relationship": "Their relationship to the patient",
    "representative_consent": "Patient has consented",
    "received_on": "Request received on",
    "channel": "How the request was made",
    "original_gp": "GP who gave the first opinion",
    "original_gp_other": "Locum or other clinician",
    "concern": "What the patient is concerned about",
    "route_requested": "What the patient is asking for",
    "already_discussed_with_own_gp": "Already gone back to own GP",
    "formal_complaint": "Formal complaint",
    "urgent": "Urgent clinical concern",
    "acknowledged_on": "Complaint acknowledged on",
    "acknowledgement_method": "Acknowledged by",
    "reviewer": "Reviewer",
    "appointment_at": "Appointment",
    "review_of_notes": "Review of notes",
    "outcome": "Outcome",
    "outcome_summary": "Outcome summary",
    "patient_response": "Patient's response",
    "pals_referred_on": "Referred to PALS on",
    "pals_referred_by": "Referred by",
    "pals_service": "PALS service",
    "pals_officer": "PALS officer",
    "pals_reference": "PALS reference",
    "pals_response_on": "PALS response on",
    "pals_response_summary": "PALS response",
    "closure_reason": "Closure reason",
    "complaint_finding": "Finding on the complaint",
    "registered_elsewhere_on": "Registered elsewhere on",
}

CODE_LABELS = {
    "stage": STAGE_LABELS,
    "acknowledgement_method": ACKNOWLEDGEMENT_LABELS,
    "preferred_contact": CONTACT_LABELS,
    "channel": CHANNEL_LABELS,
    "route_requested": ROUTE_LABELS,
    "outcome": OUTCOME_LABELS,
    "patient_response": PATIENT_RESPONSE_LABELS,
    "pals_referred_by": PALS_REFERRER_LABELS,
    "closure_reason": CLOSURE_LABELS,
    "complaint_finding": COMPLAINT_FINDING_LABELS,
}

# Values reception does not see, on the case page or in its timeline.
CLINICAL_FIELDS = frozenset({"outcome_summary"})

EVENT_LABELS = {
    "case_logged": "Request logged",
    "assigned": "Reviewer assigned",
    "acknowledged": "Complaint acknowledged",
    "reassigned": "Reviewer changed",
    "review_started": "Review started",
    "outcome_recorded": "Outcome recorded",
    "referred_to_pals": "Referred to PALS",
    "pals_response_recorded": "PALS response recorded",
    "closed": "Case closed",
    "reopened": "Case reopened",
    "note_added": "Note added",
    "clinical_note_added": "Clinical note added",
    "contact_updated": "Contact details updated",
}


def format_date(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def format_moment(value: datetime | None) -> str:
    return clock.to_london(value).strftime("%-d %B %Y, %H:%M") if value else ""


def describe(field: str, value: Any) -> str:
    """A stored or recorded value as staff read it."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field in CODE_LABELS:
        return CODE_LABELS[field].get(value, str(value))
    if field == "nhs_number":
        return format_nhs_number(value)
    if isinstance(value, datetime):
        return format_moment(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, str) and field.endswith(("_on", "date_of_birth")):
        return format_date(date.fromisoformat(value))
    if isinstance(value, str) and field.endswith("_at"):
        return format_moment(datetime.fromisoformat(value))
    return str(value)
