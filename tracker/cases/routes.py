"""/cases/new, /cases/<reference> and one page per workflow action."""

from datetime import UTC

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from tracker import clock
from tracker.audit.services import record_view
from tracker.auth.decorators import roles_required
from tracker.cases import forms, presenters, services
from tracker.cases.models import Case
from tracker.cases.workflow import WORKFLOW, Action
from tracker.extensions import db
from tracker.fields import london_datetime
from tracker.settings.models import load_settings
from tracker.staff.models import Role, User

bp = Blueprint("cases", __name__, url_prefix="/cases")


def get_case_or_404(reference: str) -> Case:
    case = services.get_by_reference(reference)
    if case is None:
        abort(404)
    return case


# --- logging a request ---------------------------------------------------------------------


def intake_from(form: forms.IntakeForm) -> services.Intake:
    other = form.original_gp.data == forms.OTHER_GP
    return services.Intake(
        nhs_number=None if form.nhs_number_unknown.data else form.nhs_number.data,
        nhs_number_unknown=form.nhs_number_unknown.data,
        patient_name=form.patient_name.data,
        date_of_birth=form.date_of_birth.data,
        phone=form.phone.data or None,
        email=form.email.data or None,
        preferred_contact=form.preferred_contact.data,
        received_on=form.received_on.data,
        channel=form.channel.data,
        original_gp_id=None if other else int(form.original_gp.data),
        original_gp_other=form.original_gp_other.data if other else None,
        concern=form.concern.data,
        route_requested=form.route_requested.data,
        already_discussed_with_own_gp=form.already_discussed_with_own_gp.data == "yes",
        formal_complaint=form.formal_complaint.data == "yes",
        urgent=form.urgent.data == "yes",
        representative_name=form.representative_name.data or None,
        representative_relationship=form.representative_relationship.data or None,
        representative_consent=bool(form.representative_name.data)
        and form.representative_consent.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.RECEPTION, Role.PRACTICE_MANAGER)
def new():
    form = forms.IntakeForm(gp_choices=services.gp_choices())
    duplicates = []
    if form.validate_on_submit():
        intake = intake_from(form)
        duplicates = services.open_cases_for_patient(
            intake.nhs_number, intake.patient_name, intake.date_of_birth
        )
        if not duplicates or form.confirm_duplicate.data == "yes":
            case = services.log_request(intake, current_user)
            db.session.commit()
            flash(f"Request logged as {case.reference}", "success")
            return redirect(url_for("cases.show", reference=case.reference))
        form.confirm_duplicate.data = "yes"
    return render_template("cases/new.jinja", form=form, duplicates=duplicates)


# --- the case page -------------------------------------------------------------------------


def actions_for(case: Case, user: User) -> list:
    """Buttons for the actions this person may take now."""
    shown = []
    for transition in WORKFLOW.values():
        try:
            services.check_can_take(case, transition.action, user)
        except services.NotAllowed:
            continue
        if transition.action == Action.CLOSE and services.closure_reasons(case, user) == set():
            continue
        shown.append(transition)
    return shown


@bp.route("/<reference>")
@login_required
def show(reference: str):
    case = get_case_or_404(reference)
    if record_view(case, current_user):
        db.session.commit()
    from tracker.queue import clocks
    from tracker.queue.routes import current_targets

    return render_template(
        "cases/show.jinja",
        case=case,
        dues=clocks.due_dates(case, current_targets()),
        actions=actions_for(case, current_user),
        notes=services.notes_for(case, current_user),
        timeline=services.timeline_for(case),
        sees_clinical=current_user.role != Role.RECEPTION,
        p=presenters,
    )


# --- workflow actions ----------------------------------------------------------------------

ACTION_FORMS = {
    Action.ASSIGN: forms.AssignForm,
    Action.ACKNOWLEDGE: forms.AcknowledgeForm,
    Action.START_REVIEW: forms.StartReviewForm,
    Action.RECORD_OUTCOME: forms.RecordOutcomeForm,
    Action.REFER_TO_PALS: forms.ReferToPalsForm,
    Action.RECORD_PALS_RESPONSE: forms.PalsResponseForm,
    Action.CLOSE: forms.CloseForm,
    Action.REOPEN: forms.ReopenForm,
    Action.ADD_NOTE: forms.NoteForm,
    Action.UPDATE_CONTACT: forms.ContactForm,
}


def reviewer_choices(case: Case) -> list[tuple[str, str]]:
    people = [p for p in services.eligible_reviewers(case) if p.id != case.reviewer_id]
    return [("", "Choose a reviewer")] + [
        (str(p.id), f"{p.full_name} ({p.role_label})") for p in people
    ]


def build_form(action: Action, case: Case):
    form_class = ACTION_FORMS[action]
    kwargs = {}
    if action == Action.CLOSE:
        kwargs["allowed_reasons"] = services.closure_reasons(case, current_user)
        kwargs["formal_complaint"] = case.formal_complaint
    if action == Action.UPDATE_CONTACT and request.method == "GET":
        kwargs["obj"] = case
    form = form_class(**kwargs)
    if action in (Action.ASSIGN, Action.REOPEN):
        from tracker.forms import choices

        form.reviewer.choices = choices(reviewer_choices(case))
    if action == Action.REFER_TO_PALS and request.method == "GET":
        form.pals_service.data = load_settings().pals_office_name or ""
    if request.method == "GET":
        form.version.data = str(case.version)
    return form


def data_from(action: Action, form) -> dict:
    data = {
        name: field.data
        for name, field in form._fields.items()
        if name not in ("csrf_token", "version")
    }
    if "reviewer" in data:
        data["reviewer_id"] = data.pop("reviewer")
    if action == Action.START_REVIEW:
        data = {"appointment_at": None}
        if form.review_type.data == "appointment":
            local = london_datetime(form.appointment_date.data, form.parsed_time())
            data["appointment_at"] = local.astimezone(UTC)
    return data


def refused(case: Case, message: str):
    return render_template("cases/refused.jinja", case=case, message=message), 403


@bp.route("/<reference>/<action_name>", methods=["GET", "POST"])
@login_required
def act(reference: str, action_name: str):
    try:
        action = Action(action_name.replace("-", "_"))
    except ValueError:
        abort(404)
    case = get_case_or_404(reference)
    stale_post = request.method == "POST" and _int(request.form.get("version")) != case.version
    try:
        services.check_can_take(case, action, current_user)
    except services.NotAllowed as refusal:
        if not stale_post:
            return refused(case, refusal.message)
        # Someone else's change took this action away while the form was open: say who and
        # when, and give back what was typed rather than a page without it.
        form = build_form(action, case)
        form.version.data = str(case.version)
        return render_template(
            "cases/action.jinja",
            case=case,
            action=action,
            transition=WORKFLOW[action],
            form=form,
            stale_message=f"{services.StaleCase(case).message} {refusal.message}",
            no_longer_possible=True,
            p=presenters,
        ), 409
    form = build_form(action, case)
    stale_message = None
    if form.validate_on_submit():
        try:
            services.perform(
                case, action, current_user, data_from(action, form), _int(form.version.data)
            )
            db.session.commit()
        except services.StaleCase as stale:
            db.session.rollback()
            stale_message = stale.message
            form.version.data = str(case.version)
        except StaleDataError:
            db.session.rollback()
            case = get_case_or_404(reference)
            stale_message = services.StaleCase(case).message
            form.version.data = str(case.version)
        except services.NotAllowed as refusal:
            db.session.rollback()
            return refused(case, refusal.message)
        except services.CaseError as problem:
            db.session.rollback()
            target = getattr(form, problem.field or "", None)
            (target.errors if target is not None else form.form_errors).append(problem.message)
        else:
            flash(f"{WORKFLOW[action].done} on {case.reference}", "success")
            return redirect(url_for("cases.show", reference=case.reference))
    return render_template(
        "cases/action.jinja",
        case=case,
        action=action,
        transition=WORKFLOW[action],
        form=form,
        stale_message=stale_message,
        p=presenters,
        now_london=clock.to_london(clock.now_utc()),
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
