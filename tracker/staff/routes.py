"""/admin/users: the practice manager lists, creates and changes staff accounts."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from tracker.auth.decorators import roles_required
from tracker.extensions import db
from tracker.staff import services
from tracker.staff.forms import ConfirmForm, StaffForm
from tracker.staff.models import Role, User

bp = Blueprint("staff", __name__, url_prefix="/admin/users")


@bp.before_request
@roles_required(Role.PRACTICE_MANAGER)
def require_practice_manager():
    """Every page here is for the practice manager alone."""


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("")
def index():
    users = db.session.scalars(
        select(User).order_by(User.active.desc(), User.role, User.full_name)
    ).all()
    return render_template("admin/users/index.jinja", users=users)


@bp.route("/new", methods=["GET", "POST"])
def create():
    form = StaffForm()
    if form.validate_on_submit():
        password = services.temporary_password()
        try:
            user = services.create_user(
                email=form.email.data,
                full_name=form.full_name.data,
                role=form.role.data,
                is_senior_partner=form.is_senior_partner.data,
                password=password,
            )
        except services.StaffError as problem:
            form.email.errors.append(str(problem))
        else:
            db.session.commit()
            # Shown once on this response and never stored in clear or put in a cookie.
            return render_template(
                "admin/users/password.jinja", user=user, password=password, created=True
            )
    return render_template("admin/users/form.jinja", form=form, user=None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
def edit(user_id: int):
    user = get_user_or_404(user_id)
    form = StaffForm(obj=user)
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != Role.PRACTICE_MANAGER:
            form.role.errors.append("You cannot take the practice manager role away from yourself")
        else:
            try:
                services.update_user(
                    user,
                    email=form.email.data,
                    full_name=form.full_name.data,
                    role=form.role.data,
                    is_senior_partner=form.is_senior_partner.data,
                )
            except services.StaffError as problem:
                form.email.errors.append(str(problem))
            else:
                db.session.commit()
                flash(f"{user.full_name}'s account has been updated", "success")
                return redirect(url_for("staff.index"))
    return render_template("admin/users/form.jinja", form=form, user=user, confirm=ConfirmForm())


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    user = get_user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.deactivate_user(user, by=current_user)
        except services.StaffError as problem:
            flash(str(problem), "error")
            return redirect(url_for("staff.edit", user_id=user.id))
        db.session.commit()
        flash(f"{user.full_name} can no longer sign in. Their history is kept.", "success")
    return redirect(url_for("staff.index"))


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int):
    user = get_user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        services.reactivate_user(user)
        db.session.commit()
        flash(f"{user.full_name} can sign in again", "success")
    return redirect(url_for("staff.index"))


@bp.route("/<int:user_id>/reset-password", methods=["POST"])
def reset_password(user_id: int):
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("staff.edit", user_id=user.id))
    password = services.reset_password(user)
    db.session.commit()
    return render_template(
        "admin/users/password.jinja", user=user, password=password, created=False
    )
