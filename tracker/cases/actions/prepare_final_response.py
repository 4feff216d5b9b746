"""Prepare the final response to a formal complaint: how it was considered, a conclusion on
each issue of the complaint plan, any apology, the action taken or to be taken, the lessons
learned, and the responsible person who signs it. The final response letter is made from it,
and only once every issue has a conclusion."""

from typing import Any

from sqlalchemy import select
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.audit.kinds import EventKind
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.errors import CaseError
from tracker.cases.forms import NOTE_MAX, VersionedForm
from tracker.cases.models import Case
from tracker.cases.workflow import Action
from tracker.extensions import db
from tracker.forms import choices, strip
from tracker.staff.models import Role, User, works_as

MAX_ISSUES = 10


def _text(label: str, required: str | None, description: str = "") -> TextAreaField:
    validators = [Length(max=NOTE_MAX, message=f"{label} must be {NOTE_MAX:,} characters or fewer")]
    if required:
        validators.insert(0, DataRequired(required))
    return TextAreaField(label, description=description, filters=[strip], validators=validators)


class FinalResponseForm(VersionedForm):
    considered = _text(
        "How the complaint was considered",
        "Enter how the complaint was considered",
        "Who looked into it, what they read and who they spoke to.",
    )
    apology = _text(
        "Apology",
        None,
        "Where something went wrong, say sorry for it plainly. Leave blank if nothing did.",
    )
    actions = _text(
        "Action taken or to be taken",
        "Enter the action taken or to be taken, or say that none is needed and why",
    )
    lessons = _text(
        "Lessons learned",
        "Enter what the practice has learned, or say why there is nothing to learn",
    )
    signed_by = SelectField(
        "The responsible person who signs it",
        validate_choice=False,
        validators=[DataRequired("Choose who signs the final response")],
    )


for _n in range(1, MAX_ISSUES + 1):
    setattr(
        FinalResponseForm,
        f"conclusion_{_n}",
        _text("Our conclusion", None),
    )


def signers() -> list[User]:
    """Who may sign a final response: the practice's active GPs (the senior partner first)
    and practice managers."""
    people = db.session.scalars(
        select(User).where(User.active, works_as(Role.GP, Role.PRACTICE_MANAGER))
    ).all()
    return sorted(
        people,
        key=lambda p: (not p.is_senior_partner, p.role != Role.PRACTICE_MANAGER, p.full_name),
    )


class PrepareFinalResponse(CaseAction):
    action = Action.PREPARE_FINAL_RESPONSE
    form = FinalResponseForm
    events = (EventKind.FINAL_RESPONSE_PREPARED,)

    def refusal(self, case: Case, user: User) -> str | None:
        if not case.formal_complaint:
            return "Only a formal complaint has a final response."
        return None

    def build_form(self, case: Case, user: User, *, first_view: bool) -> FinalResponseForm:
        form = FinalResponseForm()
        form.issues = case.complaint_issue_list[:MAX_ISSUES]
        form.signed_by.choices = choices(
            [("", "Choose who signs it")]
            + [(str(p.id), f"{p.full_name} ({p.role_label})") for p in signers()]
        )
        if first_view:
            form.considered.data = case.response_considered
            form.apology.data = case.response_apology
            form.actions.data = case.response_actions
            form.lessons.data = case.response_lessons
            signer = case.response_signed_by_id or (
                user.id if user.role == Role.PRACTICE_MANAGER else None
            )
            form.signed_by.data = str(signer) if signer else ""
            found = {
                item["issue"]: item.get("conclusion", "") for item in case.response_findings or []
            }
            for n, issue in enumerate(form.issues, start=1):
                form[f"conclusion_{n}"].data = found.get(issue, "")
        return form

    def data(self, form: FinalResponseForm) -> dict[str, Any]:
        return {
            "considered": form.considered.data,
            "apology": form.apology.data or "",
            "actions": form.actions.data,
            "lessons": form.lessons.data,
            "signed_by": form.signed_by.data,
            "conclusions": [form[f"conclusion_{n}"].data or "" for n in range(1, MAX_ISSUES + 1)],
        }

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        issues = case.complaint_issue_list
        if not issues:
            raise CaseError(
                "Record the complaint plan first: the final response answers each of its issues",
                field="considered",
            )
        if len(issues) > MAX_ISSUES:
            raise CaseError(
                f"The complaint plan lists {len(issues)} issues; the final response answers at "
                f"most {MAX_ISSUES}. Group them in the plan first",
                field="considered",
            )
        signer = next((p for p in signers() if str(p.id) == str(data["signed_by"])), None)
        if signer is None:
            raise CaseError("Choose who signs the final response", field="signed_by")
        findings = []
        for n, issue in enumerate(issues, start=1):
            conclusion = data["conclusions"][n - 1].strip()
            if not conclusion:
                raise CaseError(f"Enter the conclusion on issue {n}", field=f"conclusion_{n}")
            findings.append({"issue": issue, "conclusion": conclusion})
        case.response_considered = data["considered"]
        case.response_findings = findings
        case.response_apology = data["apology"].strip() or None
        case.response_actions = data["actions"]
        case.response_lessons = data["lessons"]
        case.response_signed_by_id = signer.id
        return Done(EventKind.FINAL_RESPONSE_PREPARED)


ACTION = PrepareFinalResponse()
