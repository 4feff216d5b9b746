"""/cases/new, /cases/<reference>, one page per workflow action, and the case's documents."""

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit.kinds import EventKind
from tracker.cases import attachments, forms, queries, reviewers, stale
from tracker.cases.actions import REGISTRY, actions_for, check_can_take, perform
from tracker.cases.clocks import due_dates
from tracker.cases.codes import ContactBy, ContactDirection
from tracker.cases.errors import CaseError, NotAllowed, StaleCase
from tracker.cases.history import (
    agreed_response_dates,
    events_since,
    latest_event_id,
    record_case_event,
    record_view,
    timeline_for,
)
from tracker.cases.intake import Intake, log_request
from tracker.cases.letters.kinds import LetterKind, SentMethod
from tracker.cases.models import Case
from tracker.cases.reviewers import reviewer_problem
from tracker.cases.workflow import WORKFLOW, Action
from tracker.extensions import commit_keeping_loaded, db
from tracker.staff.access import CLINICAL_AUDIENCE, roles_required, sees_clinical
from tracker.staff.models import Role

bp = Blueprint("cases", __name__, url_prefix="/cases")
bp.add_app_template_filter(LetterKind.label_of, "letter_label")
bp.add_app_template_filter(SentMethod.label_of, "sent_method_label")
bp.add_app_template_filter(ContactBy.label_of, "contact_by_label")
bp.add_app_template_filter(ContactDirection.label_of, "contact_direction_label")


def get_case_or_404(reference: str) -> Case:
    case = queries.case_for(current_user, reference)
    if case is None:
        abort(404)
    return case


# --- logging a request ---------------------------------------------------------------------


def intake_from(form: forms.IntakeForm) -> Intake:
    return Intake(
        **form.details(),
        **form.address(),
        phone=form.phone.data or None,
        email=form.email.data or None,
        preferred_contact=form.preferred_contact.data,
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.RECEPTION, Role.PRACTICE_MANAGER)
def new():
    form = forms.IntakeForm(gp_choices=reviewers.gp_choices())
    duplicates, no_reviewer, other_identity = [], None, []
    if form.validate_on_submit():
        intake = intake_from(form)
        duplicates = queries.open_cases_for_patient(
            intake.nhs_number, intake.patient_name, intake.date_of_birth
        )
        other_identity = queries.number_under_another_identity(
            intake.nhs_number, intake.patient_name, intake.date_of_birth
        )
        # Warned before saving: no one in the practice can take the request as the patient asks.
        no_reviewer = reviewers.why_no_reviewer(
            Case(route_requested=intake.route_requested, original_gp_id=intake.original_gp_id)
        )
        if (
            (not duplicates or form.confirm_duplicate.data == "yes")
            and (not no_reviewer or form.confirm_no_reviewer.data == "yes")
            and (not other_identity or form.confirm_identity.data == "yes")
        ):
            case = log_request(intake, current_user)
            db.session.commit()
            flash(f"Request logged as {case.reference}", "success")
            return redirect(url_for("cases.show", reference=case.reference))
        form.confirm_duplicate.data = "yes" if duplicates else ""
        form.confirm_no_reviewer.data = "yes" if no_reviewer else ""
        form.confirm_identity.data = "yes" if other_identity else ""
    return render_template(
        "cases/new.jinja",
        form=form,
        duplicates=duplicates,
        no_reviewer=no_reviewer,
        other_identity=other_identity,
    )


# --- the case page -------------------------------------------------------------------------


@bp.route("/<reference>")
@login_required
def show(reference: str):
    # The person, not the proxy: every action's check reads them, each read through the
    # proxy costing a look-up of its own.
    me = current_user._get_current_object()
    found = queries.case_page_for(me, reference)
    if found is None:
        abort(404)
    # A list the case holds nothing in is not read (most cases have no letter, document or
    # contact yet): the case's statement said which do.
    case, held = found
    timeline = timeline_for(case)
    # Read before the actions are weighed: whether there is a document to remove asks too.
    documents = attachments.listed_for(case.id, me, any_held=held.documents)
    page = dict(
        case=case,
        agreed_dates=agreed_response_dates(timeline) if case.formal_complaint else [],
        dues=due_dates(case),
        actions=actions_for(case, me),
        notes=queries.notes_for(case, me) if held.notes else [],
        documents=documents,
        letters=queries.letters_sent(case) if held.letters else [],
        # A GP visiting from another practice sees the case given to them, no other.
        other_requests=(
            queries.other_requests_from(case)
            if me.role != Role.VISITING_GP and held.other_requests(case)
            else []
        ),
        contacts=queries.contacts_for(case) if held.contacts else [],
        timeline=timeline,
        reviewer_mismatch=(
            reviewer_problem(case, case.reviewer) if case.reviewer and case.is_open else None
        ),
    )
    # The page is drawn only once its view is recorded. Everything it shows was read first,
    # in the same transaction, so the view's commit is the request's one commit; only the
    # view's event was added, so what was read is still the case.
    if record_view(case, me, viewed_lately=held.viewed_lately):
        commit_keeping_loaded(db.session())
    return render_template("cases/show.jinja", **page)


# --- workflow actions ----------------------------------------------------------------------


@bp.route("/<reference>/<action_name>", methods=["GET", "POST"])
@login_required
def act(reference: str, action_name: str):
    try:
        action = Action(action_name.replace("-", "_"))
    except ValueError:
        abort(404)
    case = get_case_or_404(reference)
    handler = REGISTRY[action]
    stale_post = request.method == "POST" and _int(request.form.get("version")) != case.version
    try:
        check_can_take(case, action, current_user)
    except NotAllowed as refusal:
        if not stale_post:
            return refused(case, refusal.message)
        # Someone else's change took this action away while the form was open: say who and
        # when, and give back what was typed rather than a page without it.
        form = handler.build_form(case, current_user, first_view=False)
        message = f"{StaleCase(case).message} {refusal.message}"
        return stale_page(case, action, form, message, no_longer_possible=True), 409
    form = handler.build_form(case, current_user, first_view=request.method == "GET")
    if request.method == "GET":
        opened(form, case, handler, form)
    if not form.validate_on_submit():
        return action_page(case, action, form)
    question = handler.confirmation(case, form)
    if question is not None:
        return action_page(case, action, form, confirming=question)
    try:
        perform(case, action, current_user, handler.data(form), _int(form.version.data))
        db.session.commit()
    except (StaleCase, StaleDataError):
        db.session.rollback()
        case = get_case_or_404(reference)
        return stale_page(case, action, form, StaleCase(case).message)
    except NotAllowed as refusal:
        db.session.rollback()
        return refused(case, refusal.message)
    except CaseError as problem:
        db.session.rollback()
        target = getattr(form, problem.field or "", None)
        (target.errors if target is not None else form.form_errors).append(problem.message)
        for name in problem.confirm:
            getattr(form, name).data = "yes"
        return action_page(case, action, form)
    flash(f"{WORKFLOW[action].done} on {case.reference}", "success")
    follow_on = handler.next_action(case, current_user)
    if follow_on is not None:
        flash(reviewer_problem(case, case.reviewer) or "", "warning")
        return redirect(
            url_for(
                "cases.act", reference=case.reference, action_name=follow_on.value.replace("_", "-")
            )
        )
    return redirect(url_for("cases.show", reference=case.reference))


def opened(form, case: Case, handler, filled) -> None:
    """The form is (again) one opened on the case as it is now: its version, the newest event
    and, for a form that edits the case's details, the values `filled` from the case now."""
    form.version.data = str(case.version)
    form.seen.data = str(latest_event_id(case))
    if handler.edits:
        form.opened_with.data = stale.opened_with(filled, handler.edits)


def stale_page(case: Case, action: Action, form, message: str, no_longer_possible=False):
    """The form again after someone else changed the case first: what they changed and did,
    and the form started from the case as it is now with this person's own changes on top."""
    handler = REGISTRY[action]
    field_changes = []
    if handler.edits:
        now = handler.filled_from(case)
        field_changes = stale.merge(
            form, now, stale.read_opened(form.opened_with.data, handler.edits), handler.edits
        )
    else:
        now = form
    changes_since = events_since(case, _int(form.seen.data))
    opened(form, case, handler, now)
    return action_page(
        case,
        action,
        form,
        message,
        no_longer_possible=no_longer_possible,
        field_changes=field_changes,
        changes_since=changes_since,
    )


def action_page(
    case: Case,
    action: Action,
    form,
    stale_message=None,
    no_longer_possible=False,
    field_changes=(),
    changes_since=(),
    confirming=None,
):
    return render_template(
        "cases/action.jinja",
        case=case,
        action=action,
        transition=WORKFLOW[action],
        template=REGISTRY[action].template,
        form=form,
        stale_message=stale_message,
        no_longer_possible=no_longer_possible,
        field_changes=field_changes,
        changes_since=changes_since,
        confirming=confirming,
    )


def refused(case: Case, message: str):
    return render_template("cases/refused.jinja", case=case, message=message), 403


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- documents -----------------------------------------------------------------------------


@bp.route("/<reference>/documents/<int:attachment_id>")
@login_required
def download_document(reference: str, attachment_id: int):
    """The document as it was uploaded, always as a download (never shown in the page), with
    its type from its content. A clinical document opens only for those who may see clinical
    material."""
    case = get_case_or_404(reference)
    attachment = attachments.find(case.id, attachment_id)
    if attachment is None:
        abort(404)
    if attachment.clinical and not sees_clinical(current_user):
        return refused(
            case,
            f"Clinical documents are for {CLINICAL_AUDIENCE} only. "
            "Ask the reviewer or the practice manager if you need what it says.",
        )
    content = attachments.content_of(attachment.id)
    record_case_event(
        EventKind.DOCUMENT_DOWNLOADED,
        current_user,
        case,
        detail=attachments.summary(attachment),
        clinical=attachment.clinical,
    )
    db.session.commit()
    response = send_file(
        io.BytesIO(content),
        mimetype=attachment.media_type,
        as_attachment=True,
        download_name=attachment.download_name,
        etag=False,
        conditional=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
