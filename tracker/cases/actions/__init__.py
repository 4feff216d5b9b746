"""Every workflow action, one module each, and the one way they are carried out.

WORKFLOW (cases/workflow.py) says who may take an action from which stage; each module here
holds the action's form, how the form is prepared and what the action does to the case; its
template is templates/cases/actions/<action>.jinja. `perform` is the only path from a
submitted action to a changed case and its event.
"""

from typing import Any

from tracker import clock
from tracker.audit.models import Event
from tracker.audit.record import diff
from tracker.cases import notices
from tracker.cases.actions import (
    acknowledge,
    add_document,
    add_note,
    assign,
    close,
    correct,
    hand_on,
    prepare_final_response,
    record_aspects,
    record_complaint_plan,
    record_contact,
    record_duty_doctor,
    record_outcome,
    record_pals_response,
    record_significant_event,
    refer_to_pals,
    remove_document,
    reopen,
    send_letter,
    start_review,
    update_contact,
)
from tracker.cases.actions.base import CaseAction, Done
from tracker.cases.errors import NotAllowed, StaleCase
from tracker.cases.history import record_case_event, snapshot
from tracker.cases.models import Case
from tracker.cases.workflow import WORKFLOW, Action, Transition, can_take, permitted_stages
from tracker.staff.models import User

__all__ = [
    "REGISTRY",
    "RETAINED_NO_MORE",
    "CaseAction",
    "Done",
    "actions_for",
    "check_can_take",
    "perform",
    "refusal",
]

RETAINED_NO_MORE = (
    "The patient's details were removed from this case at the end of the retention period, "
    "so nothing can be added to it or changed on it any more."
)

REGISTRY: dict[Action, CaseAction] = {
    module.ACTION.action: module.ACTION
    for module in (
        assign,
        acknowledge,
        start_review,
        record_outcome,
        refer_to_pals,
        record_pals_response,
        close,
        reopen,
        add_note,
        record_contact,
        add_document,
        remove_document,
        update_contact,
        correct,
        hand_on,
        record_duty_doctor,
        send_letter,
        record_aspects,
        record_complaint_plan,
        prepare_final_response,
        record_significant_event,
    )
}


def refusal(case: Case, action: Action, user: User) -> str | None:
    """Why this person may not take this action on the case now, or None when they may.

    The one answer to "may this person act here?": the case page shows an action's button
    when it is None, and the action's page and its request are refused when it is not. A case
    whose patient's details the retention purge removed takes no action at all."""
    if case.identifiers_removed_at is not None:
        return RETAINED_NO_MORE
    transition = WORKFLOW[action]
    if not can_take(action, user, case.stage, case.reviewer_id):
        if permitted_stages(action, user, case.reviewer_id):
            return (
                f"'{transition.label}' cannot be done while the case is {case.stage_label.lower()}."
            )
        return f"Your role cannot '{transition.label.lower()}' on this case."
    return REGISTRY[action].refusal(case, user)


def check_can_take(case: Case, action: Action, actor: User) -> None:
    """Raise NotAllowed unless this person may take this action on the case now."""
    message = refusal(case, action, actor)
    if message is not None:
        raise NotAllowed(message)


def actions_for(case: Case, user: User) -> list[Transition]:
    """The actions this person may take on the case now, in the workflow table's order."""
    return [t for t in WORKFLOW.values() if refusal(case, t.action, user) is None]


def perform(
    case: Case, action: Action, actor: User, data: dict[str, Any], version: int | None
) -> Event:
    """Apply one workflow action: check version and permission, change the case, record the
    event and queue the emails it causes. The caller commits (all of it, or none)."""
    if version is None or int(version) != case.version:
        raise StaleCase(case)
    check_can_take(case, action, actor)
    before = snapshot(case)
    from_stage = case.stage
    previous_reviewer_id = case.reviewer_id
    done = REGISTRY[action].apply(case, actor, data)
    transition = WORKFLOW[action]
    if transition.to_stage is not None:
        case.stage = transition.to_stage
    changes = diff(before, snapshot(case))
    if changes:
        case.updated_at = clock.now_utc()
        case.updated_by_id = actor.id
    event = record_case_event(
        done.kind,
        actor,
        case,
        from_stage=from_stage,
        to_stage=case.stage,
        changes=changes,
        detail=done.detail,
        personal_detail=done.typed,
        clinical=done.clinical,
    )
    notices.after_action(case, done.kind, actor, previous_reviewer_id, changes)
    return event
