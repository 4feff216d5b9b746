"""Reopen a closed case and give it to a reviewer, with the reason."""

from typing import Any

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import ChoosesReviewer, Done
from tracker.cases.forms import NOTE_MAX, ReviewerForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.forms import strip
from tracker.staff.models import User


class ReopenForm(ReviewerForm):
    reason = TextAreaField(
        "Why is the case being reopened?",
        filters=[strip],
        validators=[
            DataRequired("Enter why the case is being reopened"),
            Length(max=NOTE_MAX, message=f"Reason must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    reviewer = SelectField(
        "Reviewer",
        validate_choice=False,
        validators=[DataRequired("Choose who will review the reopened case")],
    )


class Reopen(ChoosesReviewer):
    action = Action.REOPEN
    form = ReopenForm
    events = (EventKind.REOPENED,)
    offers_last_reviewer = True

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        reviewer = self.chosen_reviewer(case, actor, data)
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
        return Done(EventKind.REOPENED, data["reason"])


ACTION = Reopen()
