"""Sign-in checks, with the account lock kept in the database for every worker."""

from datetime import timedelta
from functools import cache

from flask import current_app, flash, redirect, session, url_for
from flask_login import logout_user
from sqlalchemy import case, literal, update
from werkzeug.security import check_password_hash, generate_password_hash

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db
from tracker.security.providers import offered, offered_labels
from tracker.security.ratelimit import client_address
from tracker.staff.models import Role, User
from tracker.staff.services import find_by_email, practices_of
from tracker.staff.sessions import EndReason, end_sessions
from tracker.types import UTCDateTime


@cache
def _dummy_hash() -> str:
    """A hash to check against when no account matches, so timing does not reveal emails."""
    return generate_password_hash("no account has this password")


def authenticate(email: str, password: str) -> User | None:
    """The active, unlocked account these credentials open, or None; every failure is an
    event. The caller commits, and calls signed_in() once any second step has passed."""
    now = clock.now_utc()
    user = find_by_email(email)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        sign_in_failed(None, "no account has this email address", email=email)
        return None
    if not user.active or user.is_locked(now):
        user.check_password(password)
        sign_in_failed(user, "account deactivated" if not user.active else "account locked")
        return None
    if user.is_demo and not current_app.config.get("DEMO_ACCOUNTS_ALLOWED"):
        user.check_password(password)
        sign_in_failed(user, "demo account outside the demo")
        return None
    if not user.check_password(password):
        sign_in_failed(user, "wrong password")
        record_failure(user)
        return None
    return user


def signed_in(user: User, method: str, *, break_glass: bool = False) -> None:
    """Clear the failure count and record the sign-in (and, for a practice manager's password
    where the practice signs in at a provider only, that the way in kept for emergencies was
    used); the caller commits."""
    user.failed_signin_count = 0
    user.locked_until = None
    user.last_signed_in_at = clock.now_utc()
    record_event(EventKind.SIGNED_IN, user, detail=f"Signed in with {method}")
    if break_glass:
        record_event(
            EventKind.BREAK_GLASS_SIGN_IN,
            user,
            detail=f"Signed in with a password although the practice signs in with "
            f"{offered_labels()} only",
        )


def owe_the_code(
    user: User, *, next_url: str | None, break_glass: bool = False, provider: dict | None = None
) -> None:
    """Begin the code step (security.sign_in_code) for someone who has given their password,
    or signed in at a provider that asserted one factor only (`provider`: what the session
    will need of that sign-in). Nothing from before sign-in carries on."""
    session.clear()
    session["pending_sign_in"] = {
        "user_id": user.id,
        "session_version": user.session_version,
        "started_at": clock.now_utc().timestamp(),
        "next": next_url,
        "break_glass": break_glass,
        "provider": provider,
    }


PASSWORD_ALLOWED, BREAK_GLASS, PASSWORD_OFF = "allowed", "break glass", "off"


def password_sign_in(user: User) -> str:
    """Whether this person may sign in with a password: PASSWORD_ALLOWED; BREAK_GLASS for the
    practice manager of a practice that signs in at a provider only (their password and code
    are the way in when the provider is not working); PASSWORD_OFF for anyone else working in
    such a practice. Only where the install offers a provider."""
    if not offered():
        return PASSWORD_ALLOWED
    strict = [m for p, m in practices_of(user.id) if p.sign_in_at_provider_only]
    if not strict:
        return PASSWORD_ALLOWED
    if all(Role(m.role) == Role.PRACTICE_MANAGER for m in strict):
        return BREAK_GLASS
    return PASSWORD_OFF


def sign_in_failed(user: User | None, reason: str, *, email: str | None = None) -> None:
    """Record a failed sign-in with the address it came from."""
    changes = {"address": [None, client_address()]}
    if email is not None:
        changes["email"] = [None, email[:254]]
    record_event(
        EventKind.SIGN_IN_FAILED, user, changes=changes, detail=f"Sign-in failed: {reason}"
    )


def record_failure(user: User) -> None:
    """Count a failed attempt in one UPDATE, so two workers cannot both miss the fifth."""
    max_failures = current_app.config["SIGNIN_MAX_FAILURES"]
    lock_until = clock.now_utc() + timedelta(minutes=current_app.config["SIGNIN_LOCK_MINUTES"])
    reaches_limit = User.failed_signin_count + 1 >= max_failures
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            failed_signin_count=case((reaches_limit, 0), else_=User.failed_signin_count + 1),
            locked_until=case(
                (reaches_limit, literal(lock_until, type_=UTCDateTime())),
                else_=User.locked_until,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(user)
    if user.is_locked(clock.now_utc()):
        record_event(
            EventKind.ACCOUNT_LOCKED,
            user,
            detail=f"Locked for {current_app.config['SIGNIN_LOCK_MINUTES']} minutes after "
            f"{max_failures} failed sign-ins",
        )


def check_own_password(user: User, password: str, doing: str) -> str:
    """Check a signed-in person's password before a sensitive change: 'ok', 'wrong', or
    'locked' when this wrong guess locked the account, which ends all its sessions. Wrong
    guesses count toward the same lock as failed sign-ins; the caller commits on 'wrong'."""
    if user.check_password(password or ""):
        return "ok"
    sign_in_failed(user, f"wrong password when {doing}")
    record_failure(user)
    if user.is_locked(clock.now_utc()):
        end_sessions(user, EndReason.LOCKED)
        db.session.commit()
        return "locked"
    db.session.commit()
    return "wrong"


LOCKED_OUT = (
    "Your password was not right too many times, so your account is locked and you have been "
    "signed out. Wait {minutes} minutes and sign in again, or ask your practice manager."
)


def signed_out_locked():
    """After too many wrong passwords the account is locked: this session ends too."""
    minutes = current_app.config["SIGNIN_LOCK_MINUTES"]
    logout_user()
    session.clear()
    flash(LOCKED_OUT.format(minutes=minutes), "error")
    return redirect(url_for("auth.login"))
