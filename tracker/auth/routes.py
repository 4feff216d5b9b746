"""/login, /logout and the password change every new account makes first."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from tracker.auth.forms import ChangePasswordForm, SignInForm
from tracker.auth.services import authenticate
from tracker.extensions import db
from tracker.staff.services import StaffError, change_own_password

bp = Blueprint("auth", __name__)

SIGN_IN_FAILED = (
    "Your email address or password is not right, or your account is locked. "
    "Check them and try again, or ask your practice manager."
)


def safe_next(target: str | None) -> str | None:
    """A same-site path to return to after sign-in, or None for anything else."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 for c in target):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    failed = False
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        db.session.commit()
        if user is not None:
            session.clear()
            login_user(user)
            if user.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(safe_next(form.next.data) or url_for("main.home"))
        failed = True
        form.password.data = ""
    return render_template(
        "auth/login.jinja", form=form, failed=failed, failed_message=SIGN_IN_FAILED
    )


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    if request.method == "POST":
        logout_user()
        session.clear()
        flash("You have signed out", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.jinja")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append("Your current password is not right")
        else:
            try:
                change_own_password(current_user, form.new_password.data)
            except StaffError as problem:
                form.new_password.errors.append(str(problem))
            else:
                db.session.commit()
                flash("Your password has been changed", "success")
                return redirect(url_for("main.home"))
    return render_template("auth/change_password.jinja", form=form)
