"""What every case action is made of: its form, how the form is prepared, what it does."""

from dataclasses import dataclass
from typing import Any, ClassVar

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.errors import CaseError, NotAllowed
from tracker.cases.forms import VersionedForm
from tracker.cases.models import Case
from tracker.cases.reviewers import (
    Facts,
    admit_outside_reviewer,
    person,
    reviewer_choices,
    reviewer_problem,
    why_no_reviewer,
)
from tracker.cases.workflow import Action, can_take
from tracker.forms import Form, choices
from tracker.staff.leave import away_on
from tracker.staff.models import Role, User


@dataclass(frozen=True)
class Done:
    """What an action did: the event it records, any text the person typed for it (kept
    beside the event as the patient's data), the system's own words for what was done
    (nothing about the patient), and whether it was about clinical material (a clinical note,
    document or letter), which keeps what was typed from those who may not see it."""

    kind: EventKind
    typed: str | None = None
    detail: str | None = None
    clinical: bool = False


class CaseAction:
    """One workflow action. Its row in WORKFLOW says who may take it from which stage; this
    says how: the form, how the form is prepared, and the change it makes to the case.
    `cases.actions.refusal` says whether a person may take it on a case now (the case page shows
    the button, and the request is accepted, on that one answer); `cases.actions.perform` checks
    the version and that answer, calls `apply` and records the event; `apply` raises CaseError
    naming the field for a rule the submitted data breaks."""

    action: ClassVar[Action]
    form: ClassVar[type[Form]]
    events: ClassVar[tuple[EventKind, ...]]  # every kind `apply` may return
    # The form's fields that start from the case's own details, for a form that edits them:
    # opened before someone else's change, it starts again from the case as it is now with the
    # person's own changes on top (cases/stale.py).
    edits: ClassVar[tuple[str, ...]] = ()

    @property
    def template(self) -> str:
        return f"cases/actions/{self.action.value}.jinja"

    def refusal(self, case: Case, user: User) -> str | None:
        """Beyond the workflow table: why there is nothing for this person to do with this
        action on this case now, or None when there is."""
        return None

    def build_form(self, case: Case, user: User, *, first_view: bool) -> Form:
        """The form, with its choices, and its starting values when first opened."""
        return self.form()

    def filled_from(self, case: Case) -> Form:
        """For a form that `edits` the case: the form filled from the case as it is now,
        whatever was submitted."""
        raise NotImplementedError

    def confirmation(self, case: Case, form: Form) -> str | None:
        """For an action that cannot be undone: what the person is asked to check before it is
        done, while the valid form has not been confirmed; None to go ahead."""
        return None

    def data(self, form: Form) -> dict[str, Any]:
        """What the service needs from a valid form."""
        return {
            name: field.data
            for name, field in form._fields.items()
            if name not in VersionedForm.BOOKKEEPING
        }

    def apply(self, case: Case, actor: User, data: dict[str, Any]) -> Done:
        raise NotImplementedError

    def next_action(self, case: Case, user: User) -> Action | None:
        """An action to go to at once after this one (the case page otherwise)."""
        return None


class ChoosesReviewer(CaseAction):
    """An action whose form gives the case to a reviewer the case's rules allow, with a reason.

    When no one the patient's request names can take the case, the form says why; the practice
    manager may then choose anyone who did not give the first opinion, and the reason records
    why the request could not be followed. The form has `reviewer`, `reason` and the hidden
    `outside_request`.

    When no one may take the case and the person is not the practice manager, the page says
    why and the way on, with no list to choose from and no button."""

    # A reopened case may go back to the reviewer it had: they are offered, marked as such.
    offers_last_reviewer: ClassVar[bool] = False

    def build_form(self, case: Case, user: User, *, first_view: bool) -> Form:
        form = self.form()
        form.no_reviewer_because = why_no_reviewer(
            case, offer_reviewer=self.offers_last_reviewer, viewer=user
        )
        form.correct_allowed = can_take(Action.CORRECT, user, case.stage, case.reviewer_id)
        outside = form.no_reviewer_because is not None and user.role == Role.PRACTICE_MANAGER
        manager = user.role == Role.PRACTICE_MANAGER
        form.facts = Facts.today()
        form.reviewer.choices = choices(
            reviewer_choices(
                case,
                follow_route=not outside,
                offer_reviewer=self.offers_last_reviewer,
                facts=form.facts,
                hide_away=not manager,
            )
        )
        # The practice manager may give a case to someone away, saying why.
        form.anyone_away = manager and any(
            int(choice.value) in form.facts.away for choice in form.reviewer.choices[1:]
        )
        form.cannot_submit = form.no_reviewer_because is not None and not outside
        if outside:
            form.outside_request.data = "yes"
        return form

    def data(self, form: Form) -> dict[str, Any]:
        return {
            "reviewer_id": form.reviewer.data,
            "reason": form.reason.data,
            "outside_request": form.outside_request.data == "yes",
        }

    def waive_route(self, case: Case, actor: User, data: dict[str, Any]) -> None:
        """The practice manager gives the case to someone the patient's request does not name,
        because no one it names can take it, and records why."""
        if actor.role != Role.PRACTICE_MANAGER:
            raise NotAllowed(
                "Only the practice manager can give a case to someone the patient did not ask for."
            )
        if why_no_reviewer(case, offer_reviewer=self.offers_last_reviewer) is None:
            raise CaseError(
                "Someone the patient's request names can take the case now. Choose from the list",
                field="reviewer",
            )
        if not (data.get("reason") or "").strip():
            raise CaseError("Enter why the patient's request cannot be followed", field="reason")
        case.route_waived = True

    def chosen_reviewer(self, case: Case, actor: User, data: dict[str, Any]) -> User:
        """The person chosen, or CaseError on the reviewer field saying why they cannot be.
        Their account row is locked until the change commits, so they cannot be deactivated
        in between and left with the case."""
        if data.get("outside_request"):
            self.waive_route(case, actor, data)
        reviewer = person(data.get("reviewer_id"), lock=True)
        problem = reviewer_problem(case, reviewer)
        if problem:
            raise CaseError(problem, field="reviewer")
        away = away_on(clock.today_london())
        if reviewer.id in away and reviewer.id != case.reviewer_id:
            until = clock.format_date(away[reviewer.id])
            if actor.role != Role.PRACTICE_MANAGER:
                raise CaseError(
                    f"{reviewer.full_name} is away until {until}. Choose someone else, or ask "
                    "the practice manager",
                    field="reviewer",
                )
            if not (data.get("reason") or "").strip():
                raise CaseError(
                    f"{reviewer.full_name} is away until {until}. Enter why they should have the "
                    "case anyway",
                    field="reason",
                )
        admit_outside_reviewer(reviewer)  # a GP of another practice in the PCN: their access
        return reviewer
