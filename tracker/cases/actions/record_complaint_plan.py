"""Record the complaint plan agreed with the complainant: their answer to the offer to discuss
how the complaint will be handled, the issues as they see them, the outcome they want and the
date the final response is agreed for. The agreed date is a target of its own; once set, it
changes only with the complainant's agreement and a reason, and the history keeps every date.
It cannot change once the final response has been sent."""

from typing import Any

from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.codes import DiscussionOffer
from tracker.cases.errors import CaseError
from tracker.cases.forms import NOTE_MAX, VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.fields import DateInputField, DateRequired, NotInFuture
from tracker.forms import choices, strip
from tracker.staff.models import User
from tracker.workdays import WorkingCalendar

PLAN_FIELDS = (
    "discussion_offer",
    "discussed_on",
    "complaint_issues",
    "outcome_wanted",
    "response_due_on",
)


class ComplaintPlanForm(VersionedForm):
    discussion_offer = RadioField(
        "Did they take up the offer to discuss how their complaint will be handled?",
        choices=choices(DiscussionOffer.choices()),
        validators=[InputRequired("Choose their answer to the offer to discuss the complaint")],
    )
    discussed_on = DateInputField(
        "Date they talked it through or declined",
        description="Leave blank while there is no answer yet.",
        validators=[NotInFuture("The date must be today or in the past")],
    )
    complaint_issues = TextAreaField(
        "The issues as the complainant sees them",
        description="One issue a line, in their words where you can: the final response gives "
        "a conclusion on each.",
        filters=[strip],
        validators=[
            DataRequired("Enter the issues as the complainant sees them"),
            Length(max=NOTE_MAX, message=f"The issues must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    outcome_wanted = TextAreaField(
        "The outcome they want",
        description="For example an explanation, an apology, or a change to how things are done.",
        filters=[strip],
        validators=[
            DataRequired("Enter the outcome the complainant wants"),
            Length(max=NOTE_MAX, message=f"The outcome must be {NOTE_MAX:,} characters or fewer"),
        ],
    )
    response_due_on = DateInputField(
        "Date agreed for the final response",
        description="A working day. Changing it later needs the complainant's agreement.",
        validators=[DateRequired("Enter the date agreed for the final response")],
    )
    complainant_agreed = BooleanField("The complainant agreed to the new date")
    change_reason = TextAreaField(
        "Why the date is changing",
        description="Needed when the agreed date changes. Kept in the case's history.",
        filters=[strip],
        validators=[
            Length(max=NOTE_MAX, message=f"The reason must be {NOTE_MAX:,} characters or fewer")
        ],
    )


class RecordComplaintPlan(CaseAction):
    action = Action.RECORD_COMPLAINT_PLAN
    form = ComplaintPlanForm
    events = (EventKind.COMPLAINT_PLAN_RECORDED,)
    edits = PLAN_FIELDS

    def refusal(self, case: Case, user: User) -> str | None:
        if not case.formal_complaint:
            return "Only a formal complaint has a complaint plan."
        return None

    def filled_from(self, case: Case) -> ComplaintPlanForm:
        return ComplaintPlanForm(formdata=None, obj=case)

    def build_form(self, case: Case, user: User, *, first_view: bool) -> ComplaintPlanForm:
        form = self.filled_from(case) if first_view else ComplaintPlanForm()
        form.agreed_before = case.response_due_on
        form.sent = case.response_sent_on
        return form

    def data(self, form: ComplaintPlanForm) -> dict[str, Any]:
        return {
            **{name: form[name].data for name in PLAN_FIELDS},
            "complainant_agreed": bool(form.complainant_agreed.data),
            "change_reason": form.change_reason.data or "",
        }

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        offer, discussed_on = data["discussion_offer"], data["discussed_on"]
        if offer != DiscussionOffer.NO_REPLY and discussed_on is None:
            raise CaseError(
                "Enter the date they talked it through or declined", field="discussed_on"
            )
        if discussed_on is not None and discussed_on < case.received_on:
            raise CaseError(
                "The date cannot be before the complaint was received", field="discussed_on"
            )
        due = data["response_due_on"]
        if due < case.received_on:
            raise CaseError(
                "The agreed date cannot be before the complaint was received",
                field="response_due_on",
            )
        calendar = WorkingCalendar(case.bank_holiday_region)
        if due != case.response_due_on and not calendar.is_working_day(due):
            why = calendar.bank_holiday_name(due) or "a weekend"
            raise CaseError(
                f"{clock.format_date(due)} is not a working day ({why}). Agree a working day",
                field="response_due_on",
            )
        reason = data["change_reason"].strip()
        if case.response_due_on is not None and due != case.response_due_on:
            if case.response_sent_on is not None:
                raise CaseError(
                    "The final response has been sent, so its agreed date no longer changes",
                    field="response_due_on",
                )
            if not data["complainant_agreed"]:
                raise CaseError(
                    "The agreed date changes only with the complainant's agreement. Tick that "
                    "they agreed, or keep the date",
                    field="complainant_agreed",
                )
            if not reason:
                raise CaseError("Enter why the date is changing", field="change_reason")
            case.response_delay_reason = reason
        case.discussion_offer = offer
        case.discussed_on = discussed_on if offer != DiscussionOffer.NO_REPLY else None
        case.complaint_issues = data["complaint_issues"]
        case.outcome_wanted = data["outcome_wanted"]
        case.response_due_on = due
        return Done(EventKind.COMPLAINT_PLAN_RECORDED, reason or None)


ACTION = RecordComplaintPlan()
