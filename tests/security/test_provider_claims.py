"""What a provider's claims say (tracker/auth/oidc/claims.py) and how its settings are read
(providers.py): pure functions, no provider needed."""

import pytest

from tracker.auth.oidc.claims import (
    asserts_multi_factor,
    assurance_level,
    selected_role_organisation,
    subject_of,
    verified_email,
)
from tracker.config import sign_in_providers_from_environment
from tracker.security.providers import (
    CIS2,
    NHSMAIL,
    PLAIN,
    ProviderSettingsProblem,
    provider_from,
    providers_from,
)


@pytest.mark.parametrize(
    ("acr", "level"),
    [
        ("AAL3_ANY", 3),
        ("AAL2_OR_AAL3_ANY", 2),  # it promises only what its lowest level does
        ("AAL1_USERPASS", 1),
        ("aal3_any", 3),
        ("urn:mace:incommon:iap:silver", None),
        (None, None),
        (3, None),
    ],
)
def test_the_assurance_level_an_acr_value_names(acr, level):
    assert assurance_level(acr) == level


@pytest.mark.parametrize(
    ("claims", "multi"),
    [
        ({"amr": ["pwd", "mfa"]}, True),
        ({"amr": ["pwd", "mca"]}, False),  # several channels, not several factors
        ({"amr": ["sc", "pin"]}, True),  # a smartcard and its PIN: two kinds of factor
        ({"amr": ["pwd", "otp"]}, True),
        ({"amr": ["fpt", "hwk"]}, True),
        ({"amr": ["pwd"]}, False),
        ({"amr": ["pwd", "pin"]}, False),  # two things known are one kind of factor
        ({"amr": ["hwk"]}, False),
        ({"amr": "mfa"}, False),  # not a list: says nothing
        ({"acr": "AAL3_ANY"}, True),
        ({"acr": "AAL2_OR_AAL3_ANY"}, True),
        ({"acr": "AAL1_USERPASS"}, False),
        ({}, False),
    ],
)
def test_more_than_one_factor_is_what_the_provider_asserts(claims, multi):
    assert asserts_multi_factor(claims) is multi


def test_nhsmail_names_a_person_by_tenant_and_object_and_vouches_for_the_address():
    claims = {"tid": "t-1", "oid": "o-1", "sub": "pairwise", "preferred_username": "A.B@nhs.net"}
    assert subject_of(NHSMAIL, claims) == "t-1:o-1"
    assert subject_of(NHSMAIL, {"oid": "o-1"}) is None
    assert verified_email(NHSMAIL, claims) == "a.b@nhs.net"
    # The sign-in name (the nhs.net address) before `email`, which Entra ID does not check.
    assert verified_email(NHSMAIL, {**claims, "email": "c.d@other.example"}) == "a.b@nhs.net"
    assert verified_email(NHSMAIL, {"email": "c.d@nhs.net"}) == "c.d@nhs.net"


def test_another_provider_must_say_the_address_is_verified():
    assert subject_of(PLAIN, {"sub": "s"}) == "s"
    assert verified_email(PLAIN, {"email": "a@b.example"}) is None
    assert verified_email(PLAIN, {"email": "a@b.example", "email_verified": "true"}) is None
    assert verified_email(PLAIN, {"email": "a@b.example", "email_verified": True}) == "a@b.example"


def test_the_selected_role_names_its_organisation():
    claims = {
        "selected_roleid": "555",
        "nhsid_nrbac_roles": [
            {"person_roleid": "111", "org_code": "Y1"},
            {"person_roleid": 555, "org_code": " a81001 "},
        ],
    }
    assert selected_role_organisation(claims) == "A81001"
    assert selected_role_organisation({**claims, "selected_roleid": "999"}) is None
    assert selected_role_organisation({"nhsid_nrbac_roles": claims["nhsid_nrbac_roles"]}) is None
    assert selected_role_organisation({"selected_roleid": "555"}) is None


def _settings(**changes):
    return {
        "key": "nhsmail",
        "discovery_url": "https://login.example/.well-known/openid-configuration",
        "client_id": "app",
        "client_secret": "secret",
        **changes,
    }


def test_a_provider_takes_its_profile_from_its_key_unless_told():
    assert provider_from(_settings()).profile is NHSMAIL
    assert provider_from(_settings(key="cis2")).profile is CIS2
    assert provider_from(_settings(key="trust-idp")).profile is PLAIN
    found = provider_from(_settings(key="work", profile="cis2", label="Smartcard"))
    assert (found.profile, found.button, found.minimum_aal) == (CIS2, "Sign in with Smartcard", 3)
    assert provider_from(_settings(key="cis2", minimum_aal="2")).minimum_aal == 2
    assert provider_from(_settings(key="cis2")).scopes == (
        "openid profile email nhsperson associatedorgs nationalrbacaccess selectedrole"
    )


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"key": "NHS mail"}, "a key is a lower-case word"),
        ({"profile": "saml"}, "profile 'saml' is not one of"),
        ({"client_id": ""}, "set TRACKER_SIGN_IN_NHSMAIL_CLIENT_ID"),
        ({"client_secret": ""}, "set either TRACKER_SIGN_IN_NHSMAIL_CLIENT_SECRET"),
        ({"private_key_file": "/etc/key.pem"}, "not both"),
        ({"client_secret": "", "private_key_file": "/no/such/key.pem"}, "no key file"),
        ({"minimum_aal": "4"}, "is 1, 2 or 3"),
    ],
)
def test_a_provider_with_settings_that_do_not_work_stops_the_app_saying_why(changes, problem):
    with pytest.raises(ProviderSettingsProblem, match=problem):
        provider_from(_settings(**changes))


def test_a_provider_configured_twice_is_refused():
    with pytest.raises(ProviderSettingsProblem, match="configured twice"):
        providers_from([_settings(), _settings()])


def test_the_providers_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("TRACKER_SIGN_IN_PROVIDERS", "nhsmail, Trust-IdP")
    monkeypatch.setenv("TRACKER_SIGN_IN_NHSMAIL_CLIENT_ID", "app")
    monkeypatch.setenv("TRACKER_SIGN_IN_TRUST_IDP_LABEL", "the trust")
    monkeypatch.setenv("TRACKER_SIGN_IN_OTHER_CLIENT_ID", "not named in the list")
    assert sign_in_providers_from_environment() == [
        {"key": "nhsmail", "client_id": "app"},
        {"key": "trust-idp", "label": "the trust"},
    ]
    monkeypatch.setenv("TRACKER_SIGN_IN_PROVIDERS", "")
    assert sign_in_providers_from_environment() == []


def test_one_key_id_may_not_name_two_keys(tmp_path):
    from flask import Flask
    from joserfc.jwk import RSAKey

    from tracker.auth.oidc.client import init_sign_in

    for name in ("one", "two"):
        (tmp_path / f"{name}.pem").write_bytes(RSAKey.generate_key(2048).as_pem(private=True))
    app = Flask(__name__)
    app.config["SIGN_IN_PROVIDERS"] = [
        _settings(
            key=key, client_secret="", private_key_file=str(tmp_path / f"{name}.pem"), key_id="k1"
        )
        for key, name in (("cis2", "one"), ("nhsmail", "two"))
    ]
    with pytest.raises(ProviderSettingsProblem, match="key id k1 already names another key"):
        init_sign_in(app)
    app.config["SIGN_IN_PROVIDERS"][1]["private_key_file"] = str(tmp_path / "one.pem")
    init_sign_in(app)  # one key shared by two providers is fine
