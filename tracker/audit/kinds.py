"""Every kind of event the audit log holds, with the words the timeline and the log show."""

from tracker.vocabulary import Labelled


class EventKind(Labelled):
    # What happened to a case
    CASE_LOGGED = "case_logged", "Request logged"
    ASSIGNED = "assigned", "Reviewer assigned"
    REASSIGNED = "reassigned", "Reviewer changed"
    ACKNOWLEDGED = "acknowledged", "Complaint acknowledged"
    REVIEW_STARTED = "review_started", "Review started"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"
    REFERRED_TO_PALS = "referred_to_pals", "Referred to PALS"
    PALS_RESPONSE_RECORDED = "pals_response_recorded", "PALS response recorded"
    CLOSED = "closed", "Case closed"
    REOPENED = "reopened", "Case reopened"
    NOTE_ADDED = "note_added", "Note added"
    CLINICAL_NOTE_ADDED = "clinical_note_added", "Clinical note added"
    CONTACT_UPDATED = "contact_updated", "Contact details updated"
    CORRECTED = "corrected", "Case details corrected"
    VIEWED = "viewed", "Case viewed"
    IDENTIFIERS_REMOVED = "identifiers_removed", "Identifiers removed (retention)"
    # Signing in and accounts
    SIGNED_IN = "signed_in", "Signed in"
    SIGNED_OUT = "signed_out", "Signed out"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    ACCOUNT_LOCKED = "account_locked", "Account locked"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset"
    ACCOUNT_CREATED = "account_created", "Account created"
    ACCOUNT_CHANGED = "account_changed", "Account changed"
    ACCOUNT_DEACTIVATED = "account_deactivated", "Account deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated", "Account reactivated"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Two-factor sign-in set up"
    TWO_FACTOR_RESET = "two_factor_reset", "Two-factor sign-in reset"
    RECOVERY_CODE_USED = "recovery_code_used", "Recovery code used"
    # The practice's settings, guidance and exports
    SETTINGS_CHANGED = "settings_changed", "Settings changed"
    GUIDANCE_EDITED = "guidance_edited", "Guidance changed"
    GUIDANCE_RESTORED = "guidance_restored", "Shipped guidance restored"
    EXPORT = "export", "Export"
    AUDIT_EXPORTED = "audit_exported", "Audit log exported"
    SUBJECT_ACCESS_EXPORT = "subject_access_export", "Subject access export"
