"""/practice: someone who works in several practices changes the practice they are working in;
/practices/<id>/cases/<reference>: a case's link that names its practice (the one emails carry)
opens the case in that practice for anyone who works there."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from wtforms import RadioField
from wtforms.validators import InputRequired

from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db
from tracker.forms import Form, choices
from tracker.practices.models import Practice
from tracker.practices.scope import chosen_practice_id, in_practice
from tracker.security.sessions import current_session, practice_chosen_at_sign_in
from tracker.staff.services import practices_of

bp = Blueprint("practice", __name__)

ROLE_CHOSEN_AT_SIGN_IN = (
    "You chose your role at this practice when you signed in with {provider}. To work in "
    "another practice, sign out and sign in again, choosing your role there."
)


class ChoosePracticeForm(Form):
    practice = RadioField(
        "Which practice are you working in?",
        validators=[InputRequired("Choose the practice you are working in")],
    )


def work_in(practice: Practice, theirs: list[Practice]) -> None:
    """Move this session to another of the person's practices (`theirs`), audited in both;
    the caller has checked they work there, and commits."""
    before = next(p for p in theirs if p.id == chosen_practice_id())
    record_event(
        EventKind.PRACTICE_CHANGED, current_user, detail=f"Moved to {practice.practice_name}"
    )
    current_session().practice_id = practice.id
    with in_practice(practice.id):
        record_event(
            EventKind.PRACTICE_CHANGED,
            current_user,
            detail=f"Moved here from {before.practice_name}",
        )
        db.session.flush()


@bp.route("/practice", methods=["GET", "POST"])
@login_required
def choose():
    found = practices_of(current_user.id)
    theirs = [practice for practice, _ in found]
    form = ChoosePracticeForm()
    form.practice.choices = choices(
        (
            str(p.id),
            p.practice_name
            + (f" ({p.ods_code})" if p.ods_code else "")
            + (": the cases it has given you to review" if m.visiting_from_id else ""),
        )
        for p, m in found
    )
    if not form.is_submitted():
        form.practice.data = str(chosen_practice_id())
    if form.validate_on_submit():
        chosen = next(p for p in theirs if str(p.id) == form.practice.data)
        fixed_by = practice_chosen_at_sign_in()
        if chosen.id != chosen_practice_id() and fixed_by:
            form.practice.errors.append(ROLE_CHOSEN_AT_SIGN_IN.format(provider=fixed_by))
        else:
            if chosen.id != chosen_practice_id():
                work_in(chosen, theirs)
                db.session.commit()
            flash(f"You are working in {chosen.practice_name}", "success")
            return redirect(url_for("main.home"))
    return render_template("account/practice.jinja", form=form)


@bp.route("/practices/<int:practice_id>/cases/<reference>")
@login_required
def case_in(practice_id: int, reference: str):
    """The case in the practice the link names, for someone who works there; anyone else, and
    a practice that is not theirs, gets "page not found"."""
    theirs = [p for p, _ in practices_of(current_user.id)]
    practice = next((p for p in theirs if p.id == practice_id), None)
    if practice is None:
        abort(404)
    if practice.id != chosen_practice_id():
        fixed_by = practice_chosen_at_sign_in()
        if fixed_by:
            flash(ROLE_CHOSEN_AT_SIGN_IN.format(provider=fixed_by), "error")
            return redirect(url_for("main.home"))
        work_in(practice, theirs)
        db.session.commit()
    return redirect(url_for("cases.show", reference=reference))
