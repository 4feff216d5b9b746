"""/login, /logout and the password change every new account makes first."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, logout_user

from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.auth.forms import ChangePasswordForm, SignInForm
from tracker.auth.oidc.client import provider_named
from tracker.extensions import db
from tracker.security import ratelimit
from tracker.security.providers import offered, offered_labels
from tracker.security.sessions import current_session, start_session
from tracker.security.sign_in import (
    BREAK_GLASS,
    PASSWORD_OFF,
    authenticate,
    check_own_password,
    owe_the_code,
    password_sign_in,
    sign_in_failed,
    signed_in,
    signed_out_locked,
)
from tracker.staff.services import StaffError, change_own_password
from tracker.staff.sessions import EndReason, end_session

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


PROVIDER_ONLY = (
    "Your practice signs in with {providers} only. Use the button above to sign in, or ask "
    "your practice manager."
)

BREAK_GLASS_NEEDS_A_CODE = (
    "Your practice signs in with {providers} only. Your password works only with a code from "
    "an authenticator app, which you have not set up: sign in with {providers}, then set it up "
    "from your account."
)

RATE_LIMITED = (
    "There have been too many failed sign-ins from this computer. "
    "Wait 15 minutes and try again, or ask your practice manager."
)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    failed_message = None
    if form.validate_on_submit():
        address = ratelimit.client_address()
        if ratelimit.address_blocked(address):
            sign_in_failed(None, "too many failures from this address", email=form.email.data)
            db.session.commit()
            failed_message = RATE_LIMITED
        else:
            user = authenticate(form.email.data, form.password.data)
            allowed = password_sign_in(user) if user is not None else None
            if user is None:
                ratelimit.count_failure(address)
                db.session.commit()
                failed_message = SIGN_IN_FAILED
            elif allowed == PASSWORD_OFF:
                sign_in_failed(user, "the practice signs in at a provider only")
                db.session.commit()
                failed_message = PROVIDER_ONLY.format(providers=offered_labels())
            elif allowed == BREAK_GLASS and not user.two_factor_enabled:
                # The way in kept for emergencies is a password and a code, never a password
                # alone.
                sign_in_failed(user, "the practice signs in at a provider only; no code set up")
                db.session.commit()
                failed_message = BREAK_GLASS_NEEDS_A_CODE.format(providers=offered_labels())
            elif user.two_factor_enabled:
                db.session.commit()
                owe_the_code(
                    user, next_url=safe_next(form.next.data), break_glass=allowed == BREAK_GLASS
                )
                return redirect(url_for("security.sign_in_code"))
            else:
                signed_in(user, "password", break_glass=allowed == BREAK_GLASS)
                start_session(user)
                if user.must_change_password:
                    return redirect(url_for("auth.change_password"))
                return redirect(safe_next(form.next.data) or url_for("main.home"))
        form.password.data = ""
    return render_template(
        "auth/login.jinja",
        form=form,
        failed=bool(failed_message),
        failed_message=failed_message or SIGN_IN_FAILED,
        providers=list(offered().values()),
        still_signed_in_at=provider_named(session.get("signed_out_of_provider") or ""),
    )


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    if request.method == "POST":
        record_event(EventKind.SIGNED_OUT, current_user, detail="Signed out")
        ended = current_session()
        if ended is not None:
            end_session(ended, EndReason.SIGNED_OUT)
        db.session.commit()
        logout_user()
        session.clear()
        if ended is not None and ended.provider is not None:
            # The sign-in page offers to sign out at the provider too.
            session["signed_out_of_provider"] = ended.provider
        flash("You have signed out", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/logout.jinja")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        checked = check_own_password(user, form.current_password.data, "changing their password")
        if checked == "locked":
            return signed_out_locked()
        if checked == "wrong":
            form.current_password.errors.append("Your current password is not right")
        else:
            try:
                change_own_password(user, form.new_password.data, keep=current_session())
            except StaffError as problem:
                form.new_password.errors.append(str(problem))
            else:
                record_event(EventKind.PASSWORD_CHANGED, user, detail="Changed their own password")
                db.session.commit()
                flash("Your password has been changed", "success")
                return redirect(url_for("main.home"))
    form.current_password.data = ""
    return render_template("auth/change_password.jinja", form=form)
