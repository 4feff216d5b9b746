"""Close the case, with the reason (and, for a formal complaint, the finding)."""

from typing import Any

from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.codes import ClosureReason, ComplaintFinding, PatientResponse
from tracker.cases.errors import CaseError
from tracker.cases.forms import NOTE_MAX, VersionedForm
from tracker.cases.models import Case, CaseNote
from tracker.cases.workflow import Action, closure_reasons_for
from tracker.extensions import db
from tracker.fields import DateInputField, NotInFuture
from tracker.forms import choices, strip
from tracker.staff.models import User


class CloseForm(VersionedForm):
    closure_reason = RadioField(
        "Why is the case closing?", validators=[InputRequired("Choose why the case is closing")]
    )
    registered_elsewhere_on = DateInputField(
        "Date registered with the new practice",
        validators=[NotInFuture("The date registered elsewhere must be today or in the past")],
    )
    complaint_finding = RadioField(
        "Finding on the formal complaint",
        description="For the practice's annual return of written complaints.",
        choices=choices(ComplaintFinding.choices()),
        validate_choice=False,
    )
    patient_response = RadioField(
        "The patient's response now",
        description="Update it if it has changed since the outcome was recorded.",
        choices=choices(PatientResponse.choices()),
        validate_choice=False,
    )
    note = TextAreaField(
        "Note (optional)",
        description="Kept with the case's notes and on its timeline.",
        filters=[strip],
        validators=[Length(max=NOTE_MAX, message=f"Note must be {NOTE_MAX:,} characters or fewer")],
    )


def closure_reasons(case: Case, user: User) -> frozenset[ClosureReason] | None:
    """Closure reasons open to this person on this case now; None means every reason.

    Beyond the workflow table: a reviewer closes as resolved only once the patient is satisfied.
    """
    allowed = closure_reasons_for(user, case.stage, case.reviewer_id)
    if allowed is not None and case.patient_response != PatientResponse.SATISFIED:
        allowed = allowed - {ClosureReason.RESOLVED_IN_PRACTICE}
    return allowed


class Close(CaseAction):
    action = Action.CLOSE
    form = CloseForm
    events = (EventKind.CLOSED,)

    def refusal(self, case: Case, user: User) -> str | None:
        if closure_reasons(case, user) == frozenset():
            return (
                "The reviewer closes a case only once the patient is satisfied with the outcome. "
                "Record the patient's response, or ask the practice manager to close it."
            )
        return None

    def build_form(self, case: Case, user: User, *, first_view: bool) -> CloseForm:
        form = CloseForm()
        if first_view:
            form.patient_response.data = case.patient_response
        allowed = closure_reasons(case, user)
        form.closure_reason.choices = choices(
            (reason.value, reason.label)
            for reason in ClosureReason
            if allowed is None or reason in allowed
        )
        return form

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        if case.outcome and data.get("patient_response") in set(PatientResponse):
            case.patient_response = data["patient_response"]
        reason = data["closure_reason"]
        allowed = closure_reasons(case, actor)
        if allowed is not None and reason not in allowed:
            if reason == ClosureReason.RESOLVED_IN_PRACTICE:
                raise CaseError(
                    "Only the practice manager can close a case as resolved while the patient "
                    "is not satisfied",
                    field="closure_reason",
                )
            raise CaseError(
                "You cannot close this case for that reason. Ask the practice manager",
                field="closure_reason",
            )
        if reason == ClosureReason.REGISTERED_ELSEWHERE:
            if data.get("registered_elsewhere_on") is None:
                raise CaseError(
                    "Enter the date the patient registered with the new practice",
                    field="registered_elsewhere_on",
                )
            case.registered_elsewhere_on = data["registered_elsewhere_on"]
        else:
            case.registered_elsewhere_on = None
        if case.formal_complaint:
            if data.get("complaint_finding") not in set(ComplaintFinding):
                raise CaseError(
                    "Choose whether the complaint was upheld, partially upheld or not upheld",
                    field="complaint_finding",
                )
            case.complaint_finding = data["complaint_finding"]
        case.closure_reason = reason
        case.closed_at = clock.now_utc()
        note = data.get("note") or None
        if note:  # read with the case's notes as well as on its timeline
            db.session.add(
                CaseNote(case_id=case.id, author_id=actor.id, text=f"Closing note: {note}")
            )
        return Done(EventKind.CLOSED, note)


ACTION = Close()
