"""/actions: the practice's improvement actions (open, overdue, done; everyone's or one's own),
one action with its progress and completion, and raising one from a case."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases import queries
from tracker.cases.forms import NOTE_MAX
from tracker.cases.history import record_case_event
from tracker.cases.improvement import (
    SHOWN,
    ImprovementAction,
    ImprovementNote,
    listed,
    may_add,
    may_update,
    notes_of,
    words_for,
)
from tracker.extensions import db
from tracker.fields import DateInputField, DateRequired
from tracker.forms import Form, choices, strip
from tracker.staff.access import CLINICAL_AUDIENCE, sees_clinical
from tracker.staff.models import STAFF_ROLES, User, works_as

bp = Blueprint("improvement", __name__, url_prefix="/actions")


def _text(label: str, required: str, description: str = "") -> TextAreaField:
    return TextAreaField(
        label,
        description=description,
        filters=[strip],
        validators=[
            DataRequired(required),
            Length(max=NOTE_MAX, message=f"{label} must be {NOTE_MAX:,} characters or fewer"),
        ],
    )


class NewActionForm(Form):
    description = _text(
        "What will change",
        "Enter what will change",
        "One action someone can do and show is done, like: add a knee examination prompt to "
        "the minor illness template.",
    )
    clinical = BooleanField(
        "Clinical action",
        description=f"Its words are seen by {CLINICAL_AUDIENCE} only; reception sees its owner, "
        "dates and progress.",
    )
    owner = SelectField("Who will do it", validate_choice=False)
    due_on = DateInputField(
        "Due by", validators=[DateRequired("Enter the date the action is due by")]
    )


class NoteForm(Form):
    text = _text("Progress", "Enter the progress to record")


class DoneForm(Form):
    evidence = _text(
        "Evidence that it is done",
        "Enter the evidence that the action is done",
        "What shows it: the meeting minutes, the changed template, the training record.",
    )


def _staff() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.active, works_as(*STAFF_ROLES)).order_by(User.full_name)
        )
    )


def _action_or_404(action_id: int) -> ImprovementAction:
    action = db.session.get(ImprovementAction, action_id)
    if action is None:
        abort(404)
    return action


@bp.route("")
@login_required
def index():
    shown = request.args.get("show", "open")
    if shown not in SHOWN:
        shown = "open"
    mine = request.args.get("mine") == "1"
    today = clock.today_london()
    actions = listed(shown, current_user.id if mine else None, today)
    return render_template(
        "learning/index.jinja",
        actions=actions,
        shown=shown,
        mine=mine,
        today=today,
        words_for=words_for,
    )


@bp.route("/new/<reference>", methods=["GET", "POST"])
@login_required
def new(reference: str):
    case = queries.case_for(current_user, reference)
    if case is None:
        abort(404)
    if not may_add(current_user):
        abort(403)
    form = NewActionForm()
    staff = _staff()
    form.owner.choices = choices(
        [("", "Choose who will do it")]
        + [(str(p.id), f"{p.full_name} ({p.role_label})") for p in staff]
    )
    if form.validate_on_submit():
        owner = next((p for p in staff if str(p.id) == form.owner.data), None)
        clinical = bool(form.clinical.data) and sees_clinical(current_user)
        if owner is None:
            form.owner.errors.append("Choose who will do it")
        elif clinical and not sees_clinical(owner):
            form.owner.errors.append(
                f"A clinical action's owner must be one of the {CLINICAL_AUDIENCE}, who can read it"
            )
        elif form.due_on.data < clock.today_london():
            form.due_on.errors.append("The due date must be today or later")
        else:
            action = ImprovementAction(
                case_id=case.id,
                description=form.description.data,
                clinical=clinical,
                owner_id=owner.id,
                due_on=form.due_on.data,
                created_by_id=current_user.id,
            )
            db.session.add(action)
            db.session.flush()
            record_case_event(
                EventKind.IMPROVEMENT_ADDED,
                current_user,
                case,
                detail=f"Improvement action {action.id} for {owner.full_name}, due "
                f"{clock.format_date(action.due_on)}",
                clinical=clinical,
            )
            db.session.commit()
            flash(f"Improvement action added for {owner.full_name}", "success")
            return redirect(url_for("improvement.show", action_id=action.id))
    return render_template("learning/new.jinja", form=form, case=case)


def _page(action: ImprovementAction, note_form: NoteForm, done_form: DoneForm):
    return render_template(
        "learning/show.jinja",
        action=action,
        notes=notes_of(action.id),
        note_form=note_form,
        done_form=done_form,
        may_update=may_update(current_user, action),
        today=clock.today_london(),
        words_for=words_for,
    )


@bp.route("/<int:action_id>")
@login_required
def show(action_id: int):
    action = _action_or_404(action_id)
    return _page(action, NoteForm(), DoneForm())


@bp.route("/<int:action_id>/progress", methods=["POST"])
@login_required
def add_progress(action_id: int):
    action = _action_or_404(action_id)
    if not may_update(current_user, action):
        abort(403)
    form = NoteForm()
    if action.done_at is not None:
        flash("This action is done: its progress is complete", "info")
        return redirect(url_for("improvement.show", action_id=action.id))
    if not form.validate_on_submit():
        return _page(action, form, DoneForm()), 400
    db.session.add(
        ImprovementNote(action_id=action.id, author_id=current_user.id, text=form.text.data)
    )
    record_case_event(
        EventKind.IMPROVEMENT_PROGRESS,
        current_user,
        action.case,
        detail=f"Progress recorded on improvement action {action.id}",
        clinical=action.clinical,
    )
    db.session.commit()
    flash("Progress recorded", "success")
    return redirect(url_for("improvement.show", action_id=action.id))


@bp.route("/<int:action_id>/done", methods=["POST"])
@login_required
def mark_done(action_id: int):
    action = _action_or_404(action_id)
    if not may_update(current_user, action):
        abort(403)
    form = DoneForm()
    if action.done_at is not None:
        flash("This action was already done", "info")
        return redirect(url_for("improvement.show", action_id=action.id))
    if not form.validate_on_submit():
        return _page(action, NoteForm(), form), 400
    action.done_at = clock.now_utc()
    action.done_by_id = current_user.id
    action.evidence = form.evidence.data
    record_case_event(
        EventKind.IMPROVEMENT_DONE,
        current_user,
        action.case,
        detail=f"Improvement action {action.id} done",
        clinical=action.clinical,
    )
    db.session.commit()
    flash("Action recorded as done", "success")
    return redirect(url_for("improvement.show", action_id=action.id))
