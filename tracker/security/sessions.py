"""Session limits on the server: a new session row at sign-in, the cookie carrying only its
token, idle and absolute limits, and sessions ended by sign-out, a new password, a reset,
deactivation, or by the person or the practice manager from the sessions pages."""

from datetime import timedelta

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import exists, select

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.extensions import db, login_manager
from tracker.practices.models import NetworkRole
from tracker.practices.scope import start_request
from tracker.security import two_factor
from tracker.security.providers import offered
from tracker.security.ratelimit import client_address
from tracker.settings.models import load_settings
from tracker.staff.models import User
from tracker.staff.services import practices_of
from tracker.staff.sessions import (
    AtProvider,
    EndReason,
    UserSession,
    end_session,
    find_session,
    note_seen,
    open_session,
    open_sessions,
)

UNCHECKED_ENDPOINTS = {"static", "assets.nhsuk", "main.healthz"}
ENROLMENT_EXEMPT = UNCHECKED_ENDPOINTS | {
    "auth.logout",
    "auth.change_password",
    "security.two_factor",
    "security.skip_enrolment",
}


def start_session(
    user: User, *, at_provider: AtProvider | None = None, practice_id: int | None = None
) -> None:
    """Sign this person in on a brand-new session (nothing from before sign-in survives),
    working in `practice_id` when given (the practice of the role chosen at the provider),
    else in the practice they last worked in (or their first)."""
    session.clear()
    user.session_token = open_session(
        user,
        practice_id=practice_id if practice_id is not None else practice_to_start_in(user),
        address=client_address(),
        user_agent=request.headers.get("User-Agent", ""),
        at_provider=at_provider,
    )
    db.session.commit()
    login_user(user)
    session.permanent = False


def practice_to_start_in(user: User) -> int | None:
    """The practice this person's latest session worked in, while they still work there;
    else the first of theirs by name (one they work at before one they visit as a reviewer)."""
    found = practices_of(user.id)
    theirs = [p.id for p, m in found if m.visiting_from_id is None]
    theirs += [p.id for p, m in found if m.visiting_from_id is not None]
    if not theirs:
        return None
    last = db.session.scalars(
        select(UserSession.practice_id)
        .where(UserSession.user_id == user.id, UserSession.practice_id.in_(theirs))
        .order_by(UserSession.started_at.desc(), UserSession.id.desc())
        .limit(1)
    ).first()
    return last if last is not None else theirs[0]


def current_session() -> UserSession | None:
    """The server's record of the session this request is signed in on."""
    return g.get("user_session")


def signed_in_at_a_provider() -> bool:
    """Whether this request's session was signed in at a provider (NHSmail, NHS Care
    Identity) rather than with a password."""
    found = current_session()
    return found is not None and found.provider is not None


def practice_chosen_at_sign_in() -> str | None:
    """The provider's name when this session's practice is the organisation of the role the
    person chose when signing in there (NHS Care Identity): only signing in again, choosing
    another role, changes it. None otherwise."""
    found = current_session()
    provider = offered().get(found.provider) if found and found.provider else None
    return provider.label if provider and provider.profile.role_names_practice else None


def idle_limit() -> timedelta:
    return timedelta(minutes=load_settings().idle_sign_out_minutes or 15)


def lifetime_limit() -> timedelta:
    return timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])


def end_reason(user_session: UserSession) -> EndReason | None:
    """Why this session must end now, or None while it may go on."""
    if user_session.ended_at is not None:
        return EndReason(user_session.end_reason)
    now = clock.now_utc()
    if now - user_session.started_at > lifetime_limit():
        return EndReason.LIFETIME
    if now - user_session.last_seen_at > idle_limit():
        return EndReason.IDLE
    return None


def load_signed_in_user(token: str) -> User | None:
    """Flask-Login's loader: the person whose open session this cookie's token names."""
    found = find_session(token)
    if found is None:
        return None
    user_session, user = found
    if user.membership is not None:
        # The request works in the session's practice from here on, its settings included.
        start_request(user_session.practice_id)
        g.pop("practice_settings", None)
    reason = end_reason(user_session)
    if user.membership is None and reason is None and not oversees_only(user_session):
        reason = EndReason.NO_LONGER_THERE
    if reason is not None or not user.active:
        g.session_ended = (user_session, user, reason or EndReason.DEACTIVATED)
        return None
    note_seen(user_session)
    user.session_token = token
    g.user_session = user_session
    return user


def oversees_only(user_session: UserSession) -> bool:
    """A session working in no practice, of someone who oversees a PCN or an ICB (their
    figures are all it reaches); one of someone removed from their practice is not."""
    return user_session.practice_id is None and bool(
        db.session.scalar(select(exists().where(NetworkRole.user_id == user_session.user_id)))
    )


def visible_sessions(user: User) -> list[UserSession]:
    """This person's sessions still open: not ended, within the idle and absolute limits."""
    now = clock.now_utc()
    return [
        s
        for s in open_sessions(user, since=now - idle_limit())
        if now - s.started_at <= lifetime_limit()
    ]


def end_session_of(user: User, session_id: int, *, by: User) -> UserSession | None:
    """End one of this person's open sessions by its id; None when there is no such open
    session. The caller records who did it and commits."""
    target = db.session.get(UserSession, session_id)
    if target is None or target.user_id != user.id or target.ended_at is not None:
        return None
    reason = EndReason.ENDED_BY_THEM if by.id == user.id else EndReason.ENDED_BY_MANAGER
    end_session(target, reason, by=by)
    return target


END_MESSAGES = {
    EndReason.IDLE: "You were signed out because the tracker was not used for {minutes} minutes. Sign in again to carry on.",
    EndReason.LIFETIME: "You were signed out because you signed in more than {hours} hours ago. Sign in again to carry on.",
    EndReason.SIGNED_OUT: "This session was signed out. Sign in again to carry on.",
    EndReason.ENDED_BY_THEM: "This session was ended from another computer you were signed in on. Sign in again to carry on.",
    EndReason.ENDED_BY_MANAGER: "Your practice manager ended this session. Sign in again to carry on.",
}
ACCOUNT_CHANGED = (
    "You were signed out because your account changed (a new password or a reset). Sign in again."
)


def init_sessions(app: Flask) -> None:
    login_manager.user_loader(load_signed_in_user)

    @app.before_request
    def enforce_session_limits():
        if request.endpoint in UNCHECKED_ENDPOINTS or current_user.is_authenticated:
            return None
        ended = g.pop("session_ended", None)
        if ended is None:
            return None
        user_session, user, reason = ended
        if user_session.ended_at is None:
            end_session(user_session, reason)
            record_event(EventKind.SIGNED_OUT, user, detail=f"Session ended: {reason.value}")
            db.session.commit()
        logout_user()
        session.clear()
        flash(
            END_MESSAGES.get(reason, ACCOUNT_CHANGED).format(
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
        signed_in_on = current_session()
        if signed_in_on is not None and signed_in_on.provider_multi_factor:
            return None  # the provider asserted more than one factor: that is two-factor
        if session.get("enrolment_put_off") and two_factor.may_skip_enrolment(current_user):
            return None
        if two_factor.required_for(current_user):
            return redirect(url_for("security.two_factor"))
        return None
