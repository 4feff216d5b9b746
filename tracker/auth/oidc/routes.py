"""Signing in at a provider: /login/with/<provider> sends the browser there, its return
(/login/with/<provider>/return) checks the answer and signs the person in, the provider's
back-channel logout ends its sessions, and /.well-known/jwks.json holds the app's public keys."""

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select

from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.auth.oidc.accounts import (
    LINKED_TO_ANOTHER,
    SignInRefused,
    account_for,
    check_assurance,
    practice_of_role,
)
from tracker.auth.oidc.claims import asserts_multi_factor
from tracker.auth.oidc.client import client_for, provider_named, public_key_set
from tracker.auth.routes import safe_next
from tracker.extensions import csrf, db
from tracker.security.identities import link
from tracker.security.models import SignInIdentity
from tracker.security.providers import SignInProvider, offered
from tracker.security.sessions import start_session
from tracker.security.sign_in import owe_the_code, sign_in_failed, signed_in
from tracker.staff.sessions import AtProvider, EndReason, UserSession, end_session

bp = Blueprint("provider_sign_in", __name__)

BACK_CHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"
NOT_FINISHED = "You did not finish signing in with {label}. You can try again."
NOT_CHECKED = (
    "The tracker could not check the answer from {label}, so you have not been signed in. "
    "Start again from the sign-in page."
)
STARTED_ELSEWHERE = (
    "This sign-in was started in another tab or has run out of time, so you have not been "
    "signed in. Start again from the sign-in page."
)


def _provider(key: str) -> SignInProvider:
    provider = provider_named(key)
    if provider is None:
        abort(404)
    return provider


def _public_address(endpoint: str, **values) -> str:
    """A page's address as the provider must send the browser to it: under APP_BASE_URL when
    set (behind a proxy), else as this request reached the app."""
    base = current_app.config.get("APP_BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, **values, _external=True)


def _unavailable(provider: SignInProvider):
    return render_template("auth/provider_unavailable.jinja", provider=provider), 503


def _refused(provider: SignInProvider, message: str, reason: str, *, user=None, email=None):
    """Nothing signed in: the page says why, the audit log records it."""
    session.clear()
    db.session.rollback()
    sign_in_failed(user, f"{provider.label}: {reason}", email=email or None)
    db.session.commit()
    return render_template("auth/provider_refused.jinja", provider=provider, message=message), 403


@bp.route("/login/with/<key>")
def start(key: str):
    provider = _provider(key)
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    session["sign_in_next"] = safe_next(request.args.get("next"))
    extra = {"prompt": provider.profile.prompt, "acr_values": provider.acr_values}
    extra = {name: value for name, value in extra.items() if value}
    try:
        return client_for(provider).authorize_redirect(
            _public_address("provider_sign_in.back", key=provider.key), **extra
        )
    except (requests.RequestException, ValueError, KeyError, TypeError, RuntimeError):
        current_app.logger.warning("Sign-in with %s: its discovery document could not be read", key)
        return _unavailable(provider)


@bp.route("/login/with/<key>/return")
def back(key: str):
    provider = _provider(key)
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    label = provider.label
    if request.args.get("error"):
        error = request.args["error"][:60]
        return _refused(
            provider, NOT_FINISHED.format(label=label), f"the provider answered {error}"
        )
    client = client_for(provider)
    try:
        token = client.authorize_access_token(
            claims_options={
                "iss": {"essential": True, "values": [client.load_server_metadata()["issuer"]]},
                "aud": {"essential": True, "values": [provider.client_id]},
            }
        )
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise SignInRefused(NOT_CHECKED.format(label=label), "no ID token")
        if provider.profile.reads_userinfo:
            found = client.userinfo(token=token)
            if not isinstance(found, dict) or found.get("sub") != claims.get("sub"):
                raise SignInRefused(NOT_CHECKED.format(label=label), "userinfo not the person's")
            claims = {**found, **claims}
    except MismatchingStateError:
        return _refused(provider, STARTED_ELSEWHERE, "the sign-in's state did not match")
    except JoseError as problem:
        return _refused(
            provider, NOT_CHECKED.format(label=label), f"ID token refused ({problem.error})"
        )
    except AuthlibBaseError as problem:
        return _refused(
            provider, NOT_CHECKED.format(label=label), f"token request refused ({problem.error})"
        )
    except requests.exceptions.JSONDecodeError:
        return _refused(provider, NOT_CHECKED.format(label=label), "an answer that is not JSON")
    except requests.RequestException:
        current_app.logger.warning("Sign-in with %s: the provider did not answer", key)
        return _unavailable(provider)
    except SignInRefused as refusal:
        return _refused(provider, refusal.message, refusal.reason)
    except (KeyError, TypeError, ValueError, RuntimeError) as problem:
        # A provider whose discovery document, keys or answers lack what they must hold.
        current_app.logger.warning("Sign-in with %s: an answer could not be read: %r", key, problem)
        return _refused(provider, NOT_CHECKED.format(label=label), "an answer could not be read")
    return _sign_in(provider, claims)


def _sign_in(provider: SignInProvider, claims: dict):
    try:
        user, new_link = account_for(provider, claims)
        check_assurance(provider, claims, user)
        practice_id = (
            practice_of_role(provider, claims, user)
            if provider.profile.role_names_practice
            else None
        )
    except SignInRefused as refusal:
        return _refused(
            provider, refusal.message, refusal.reason, user=refusal.user, email=refusal.email
        )
    multi_factor = asserts_multi_factor(claims)
    at_provider = AtProvider(provider.key, _text(claims.get("sid")), multi_factor)
    next_url = session.get("sign_in_next")
    if not multi_factor and user.two_factor_enabled:
        # The tracker's own code stands for the second factor the provider did not assert.
        db.session.commit()
        owe_the_code(
            user,
            next_url=next_url,
            provider={
                "key": provider.key,
                "label": provider.label,
                "session_id": at_provider.session_id,
                "practice_id": practice_id,
                # A first sign-in links the identity once the code is given too.
                "link": new_link.as_dict() if new_link else None,
            },
        )
        return redirect(url_for("security.sign_in_code"))
    if new_link is not None and not link(user, new_link):
        return _refused(
            provider,
            LINKED_TO_ANOTHER.format(label=provider.label),
            "the identity or the account was linked by another sign-in meanwhile",
            user=user,
        )
    signed_in(user, provider.label + (" (more than one factor)" if multi_factor else ""))
    start_session(user, at_provider=at_provider, practice_id=practice_id)
    return redirect(next_url or url_for("main.home"))


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


@bp.route("/login/with/<key>/sign-out")
def sign_out_there(key: str):
    """After signing out of the tracker, sign out at the provider too (RP-initiated logout)."""
    provider = _provider(key)
    session.pop("signed_out_of_provider", None)
    client = client_for(provider)
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError):
        return _unavailable(provider)
    if not metadata.get("end_session_endpoint"):
        abort(404)
    return client.logout_redirect(
        post_logout_redirect_uri=_public_address("auth.login"), client_id=provider.client_id
    )


@bp.route("/login/with/<key>/back-channel-logout", methods=["POST"])
@csrf.exempt
def back_channel_logout(key: str):
    """The provider says a person's session there has ended: end the tracker sessions it
    opened (OpenID Connect Back-Channel Logout 1.0)."""
    provider = _provider(key)
    try:
        claims = _logout_claims(provider, request.form.get("logout_token") or "")
    except (
        JoseError,
        requests.RequestException,
        KeyError,
        TypeError,
        ValueError,
        RuntimeError,
    ) as problem:
        current_app.logger.warning("Back-channel logout from %s refused: %s", key, problem)
        return _no_store(jsonify(error="invalid_request")), 400
    ended = _end_sessions_of(provider, claims)
    for user_session in ended:
        end_session(user_session, EndReason.SIGNED_OUT)
        record_event(
            EventKind.SIGNED_OUT,
            user_session.user,
            detail=f"Session ended: signed out at {provider.label}",
        )
    db.session.commit()
    return _no_store(current_app.response_class(status=200))


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _logout_claims(provider: SignInProvider, logout_token: str) -> dict:
    """A logout token's claims once its signature and claims are checked; raises."""
    client = client_for(provider)
    metadata = client.load_server_metadata()
    algorithms = metadata.get("id_token_signing_alg_values_supported")
    try:
        token = jwt.decode(logout_token, KeySet.import_key_set(client.fetch_jwk_set()), algorithms)
    except InvalidKeyIdError:  # the provider has new keys since the app last read them
        keys = KeySet.import_key_set(client.fetch_jwk_set(force=True))
        token = jwt.decode(logout_token, keys, algorithms)
    jwt.JWTClaimsRegistry(
        leeway=120,
        iss={"essential": True, "value": metadata["issuer"]},
        aud={"essential": True, "value": provider.client_id},
        iat={"essential": True},
        exp={"essential": True},
        jti={"essential": True},
    ).validate(token.claims)
    claims = token.claims
    events = claims.get("events")
    if not isinstance(events, dict) or BACK_CHANNEL_EVENT not in events:
        raise ValueError("not a logout token: no back-channel logout event")
    if "nonce" in claims:
        raise ValueError("a logout token has no nonce")
    if not (_text(claims.get("sub")) or _text(claims.get("sid"))):
        raise ValueError("a logout token names a subject or a session")
    return claims


def _end_sessions_of(provider: SignInProvider, claims: dict) -> list[UserSession]:
    """The open tracker sessions signed in at this provider that the logout token names: its
    provider session (`sid`), else every one of the person's (`sub`)."""
    query = select(UserSession).where(
        UserSession.provider == provider.key, UserSession.ended_at.is_(None)
    )
    sid, sub = _text(claims.get("sid")), _text(claims.get("sub"))
    if sid:
        query = query.where(UserSession.provider_session == sid)
    if sub and provider.profile.subject_claims == ("sub",):
        linked = select(SignInIdentity.user_id).where(
            SignInIdentity.provider == provider.key, SignInIdentity.subject == sub
        )
        query = query.where(UserSession.user_id.in_(linked))
    elif not sid:
        return []
    return list(db.session.scalars(query))


@bp.route("/.well-known/jwks.json")
def key_set():
    """The public keys of the app's signed assertions to providers (`private_key_jwt`)."""
    if not any(p.uses_private_key for p in offered().values()):
        abort(404)
    return jsonify(public_key_set())
