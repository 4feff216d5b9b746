"""Session limits: a fresh session at sign-in, idle sign-out, an absolute lifetime, and an
end to every session of a person whose password changes or who is deactivated."""

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db
from tracker.security import two_factor
from tracker.settings.models import load_settings
from tracker.staff.models import User

UNCHECKED_ENDPOINTS = {"static", "assets.nhsuk", "main.healthz"}
ENROLMENT_EXEMPT = UNCHECKED_ENDPOINTS | {
    "auth.logout",
    "auth.change_password",
    "security.two_factor",
    "security.skip_enrolment",
}


def start_session(user: User) -> None:
    """Sign this person in on a brand-new session (nothing from before sign-in survives)."""
    session.clear()
    login_user(user)
    now = clock.now_utc().timestamp()
    session["signed_in_at"] = now
    session["seen_at"] = now
    session["session_version"] = user.session_version
    session.permanent = False


def keep_session_current(user: User) -> None:
    """After this person changes their own password, keep this session and end the others."""
    session["session_version"] = user.session_version


def end_reason(user: User) -> str | None:
    """Why this session must end now, or None while it may go on."""
    now = clock.now_utc().timestamp()
    if session.get("session_version") != user.session_version:
        return "ended"
    signed_in_at = session.get("signed_in_at") or 0
    if now - signed_in_at > current_app.config["SESSION_ABSOLUTE_HOURS"] * 3600:
        return "lifetime"
    idle_minutes = load_settings().idle_sign_out_minutes or 15
    if now - (session.get("seen_at") or 0) > idle_minutes * 60:
        return "idle"
    return None


END_MESSAGES = {
    "idle": "You were signed out because the tracker was not used for {minutes} minutes. Sign in again to carry on.",
    "lifetime": "You were signed out because you signed in more than {hours} hours ago. Sign in again to carry on.",
    "ended": "You were signed out because your account changed (a new password or a reset). Sign in again.",
}


def init_sessions(app: Flask) -> None:
    @app.before_request
    def enforce_session_limits():
        if request.endpoint in UNCHECKED_ENDPOINTS or not current_user.is_authenticated:
            return None
        reason = end_reason(current_user)
        if reason is None:
            session["seen_at"] = clock.now_utc().timestamp()
            return None
        user = current_user._get_current_object()
        if reason != "ended":
            record_event(EventKind.SIGNED_OUT, user, detail=f"Session ended: {reason}")
            db.session.commit()
        logout_user()
        session.clear()
        flash(
            END_MESSAGES[reason].format(
                minutes=load_settings().idle_sign_out_minutes,
                hours=current_app.config["SESSION_ABSOLUTE_HOURS"],
            ),
            "info",
        )
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))

    @app.before_request
    def require_two_factor_enrolment():
        if request.endpoint in ENROLMENT_EXEMPT or not current_user.is_authenticated:
            return None
        if current_user.must_change_password or current_user.two_factor_enabled:
            return None
        if session.get("enrolment_put_off") and two_factor.may_skip_enrolment(current_user):
            return None
        if two_factor.required_for(current_user):
            return redirect(url_for("security.two_factor"))
        return None
