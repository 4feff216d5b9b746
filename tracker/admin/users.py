"""/admin/users: the practice manager lists, creates and changes staff accounts."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from tracker.audit.kinds import EventKind
from tracker.audit.record import diff, record_event
from tracker.extensions import db
from tracker.security import two_factor
from tracker.staff import services
from tracker.staff.access import roles_required
from tracker.staff.forms import ConfirmForm, StaffForm
from tracker.staff.models import Role, User

bp = Blueprint("staff", __name__, url_prefix="/admin/users")


@bp.before_request
@roles_required(Role.PRACTICE_MANAGER)
def require_practice_manager():
    """Every page here is for the practice manager alone."""


def account_snapshot(user: User) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "role": user.role,
        "is_senior_partner": user.is_senior_partner,
    }


def account_event(kind: EventKind, user: User, detail: str, changes: dict | None = None) -> None:
    """Record a change to someone's account, naming the account changed."""
    record_event(
        kind,
        current_user,
        changes={"account": [None, user.email], **(changes or {})},
        detail=detail,
    )


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
            account_event(EventKind.ACCOUNT_CREATED, user, f"Account created for {user.full_name}")
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
            before = account_snapshot(user)
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
                changes = diff(before, account_snapshot(user))
                if changes:
                    account_event(
                        EventKind.ACCOUNT_CHANGED,
                        user,
                        f"{user.full_name}'s account changed",
                        changes,
                    )
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
        account_event(
            EventKind.ACCOUNT_DEACTIVATED, user, f"{user.full_name}'s account deactivated"
        )
        db.session.commit()
        flash(f"{user.full_name} can no longer sign in. Their history is kept.", "success")
    return redirect(url_for("staff.index"))


@bp.route("/<int:user_id>/reactivate", methods=["POST"])
def reactivate(user_id: int):
    user = get_user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        services.reactivate_user(user)
        account_event(
            EventKind.ACCOUNT_REACTIVATED, user, f"{user.full_name}'s account reactivated"
        )
        db.session.commit()
        flash(f"{user.full_name} can sign in again", "success")
    return redirect(url_for("staff.index"))


@bp.route("/<int:user_id>/reset-password", methods=["POST"])
def reset_password(user_id: int):
    user = get_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("staff.edit", user_id=user.id))
    password = services.reset_password(user)
    account_event(EventKind.PASSWORD_RESET, user, f"Temporary password set for {user.full_name}")
    db.session.commit()
    return render_template(
        "admin/users/password.jinja", user=user, password=password, created=False
    )


@bp.route("/<int:user_id>/reset-two-factor", methods=["POST"])
def reset_two_factor(user_id: int):
    user = get_user_or_404(user_id)
    if ConfirmForm().validate_on_submit():
        two_factor.reset(user, by=current_user)
        db.session.commit()
        flash(
            f"{user.full_name}'s two-factor sign-in has been reset. They set it up again at their next sign-in.",
            "success",
        )
    return redirect(url_for("staff.edit", user_id=user.id))
