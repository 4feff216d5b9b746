"""Every field of a case staff can see or change, described once.

The lists the rest of the code needs are made from this table: the fields compared before and
after each action (the timeline's old → new), their labels, the patient's details kept beside
an event (and removed at retention, with what each is left holding), the clinical fields
reception does not see, and the identifiers a CSV adds only when asked.

Adding a case field: a column in `models.Case` and its migration, a row here, then the form or
action that sets it.
"""

from dataclasses import dataclass

from tracker.cases.codes import (
    AcknowledgementMethod,
    Channel,
    ClosureReason,
    ComplaintFinding,
    ConsentForm,
    ContactMethod,
    DiscussionOffer,
    Outcome,
    PalsReferrer,
    PatientResponse,
    Route,
)
from tracker.cases.workflow import Stage
from tracker.vocabulary import Labelled

REMOVED = "[removed]"


@dataclass(frozen=True)
class CaseField:
    name: str  # the column on Case
    label: str
    codes: type[Labelled] | None = None  # stored as a code from this vocabulary
    person: str | None = None  # a user id, recorded in events by the person's name under this key
    personal: bool = False  # identifies the patient or is free text about them
    identifier: bool = False  # added to a CSV only when identifiers are asked for
    clinical: bool = False  # seen by GPs and the practice manager only
    retained_as: str | None = None  # what a personal field holds once retention has removed it

    @property
    def key(self) -> str:
        """The name used in events and on the page."""
        return self.person or self.name


CASE_FIELDS: tuple[CaseField, ...] = (
    CaseField("stage", "Stage", codes=Stage),
    CaseField("nhs_number", "NHS number", personal=True, identifier=True),
    CaseField("nhs_number_unknown", "NHS number not known"),
    CaseField("patient_name", "Patient name", personal=True, identifier=True, retained_as=REMOVED),
    CaseField("patient_title", "Title", personal=True),
    CaseField("preferred_name", "Preferred name", personal=True),
    CaseField("date_of_birth", "Date of birth", personal=True, identifier=True),
    CaseField("address_lines", "Address", personal=True, identifier=True),
    CaseField("postcode", "Postcode", personal=True, identifier=True),
    CaseField("phone", "Phone", personal=True),
    CaseField("email", "Email", personal=True),
    CaseField("preferred_contact", "Preferred contact", codes=ContactMethod),
    CaseField("representative_name", "Someone acting for the patient", personal=True),
    CaseField("representative_relationship", "Their relationship to the patient", personal=True),
    CaseField("representative_consent", "Patient has consented"),
    CaseField("representative_consent_on", "Consent given on"),
    CaseField("representative_consent_form", "How consent was given", codes=ConsentForm),
    CaseField("representative_title", "Their title", personal=True),
    CaseField("representative_phone", "Their phone", personal=True),
    CaseField("representative_email", "Their email", personal=True),
    CaseField("representative_address_lines", "Their address", personal=True),
    CaseField("representative_postcode", "Their postcode", personal=True),
    CaseField("received_on", "Request received on"),
    CaseField("channel", "How the request was made", codes=Channel),
    CaseField("original_gp_id", "GP who gave the first opinion", person="original_gp"),
    CaseField("original_gp_other", "Locum or other clinician", personal=True),
    CaseField("concern", "What the patient is concerned about", personal=True, retained_as=REMOVED),
    CaseField("route_requested", "What the patient is asking for", codes=Route),
    CaseField("already_discussed_with_own_gp", "Already gone back to own GP"),
    CaseField("formal_complaint", "Formal complaint"),
    CaseField("urgent", "Urgent clinical concern"),
    CaseField("duty_doctor_name", "Duty doctor told"),
    CaseField("duty_doctor_told_at", "Duty doctor told at"),
    CaseField("acknowledged_on", "Complaint acknowledged on"),
    CaseField("acknowledgement_method", "Acknowledged by", codes=AcknowledgementMethod),
    CaseField("discussion_offer", "Offer to discuss the complaint", codes=DiscussionOffer),
    CaseField("discussed_on", "Discussed or declined on"),
    CaseField("complaint_issues", "The issues as the complainant sees them", personal=True),
    CaseField("outcome_wanted", "The outcome they want", personal=True),
    CaseField("response_due_on", "Agreed response date"),
    CaseField("response_sent_on", "Final response sent on"),
    CaseField("significant_event", "Significant event"),
    CaseField("sea_reference", "Significant event analysis reference"),
    CaseField("candour_applies", "Duty of candour applies"),
    CaseField("candour_told_on", "Patient told under the duty of candour on"),
    CaseField("response_delay_reason", "Why the response date moved", personal=True),
    CaseField("response_considered", "How the complaint was considered", personal=True),
    CaseField("response_findings", "The conclusion on each issue", personal=True),
    CaseField("response_apology", "Apology", personal=True),
    CaseField("response_actions", "Action taken or to be taken", personal=True),
    CaseField("response_lessons", "Lessons learned", personal=True),
    CaseField("response_signed_by_id", "Final response signed by", person="response_signed_by"),
    CaseField("reviewer_id", "Reviewer", person="reviewer"),
    CaseField("route_waived", "Reviewer chosen outside the patient's request"),
    CaseField("appointment_at", "Appointment"),
    CaseField("review_of_notes", "Review of notes"),
    CaseField("outcome", "Outcome", codes=Outcome),
    CaseField("outcome_summary", "Outcome summary", personal=True, clinical=True),
    CaseField("patient_response", "Patient's response", codes=PatientResponse),
    CaseField("pals_referred_on", "Referred to PALS on"),
    CaseField("pals_referred_by", "Referred by", codes=PalsReferrer),
    CaseField("pals_service", "PALS service"),
    CaseField("pals_officer", "PALS officer", personal=True),
    CaseField("pals_reference", "PALS reference", personal=True),
    CaseField("pals_response_on", "PALS response on"),
    CaseField("pals_response_summary", "PALS response", personal=True),
    CaseField("closure_reason", "Closure reason", codes=ClosureReason),
    CaseField("complaint_finding", "Finding on the complaint", codes=ComplaintFinding),
    CaseField("registered_elsewhere_on", "Registered elsewhere on"),
)


# Compared before and after each action: column name -> the key events record it under.
TRACKED_FIELDS = {field.name: field.key for field in CASE_FIELDS}
FIELD_LABELS = {field.key: field.label for field in CASE_FIELDS}
CODE_VOCABULARIES = {field.key: field.codes for field in CASE_FIELDS if field.codes}
PERSONAL_FIELDS = frozenset(field.key for field in CASE_FIELDS if field.personal)
CLINICAL_FIELDS = frozenset(field.key for field in CASE_FIELDS if field.clinical)
IDENTIFIER_FIELDS = tuple(field.name for field in CASE_FIELDS if field.identifier)
# What retention leaves in each personal field.
RETENTION = {
    field.name: field.retained_as
    for field in sorted(CASE_FIELDS, key=lambda field: field.name)
    if field.personal
}
