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
    record_duty_doctor,
    record_outcome,
    record_pals_response,
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

__all__ = ["REGISTRY", "CaseAction", "Done", "actions_for", "check_can_take", "perform"]

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
        add_document,
        remove_document,
        update_contact,
        correct,
        hand_on,
        record_duty_doctor,
        send_letter,
    )
}


def check_can_take(case: Case, action: Action, actor: User) -> None:
    """Raise NotAllowed unless this person may take this action on the case now."""
    transition = WORKFLOW[action]
    if can_take(action, actor, case.stage, case.reviewer_id):
        if transition.condition is None or transition.condition(case):
            return
        raise NotAllowed(transition.condition_unmet)
    if permitted_stages(action, actor, case.reviewer_id):
        raise NotAllowed(
            f"'{transition.label}' cannot be done while the case is {case.stage_label.lower()}."
        )
    raise NotAllowed(f"Your role cannot '{transition.label.lower()}' on this case.")


def actions_for(case: Case, user: User) -> list[Transition]:
    """The actions this person may take on the case now, in the workflow table's order."""
    shown = []
    for transition in WORKFLOW.values():
        try:
            check_can_take(case, transition.action, user)
        except NotAllowed:
            continue
        if REGISTRY[transition.action].available(case, user):
            shown.append(transition)
    return shown


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
