"""The sign-in providers an install offers, configured from its environment (README, "Signing in
with NHSmail or an NHS smartcard"):

    TRACKER_SIGN_IN_PROVIDERS=nhsmail,cis2
    TRACKER_SIGN_IN_NHSMAIL_DISCOVERY_URL=https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration
    TRACKER_SIGN_IN_NHSMAIL_CLIENT_ID=...
    TRACKER_SIGN_IN_NHSMAIL_CLIENT_SECRET=...
    TRACKER_SIGN_IN_CIS2_DISCOVERY_URL=...
    TRACKER_SIGN_IN_CIS2_CLIENT_ID=...
    TRACKER_SIGN_IN_CIS2_PRIVATE_KEY_FILE=/etc/tracker/cis2-signing-key.pem
    TRACKER_SIGN_IN_CIS2_KEY_ID=tracker-2026-12
    TRACKER_SIGN_IN_CIS2_MINIMUM_AAL=3

Each provider's key names its profile (`nhsmail`, `cis2`) unless `..._PROFILE` names one; any
other is a plain OpenID Connect provider. `..._LABEL` and `..._SCOPES` change the button's words
and the scopes asked for.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app


@dataclass(frozen=True)
class Profile:
    """What one kind of provider sends and how it is read."""

    name: str
    label: str
    scopes: str
    # The claims that together name the person at the provider, for ever.
    subject_claims: tuple[str, ...]
    # Where the person's email address is, first found first.
    email_claims: tuple[str, ...]
    # Whether the provider vouches for the address itself: NHSmail's directory holds its
    # users' addresses and CIS2 holds registered identities. Any other provider must say
    # `email_verified: true`.
    email_vouched_for: bool
    # Sent with the sign-in: CIS2 asks for the role to work in at every sign-in.
    prompt: str | None = None
    # CIS2's scope claims (roles, organisations) come from its userinfo endpoint.
    reads_userinfo: bool = False
    # CIS2: the selected role's organisation must be a practice the person works in.
    role_names_practice: bool = False
    default_minimum_aal: int | None = None
    # CIS2: the `acr_values` asked for at each minimum assurance level, which decide the ways
    # to sign in the person is offered there.
    acr_values: tuple[tuple[int, str], ...] = ()
    # NHSmail: a guest of the tenant (signed in at another organisation, `idp` says where) is
    # not one of its members, and the address it carries is not the tenant's to vouch for.
    members_only: bool = False


NHSMAIL = Profile(
    name="nhsmail",
    label="NHSmail",
    scopes="openid profile email",
    subject_claims=("tid", "oid"),
    # The member's sign-in name, their nhs.net address, before `email`, which Entra ID does
    # not check.
    email_claims=("preferred_username", "email"),
    email_vouched_for=True,
    members_only=True,
)
CIS2 = Profile(
    name="cis2",
    label="NHS Care Identity",
    scopes="openid profile email nhsperson associatedorgs nationalrbacaccess selectedrole",
    subject_claims=("sub",),
    email_claims=("email",),
    email_vouched_for=True,
    prompt="login",
    reads_userinfo=True,
    role_names_practice=True,
    default_minimum_aal=3,
    acr_values=((3, "AAL3_ANY"), (2, "AAL2_OR_AAL3_ANY")),
)
PLAIN = Profile(
    name="oidc",
    label="your organisation's sign-in",
    scopes="openid profile email",
    subject_claims=("sub",),
    email_claims=("email",),
    email_vouched_for=False,
)
PROFILES = {profile.name: profile for profile in (NHSMAIL, CIS2, PLAIN)}

KEY = re.compile(r"^[a-z][a-z0-9-]{0,29}$")


class ProviderSettingsProblem(ValueError):
    """A provider's settings are missing something or contradict each other."""


@dataclass(frozen=True)
class SignInProvider:
    """One provider this install offers, as its settings and profile make it."""

    key: str
    profile: Profile
    label: str
    discovery_url: str
    client_id: str
    scopes: str
    client_secret: str | None = None
    private_key_file: str | None = None
    key_id: str | None = None
    minimum_aal: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def uses_private_key(self) -> bool:
        return self.private_key_file is not None

    @property
    def acr_values(self) -> str | None:
        """What to ask the provider for, so it offers only ways to sign in strong enough."""
        return dict(self.profile.acr_values).get(self.minimum_aal)

    @property
    def button(self) -> str:
        return f"Sign in with {self.label}"


def provider_from(values: dict) -> SignInProvider:
    """A provider from its settings (lower-case names: key, discovery_url, client_id, ...)."""
    key = (values.get("key") or "").strip().lower()
    if not KEY.match(key):
        raise ProviderSettingsProblem(
            f"Sign-in provider {key!r}: a key is a lower-case word (letters, digits, hyphens)"
        )
    name = (values.get("profile") or (key if key in PROFILES else PLAIN.name)).strip().lower()
    profile = PROFILES.get(name)
    if profile is None:
        raise ProviderSettingsProblem(
            f"Sign-in provider {key}: profile {name!r} is not one of {', '.join(PROFILES)}"
        )
    missing = [n for n in ("discovery_url", "client_id") if not (values.get(n) or "").strip()]
    if missing:
        raise ProviderSettingsProblem(
            f"Sign-in provider {key}: set {', '.join(_setting(key, n) for n in missing)}"
        )
    secret = (values.get("client_secret") or "").strip() or None
    key_file = (values.get("private_key_file") or "").strip() or None
    if (secret is None) == (key_file is None):
        raise ProviderSettingsProblem(
            f"Sign-in provider {key}: set either {_setting(key, 'client_secret')} or "
            f"{_setting(key, 'private_key_file')} (with {_setting(key, 'key_id')}), not both"
        )
    if key_file is not None:
        if not Path(key_file).is_file():
            raise ProviderSettingsProblem(f"Sign-in provider {key}: no key file at {key_file}")
        if not (values.get("key_id") or "").strip():
            raise ProviderSettingsProblem(f"Sign-in provider {key}: set {_setting(key, 'key_id')}")
    minimum = (values.get("minimum_aal") or "").strip()
    if minimum and minimum not in ("1", "2", "3"):
        raise ProviderSettingsProblem(
            f"Sign-in provider {key}: {_setting(key, 'minimum_aal')} is 1, 2 or 3"
        )
    return SignInProvider(
        key=key,
        profile=profile,
        label=(values.get("label") or "").strip() or profile.label,
        discovery_url=values["discovery_url"].strip(),
        client_id=values["client_id"].strip(),
        scopes=(values.get("scopes") or "").strip() or profile.scopes,
        client_secret=secret,
        private_key_file=key_file,
        key_id=(values.get("key_id") or "").strip() or None,
        minimum_aal=int(minimum) if minimum else profile.default_minimum_aal,
    )


def _setting(key: str, name: str) -> str:
    return f"TRACKER_SIGN_IN_{key.upper().replace('-', '_')}_{name.upper()}"


def providers_from(configured: list[dict]) -> dict[str, SignInProvider]:
    """Every configured provider by its key, in the order given; a problem stops the app."""
    found: dict[str, SignInProvider] = {}
    for values in configured:
        provider = provider_from(values)
        if provider.key in found:
            raise ProviderSettingsProblem(f"Sign-in provider {provider.key} is configured twice")
        found[provider.key] = provider
    return found


_OFFERED = "tracker_sign_in_providers"


def offer(app: Flask, providers: dict[str, SignInProvider]) -> None:
    app.extensions[_OFFERED] = providers


def offered() -> dict[str, SignInProvider]:
    """The providers this install offers, by key (none unless configured)."""
    return current_app.extensions.get(_OFFERED, {})


def offered_labels() -> str:
    """The providers' names for a sentence: "NHSmail or NHS Care Identity"."""
    labels = [provider.label for provider in offered().values()]
    return " or ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 2 else labels)


def provider_label(key: str) -> str:
    """A provider's name by its key, for a session signed in there (the key itself for a
    provider the install no longer offers)."""
    found = offered().get(key)
    return found.label if found else key
