"""Every kind of event the audit log holds, with the words the timeline and the log show."""

from tracker.vocabulary import Labelled


class EventKind(Labelled):
    # What happened to a case
    CASE_LOGGED = "case_logged", "Request logged"
    ASSIGNED = "assigned", "Reviewer assigned"
    REASSIGNED = "reassigned", "Reviewer changed"
    ACKNOWLEDGED = "acknowledged", "Complaint acknowledged"
    COMPLAINT_PLAN_RECORDED = "complaint_plan_recorded", "Complaint plan recorded"
    FINAL_RESPONSE_PREPARED = "final_response_prepared", "Final response prepared"
    REVIEW_STARTED = "review_started", "Review started"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"
    REFERRED_TO_PALS = "referred_to_pals", "Referred to PALS"
    PALS_RESPONSE_RECORDED = "pals_response_recorded", "PALS response recorded"
    CLOSED = "closed", "Case closed"
    REOPENED = "reopened", "Case reopened"
    NOTE_ADDED = "note_added", "Note added"
    ASPECTS_RECORDED = "aspects_recorded", "Complaint's subjects recorded"
    CLINICAL_NOTE_ADDED = "clinical_note_added", "Clinical note added"
    CONTACT_UPDATED = "contact_updated", "Contact details updated"
    CONTACT_RECORDED = "contact_recorded", "Contact recorded"
    LEAVE_RECORDED = "leave_recorded", "Leave recorded"
    LEAVE_REMOVED = "leave_removed", "Leave removed"
    CORRECTED = "corrected", "Case details corrected"
    HANDED_ON = "handed_on", "Handed on from a leaver"
    DUTY_DOCTOR_TOLD = "duty_doctor_told", "Duty doctor told"
    DOCUMENT_ADDED = "document_added", "Document added"
    CLINICAL_DOCUMENT_ADDED = "clinical_document_added", "Clinical document added"
    DOCUMENT_DOWNLOADED = "document_downloaded", "Document downloaded"
    DOCUMENT_REMOVED = "document_removed", "Document removed"
    LETTER_SENT = "letter_sent", "Letter sent"
    LETTER_DOWNLOADED = "letter_downloaded", "Sent letter downloaded"
    VIEWED = "viewed", "Case viewed"
    EMAIL_SENT = "email_sent", "Email sent"
    EMAIL_REQUEUED = "email_requeued", "Email queued to send again"
    TEST_EMAIL_QUEUED = "test_email_queued", "Test email queued"
    EMAIL_CHOICES_CHANGED = "email_choices_changed", "Email choices changed"
    IDENTIFIERS_REMOVED = "identifiers_removed", "Identifiers removed (retention)"
    # Signing in and accounts
    SIGNED_IN = "signed_in", "Signed in"
    PRACTICE_CHANGED = "practice_changed", "Changed the practice they work in"
    SIGNED_OUT = "signed_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    ACCOUNT_LOCKED = "account_locked", "Account locked"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset"
    ACCOUNT_CREATED = "account_created", "Account created"
    ACCOUNT_CHANGED = "account_changed", "Account changed"
    ACCOUNT_DEACTIVATED = "account_deactivated", "Account deactivated"
    LEFT_PRACTICE = "left_practice", "No longer works in the practice"
    ACCOUNT_REACTIVATED = "account_reactivated", "Account reactivated"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Two-factor sign-in set up"
    TWO_FACTOR_RESET = "two_factor_reset", "Two-factor sign-in reset"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    SESSION_ENDED = "session_ended", "Session ended"
    # The practice's settings, guidance and exports
    SETTINGS_CHANGED = "settings_changed", "Settings changed"
    GUIDANCE_EDITED = "guidance_edited", "Guidance changed"
    GUIDANCE_RESTORED = "guidance_restored", "Shipped guidance restored"
    LETTER_TEMPLATE_EDITED = "letter_template_edited", "Letter template changed"
    LETTER_TEMPLATE_RESTORED = "letter_template_restored", "Shipped letter restored"
    EXPORT = "export", "Export"
    AUDIT_EXPORTED = "audit_exported", "Audit log exported"
    SUBJECT_ACCESS_EXPORT = "subject_access_export", "Subject access export"
    # The install's own
    PRACTICE_REMOVED = "practice_removed", "Practice removed from the install after its export"


# Events of these kinds are about clinical material whatever else is true; others (a document
# removed or downloaded, a letter sent or downloaded) are clinical when what they name is.
ALWAYS_CLINICAL = frozenset({EventKind.CLINICAL_NOTE_ADDED, EventKind.CLINICAL_DOCUMENT_ADDED})
