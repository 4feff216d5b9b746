"""Assign a reviewer, or hand the case to another with a reason."""

from typing import Any

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import ChoosesReviewer, Done
from tracker.cases.errors import CaseError
from tracker.cases.forms import NOTE_MAX, ReviewerForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action, Stage
from tracker.forms import strip
from tracker.staff.models import User


class AssignForm(ReviewerForm):
    reviewer = SelectField(
        "Reviewer",
        validate_choice=False,
        validators=[DataRequired("Choose who will review this request")],
    )
    reason = TextAreaField(
        "Reason for the change",
        description="Needed when a case moves from one reviewer to another.",
        filters=[strip],
        validators=[
            Length(max=NOTE_MAX, message=f"Reason must be {NOTE_MAX:,} characters or fewer")
        ],
    )


class Assign(ChoosesReviewer):
    action = Action.ASSIGN
    form = AssignForm
    events = (EventKind.ASSIGNED, EventKind.REASSIGNED)

    def build_form(self, case: Case, user: User, *, first_view: bool) -> AssignForm:
        form = super().build_form(case, user, first_view=first_view)
        if form.outside_request.data == "yes":
            form.reason.label.text = "Why the patient's request cannot be followed"
            form.reason.description = (
                "Recorded on the case. Say what was agreed with the patient, if you have spoken."
            )
        return form

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        reviewer = self.chosen_reviewer(case, actor, data)
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
        return Done(EventKind.REASSIGNED if reassigning else EventKind.ASSIGNED, reason or None)


ACTION = Assign()
