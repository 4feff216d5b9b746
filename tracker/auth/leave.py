"""/account/leave: each person records their own leave; the practice manager records anyone's
at /admin/users/<id>/leave. Someone away is not offered as a reviewer unless the practice
manager chooses them, saying why (cases/actions/base.py)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db
from tracker.fields import DateInputField, DateRequired
from tracker.forms import Form
from tracker.staff.leave import add_leave, leave_of
from tracker.staff.models import Role, StaffLeave, User
from tracker.staff.services import colleague

bp = Blueprint("leave", __name__)


class LeaveForm(Form):
    starts_on = DateInputField(
        "First day away", validators=[DateRequired("Enter the first day away")]
    )
    ends_on = DateInputField("Last day away", validators=[DateRequired("Enter the last day away")])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        first, last = self.starts_on.data, self.ends_on.data
        if first and last and last < first:
            self.ends_on.errors.append("The last day away must be on or after the first")
            ok = False
        elif last and last < clock.today_london():
            self.ends_on.errors.append("The last day away must be today or later")
            ok = False
        return ok


class RemoveForm(Form):
    pass


def _person(user_id: int | None) -> User:
    """The account whose leave this is: one's own, or anyone's for the practice manager."""
    if user_id is None or user_id == current_user.id:
        return current_user
    if current_user.role != Role.PRACTICE_MANAGER:
        abort(403)
    person = colleague(user_id)
    if person is None:
        abort(404)
    return person


def _page_url(person: User) -> str:
    if person.id == current_user.id:
        return url_for("leave.own")
    return url_for("leave.for_someone", user_id=person.id)


def _leave_page(person: User):
    form = LeaveForm()
    if form.validate_on_submit():
        leave = add_leave(person, form.starts_on.data, form.ends_on.data, by=current_user)
        db.session.flush()
        record_event(
            EventKind.LEAVE_RECORDED,
            current_user,
            detail=f"Leave for {person.full_name}: {clock.format_date(leave.starts_on)} to "
            f"{clock.format_date(leave.ends_on)}",
        )
        db.session.commit()
        flash(
            f"Leave recorded: {clock.format_date(leave.starts_on)} to "
            f"{clock.format_date(leave.ends_on)}",
            "success",
        )
        return redirect(_page_url(person))
    return render_template(
        "account/leave.jinja",
        form=form,
        person=person,
        own=person.id == current_user.id,
        spells=leave_of(person, clock.today_london()),
        remove_form=RemoveForm(),
    )


@bp.route("/account/leave", methods=["GET", "POST"])
@login_required
def own():
    return _leave_page(current_user)


@bp.route("/admin/users/<int:user_id>/leave", methods=["GET", "POST"])
@login_required
def for_someone(user_id: int):
    return _leave_page(_person(user_id))


@bp.route("/account/leave/<int:leave_id>/remove", methods=["POST"])
@login_required
def remove(leave_id: int):
    leave = db.session.get(StaffLeave, leave_id)
    if leave is None:
        abort(404)
    person = _person(leave.user_id)
    if not RemoveForm().validate_on_submit():
        abort(400)
    record_event(
        EventKind.LEAVE_REMOVED,
        current_user,
        detail=f"Leave for {person.full_name} removed: {clock.format_date(leave.starts_on)} to "
        f"{clock.format_date(leave.ends_on)}",
    )
    db.session.delete(leave)
    db.session.commit()
    flash("Leave removed", "success")
    return redirect(_page_url(person))
