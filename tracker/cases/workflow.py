"""The workflow as data: which action moves a case from which stage, and who may take it.

Routes, the buttons on the case page, the guidance and the tests all read WORKFLOW. What an
action needs of the case beyond its stage (an urgent case, a reviewer who has left) is the
action's own `refusal` (cases/actions), asked through `cases.actions.refusal` with this table.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from tracker.cases.codes import ClosureReason
from tracker.staff.models import Role, User
from tracker.vocabulary import Labelled


class Stage(Labelled):
    """Where a case is; the tag colour goes with the label, never colour alone."""

    LOGGED = "logged", "Logged", "nhsuk-tag--grey"
    ASSIGNED = "assigned", "Assigned", "nhsuk-tag--blue"
    IN_REVIEW = "in_review", "In review", "nhsuk-tag--purple"
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded", "nhsuk-tag--aqua-green"
    REFERRED_TO_PALS = "referred_to_pals", "Referred to PALS", "nhsuk-tag--orange"
    CLOSED = "closed", "Closed", "nhsuk-tag--white"


OPEN_STAGES = frozenset(Stage) - {Stage.CLOSED}
ALL_STAGES = frozenset(Stage)


class Action(StrEnum):
    ASSIGN = "assign"
    ACKNOWLEDGE = "acknowledge"
    START_REVIEW = "start_review"
    RECORD_OUTCOME = "record_outcome"
    REFER_TO_PALS = "refer_to_pals"
    RECORD_PALS_RESPONSE = "record_pals_response"
    CLOSE = "close"
    REOPEN = "reopen"
    ADD_NOTE = "add_note"
    RECORD_CONTACT = "record_contact"
    UPDATE_CONTACT = "update_contact"
    CORRECT = "correct"
    HAND_ON = "hand_on"
    RECORD_DUTY_DOCTOR = "record_duty_doctor"
    ADD_DOCUMENT = "add_document"
    REMOVE_DOCUMENT = "remove_document"
    SEND_LETTER = "send_letter"
    RECORD_ASPECTS = "record_aspects"
    RECORD_COMPLAINT_PLAN = "record_complaint_plan"
    PREPARE_FINAL_RESPONSE = "prepare_final_response"
    RECORD_SIGNIFICANT_EVENT = "record_significant_event"


class Party(StrEnum):
    """Who may act: a role, or the GP (or manager) the case is assigned to, or the GP of another
    practice it is given to (a visiting GP is no party to any other case)."""

    RECEPTION = Role.RECEPTION.value
    GP = Role.GP.value
    PRACTICE_MANAGER = Role.PRACTICE_MANAGER.value
    ASSIGNEE = "assignee"
    # A GP of another practice in the PCN the case is given to: as the assignee, except that
    # they pass the case on to no one (they do not know this practice's staff).
    OUTSIDE_ASSIGNEE = "outside_assignee"


@dataclass(frozen=True)
class Transition:
    action: Action
    label: str
    to_stage: Stage | None  # None: the case stays in its stage
    allowed: dict[Party, frozenset[Stage]] = field(default_factory=dict)
    done: str = ""
    secondary: bool = False


def _stages(*stages: Stage) -> frozenset[Stage]:
    return frozenset(stages)


WORKFLOW: dict[Action, Transition] = {
    t.action: t
    for t in (
        Transition(
            Action.RECORD_DUTY_DOCTOR,
            "Record that the duty doctor was told",
            None,
            {
                Party.RECEPTION: OPEN_STAGES,
                Party.GP: OPEN_STAGES,
                Party.PRACTICE_MANAGER: OPEN_STAGES,
            },
            done="Duty doctor recorded as told",
        ),
        Transition(
            Action.ASSIGN,
            "Assign a reviewer",
            Stage.ASSIGNED,
            {
                Party.PRACTICE_MANAGER: _stages(Stage.LOGGED, Stage.ASSIGNED, Stage.IN_REVIEW),
                Party.RECEPTION: _stages(Stage.LOGGED),
                Party.ASSIGNEE: _stages(Stage.ASSIGNED, Stage.IN_REVIEW),
            },
            done="Reviewer assigned",
        ),
        Transition(
            Action.ACKNOWLEDGE,
            "Record the acknowledgement",
            None,
            {Party.PRACTICE_MANAGER: OPEN_STAGES, Party.RECEPTION: OPEN_STAGES},
            done="Acknowledgement recorded",
        ),
        Transition(
            Action.START_REVIEW,
            "Start the review",
            Stage.IN_REVIEW,
            {
                Party.PRACTICE_MANAGER: _stages(Stage.ASSIGNED),
                Party.ASSIGNEE: _stages(Stage.ASSIGNED),
            },
            done="Review started",
        ),
        Transition(
            Action.RECORD_OUTCOME,
            "Record the outcome",
            Stage.OUTCOME_RECORDED,
            {
                Party.PRACTICE_MANAGER: _stages(Stage.ASSIGNED, Stage.IN_REVIEW),
                Party.ASSIGNEE: _stages(Stage.ASSIGNED, Stage.IN_REVIEW),
            },
            done="Outcome recorded",
        ),
        Transition(
            Action.REFER_TO_PALS,
            "Refer to PALS",
            Stage.REFERRED_TO_PALS,
            {
                Party.PRACTICE_MANAGER: OPEN_STAGES - {Stage.REFERRED_TO_PALS},
                Party.ASSIGNEE: OPEN_STAGES - {Stage.REFERRED_TO_PALS},
                Party.RECEPTION: OPEN_STAGES - {Stage.REFERRED_TO_PALS},
            },
            done="PALS referral recorded",
            secondary=True,
        ),
        Transition(
            Action.RECORD_PALS_RESPONSE,
            "Record the PALS response",
            None,
            {Party.PRACTICE_MANAGER: _stages(Stage.REFERRED_TO_PALS)},
            done="PALS response recorded",
        ),
        Transition(
            Action.CLOSE,
            "Close the case",
            Stage.CLOSED,
            {
                Party.PRACTICE_MANAGER: OPEN_STAGES,
                Party.RECEPTION: _stages(Stage.LOGGED),
                Party.ASSIGNEE: _stages(Stage.OUTCOME_RECORDED),
            },
            done="Case closed",
            secondary=True,
        ),
        Transition(
            Action.REOPEN,
            "Reopen the case",
            Stage.ASSIGNED,
            {Party.PRACTICE_MANAGER: _stages(Stage.CLOSED)},
            done="Case reopened",
        ),
        Transition(
            Action.ADD_NOTE,
            "Add a note",
            None,
            {Party.RECEPTION: ALL_STAGES, Party.GP: ALL_STAGES, Party.PRACTICE_MANAGER: ALL_STAGES},
            done="Note added",
            secondary=True,
        ),
        Transition(
            Action.RECORD_CONTACT,
            "Record a contact",
            None,
            {Party.RECEPTION: ALL_STAGES, Party.GP: ALL_STAGES, Party.PRACTICE_MANAGER: ALL_STAGES},
            done="Contact recorded",
            secondary=True,
        ),
        Transition(
            Action.ADD_DOCUMENT,
            "Add a document",
            None,
            {Party.RECEPTION: ALL_STAGES, Party.GP: ALL_STAGES, Party.PRACTICE_MANAGER: ALL_STAGES},
            done="Document added",
            secondary=True,
        ),
        Transition(
            Action.REMOVE_DOCUMENT,
            "Remove a document",
            None,
            {Party.PRACTICE_MANAGER: ALL_STAGES},
            done="Document removed",
            secondary=True,
        ),
        Transition(
            Action.UPDATE_CONTACT,
            "Update contact details",
            None,
            {
                Party.RECEPTION: OPEN_STAGES,
                Party.ASSIGNEE: OPEN_STAGES,
                Party.PRACTICE_MANAGER: OPEN_STAGES,
            },
            done="Contact details updated",
            secondary=True,
        ),
        Transition(
            Action.SEND_LETTER,
            "Send a letter",
            None,
            {
                Party.RECEPTION: OPEN_STAGES,
                Party.ASSIGNEE: OPEN_STAGES,
                Party.PRACTICE_MANAGER: OPEN_STAGES,
            },
            done="Letter marked as sent",
            secondary=True,
        ),
        Transition(
            Action.CORRECT,
            "Correct the case details",
            None,
            {
                Party.PRACTICE_MANAGER: OPEN_STAGES,
                Party.RECEPTION: _stages(Stage.LOGGED, Stage.ASSIGNED),
            },
            done="Case details corrected",
            secondary=True,
        ),
        Transition(
            Action.RECORD_COMPLAINT_PLAN,
            "Record the complaint plan",
            None,
            {Party.PRACTICE_MANAGER: OPEN_STAGES},
            done="Complaint plan recorded",
        ),
        Transition(
            Action.PREPARE_FINAL_RESPONSE,
            "Prepare the final response",
            None,
            {Party.PRACTICE_MANAGER: OPEN_STAGES},
            done="Final response prepared",
        ),
        Transition(
            Action.RECORD_SIGNIFICANT_EVENT,
            "Record a significant event",
            None,
            {Party.GP: ALL_STAGES, Party.PRACTICE_MANAGER: ALL_STAGES},
            done="Significant event recorded",
            secondary=True,
        ),
        Transition(
            Action.RECORD_ASPECTS,
            "Record the complaint's subjects (KO41(b))",
            None,
            {Party.PRACTICE_MANAGER: ALL_STAGES},
            done="Complaint's subjects recorded",
            secondary=True,
        ),
        Transition(
            Action.HAND_ON,
            "Hand on from a leaver",
            None,
            {Party.PRACTICE_MANAGER: OPEN_STAGES},
            done="Case handed on",
        ),
    )
}

# A visiting GP acts on the cases given to them only: what the assignee may, but passing it on;
# and notes, contacts, documents and an urgent concern's duty doctor, as any GP.
NOT_FOR_OUTSIDE_ASSIGNEES = frozenset({Action.ASSIGN})
for _transition in WORKFLOW.values():
    if (
        _transition.action not in NOT_FOR_OUTSIDE_ASSIGNEES
        and Party.ASSIGNEE in _transition.allowed
    ):
        _transition.allowed[Party.OUTSIDE_ASSIGNEE] = _transition.allowed[Party.ASSIGNEE]
    if Party.GP in _transition.allowed and _transition.action in {
        Action.ADD_NOTE,
        Action.RECORD_CONTACT,
        Action.ADD_DOCUMENT,
        Action.RECORD_DUTY_DOCTOR,
    }:
        _transition.allowed[Party.OUTSIDE_ASSIGNEE] = _transition.allowed[Party.GP]

# Reception may close only a logged case, and only for these reasons.
RECEPTION_CLOSURE_REASONS = frozenset({ClosureReason.RETURNED_TO_OWN_GP, ClosureReason.WITHDRAWN})
# The assignee GP closes a case only when the patient is satisfied.
ASSIGNEE_CLOSURE_REASONS = frozenset({ClosureReason.RESOLVED_IN_PRACTICE})


def parties(user: User, reviewer_id: int | None) -> set[Party]:
    """The parties this person counts as for a case with this reviewer."""
    if user.role == Role.VISITING_GP:  # only ever the case given to them
        return {Party.OUTSIDE_ASSIGNEE} if user.id == reviewer_id else set()
    found = {Party(user.role)}
    if reviewer_id is not None and user.id == reviewer_id:
        found.add(Party.ASSIGNEE)
    return found


def permitted_stages(action: Action, user: User, reviewer_id: int | None) -> frozenset[Stage]:
    """Every stage from which this person may take this action."""
    transition = WORKFLOW[action]
    stages: frozenset[Stage] = frozenset()
    for party in parties(user, reviewer_id):
        stages |= transition.allowed.get(party, frozenset())
    return stages


def can_take(action: Action, user: User, stage: Stage | str, reviewer_id: int | None) -> bool:
    return Stage(stage) in permitted_stages(action, user, reviewer_id)


def closure_reasons_for(
    user: User, stage: Stage | str, reviewer_id: int | None
) -> frozenset[str] | None:
    """Closure reasons open to this person here; None means every reason."""
    parties_here = {
        p
        for p in parties(user, reviewer_id)
        if Stage(stage) in WORKFLOW[Action.CLOSE].allowed.get(p, ())
    }
    if Party.PRACTICE_MANAGER in parties_here:
        return None
    reasons: set[str] = set()
    if Party.RECEPTION in parties_here:
        reasons |= RECEPTION_CLOSURE_REASONS
    if parties_here & {Party.ASSIGNEE, Party.OUTSIDE_ASSIGNEE}:
        reasons |= ASSIGNEE_CLOSURE_REASONS
    return frozenset(reasons)
