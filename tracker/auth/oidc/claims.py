"""What a provider's claims say about the person signing in. Pure functions of the claims."""

import re

from tracker.security.providers import Profile

# Authentication method references (RFC 8176) by the kind of factor each is: something the
# person knows, has or is. "mfa" says multi-factor outright ("mca", several channels, does
# not).
_KNOWS = {"pwd", "pin", "kba"}
_HAS = {"hwk", "swk", "otp", "sms", "tel", "sc", "pop"}
_IS = {"face", "fpt", "iris", "retina", "vbm"}
_SAYS_MULTI_FACTOR = {"mfa"}
_AAL = re.compile(r"AAL([123])")


def assurance_level(acr: object) -> int | None:
    """The authenticator assurance level an `acr` value names (CIS2: "AAL3_ANY",
    "AAL2_OR_AAL3_ANY"): the lowest level it allows, as that is all it promises."""
    if not isinstance(acr, str):
        return None
    levels = [int(level) for level in _AAL.findall(acr.upper())]
    return min(levels) if levels else None


def asserts_multi_factor(claims: dict) -> bool:
    """Whether the provider says the person signed in with more than one kind of factor:
    `amr` says "mfa", or names factors of two kinds (a smartcard and its PIN), or `acr` names
    assurance level 2 or 3 (which need two factors)."""
    amr = claims.get("amr")
    methods = {m.lower() for m in amr if isinstance(m, str)} if isinstance(amr, list) else set()
    if methods & _SAYS_MULTI_FACTOR:
        return True
    kinds = sum(1 for kind in (_KNOWS, _HAS, _IS) if methods & kind)
    if kinds >= 2:
        return True
    level = assurance_level(claims.get("acr"))
    return level is not None and level >= 2


def subject_of(profile: Profile, claims: dict) -> str | None:
    """The person's lasting key at the provider: NHSmail's tenant and object ids, or `sub`."""
    parts = [claims.get(name) for name in profile.subject_claims]
    if not all(isinstance(part, str) and part for part in parts):
        return None
    return ":".join(parts)


def verified_email(profile: Profile, claims: dict) -> str | None:
    """The person's email address when the provider vouches for it, else None."""
    if not profile.email_vouched_for and claims.get("email_verified") is not True:
        return None
    for name in profile.email_claims:
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return None


def selected_role_organisation(claims: dict) -> str | None:
    """CIS2: the ODS code of the organisation of the role the person chose at sign-in, the
    `org_code` of the `nhsid_nrbac_roles` entry whose `person_roleid` is `selected_roleid`."""
    selected = claims.get("selected_roleid")
    roles = claims.get("nhsid_nrbac_roles")
    if not selected or not isinstance(roles, list):
        return None
    for role in roles:
        if isinstance(role, dict) and str(role.get("person_roleid")) == str(selected):
            code = role.get("org_code")
            return code.strip().upper() if isinstance(code, str) and code.strip() else None
    return None
