"""Which account a provider's sign-in opens. Accounts are never made by signing in: the first
sign-in links the provider's identity to the active account with the email address the provider
vouches for (once the sign-in has passed every check), and from then on the provider's lasting
key for the person finds it. A CIS2
sign-in also names the practice to work in: the organisation of the role the person chose."""

from flask import current_app
from sqlalchemy import select

from tracker import clock
from tracker.auth.oidc.claims import (
    assurance_level,
    selected_role_organisation,
    subject_of,
    verified_email,
)
from tracker.extensions import db
from tracker.security.identities import NewLink
from tracker.security.models import SignInIdentity
from tracker.security.providers import SignInProvider
from tracker.staff.models import User
from tracker.staff.services import find_by_email, practices_of


class SignInRefused(Exception):
    """The provider signed the person in, but the tracker cannot: `message` is for them,
    `reason` for the audit log."""

    def __init__(self, message: str, reason: str, user: User | None = None, email: str = ""):
        super().__init__(reason)
        self.message = message
        self.reason = reason
        self.user = user
        self.email = email


ASK_TO_BE_ADDED = (
    "There is no account in the tracker for {email}. Ask your practice manager to add you with "
    "this email address, then sign in again."
)
NO_EMAIL = (
    "{label} did not give the tracker an email address it vouches for, so the tracker cannot "
    "tell which account is yours. Ask your practice manager."
)
NO_KEY = "{label} did not say who you are. Try again, or ask your practice manager."
LINKED_TO_ANOTHER = (
    "Your tracker account is already linked to another {label} identity. Sign in with that "
    "one, or ask your practice manager."
)
NOT_ACTIVE = "Your tracker account is not active. Ask your practice manager."
GUEST = (
    "You signed in with a guest account of another organisation. Sign in with your own {label} "
    "account."
)
TOO_LOW = (
    "The tracker needs a stronger sign-in than the one you used (assurance level {needed}, for "
    "example your smartcard). Sign in again with it."
)
NO_ROLE = (
    "{label} did not say which role you chose. Sign in again and choose your role at your practice."
)
WRONG_ORGANISATION = (
    "The role you chose is at organisation {code}, which is not a practice you work in here. Sign "
    "in again and choose your role at your practice, or ask your practice manager."
)


def account_for(provider: SignInProvider, claims: dict) -> tuple[User, NewLink | None]:
    """The account this sign-in opens, and the identity to link to it when this is the
    identity's first sign-in (linked once every check has passed: `identities.link`); raises
    SignInRefused."""
    label = provider.label
    if provider.profile.members_only and claims.get("idp") not in (None, claims.get("iss")):
        raise SignInRefused(GUEST.format(label=label), "a guest of another organisation")
    subject = subject_of(provider.profile, claims)
    if subject is None:
        raise SignInRefused(NO_KEY.format(label=label), "the provider sent no lasting identifier")
    identity = db.session.scalar(
        select(SignInIdentity).where(
            SignInIdentity.provider == provider.key, SignInIdentity.subject == subject
        )
    )
    new_link = None
    if identity is not None:
        user = db.session.get(User, identity.user_id)
    else:
        user, new_link = _to_link(provider, subject, claims)
    if not user.active:
        raise SignInRefused(NOT_ACTIVE, "account deactivated", user)
    if user.is_demo and not current_app.config.get("DEMO_ACCOUNTS_ALLOWED"):
        raise SignInRefused(NOT_ACTIVE, "demo account outside the demo", user)
    if identity is not None:
        identity.last_used_at = clock.now_utc()
    return user, new_link


def _to_link(provider: SignInProvider, subject: str, claims: dict) -> tuple[User, NewLink]:
    label = provider.label
    email = verified_email(provider.profile, claims)
    if email is None:
        raise SignInRefused(
            NO_EMAIL.format(label=label), "no email address the provider vouches for"
        )
    user = find_by_email(email)
    if user is None:
        raise SignInRefused(
            ASK_TO_BE_ADDED.format(email=email), "no account has this email address", email=email
        )
    already = db.session.scalar(
        select(SignInIdentity).where(
            SignInIdentity.user_id == user.id, SignInIdentity.provider == provider.key
        )
    )
    if already is not None:
        raise SignInRefused(
            LINKED_TO_ANOTHER.format(label=label),
            "the account is linked to another identity at this provider",
            user,
            email,
        )
    return user, NewLink(provider=provider.key, label=label, subject=subject, email=email)


def check_assurance(provider: SignInProvider, claims: dict, user: User) -> None:
    """The sign-in's assurance level is at least the provider's minimum (CIS2: AAL3 for a
    smartcard)."""
    needed = provider.minimum_aal
    if needed is None:
        return
    level = assurance_level(claims.get("acr"))
    if level is None or level < needed:
        raise SignInRefused(
            TOO_LOW.format(needed=needed),
            f"assurance level {level or 'not given'} below the minimum {needed}",
            user,
        )


def practice_of_role(provider: SignInProvider, claims: dict, user: User) -> int:
    """CIS2: the practice the person chose to work in, by their selected role's organisation,
    which must be one of the practices they work in."""
    code = selected_role_organisation(claims)
    if code is None:
        raise SignInRefused(NO_ROLE.format(label=provider.label), "no selected role", user)
    for practice, _membership in practices_of(user.id):
        if (practice.ods_code or "").upper() == code:
            return practice.id
    raise SignInRefused(
        WRONG_ORGANISATION.format(code=code),
        f"selected role at {code}, not a practice of theirs",
        user,
    )
