"""Signing in with an NHS identity, against a real OpenID provider on loopback (tests/oidc):
the app is served on loopback too, so the provider reaches it for the app's keys
(`private_key_jwt`) and its back-channel logout, and a browser's cookies carry each step."""

import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc.jwk import RSAKey
from sqlalchemy import select

from tests.helpers import text_of as _text_of
from tests.helpers import text_of as text_of_page
from tests.oidc.served import (
    KEY_ID,
    TENANT,
    cis2_user,
    new_email,
    nhsmail_user,
    serve_with_providers,
    sign_in_with,
)
from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.practices.models import Practice
from tracker.security.models import SignInIdentity
from tracker.staff.models import User
from tracker.staff.sessions import UserSession


@pytest.fixture(scope="module")
def served(database_url, oidc_provider, tmp_path_factory):
    with serve_with_providers(
        database_url, oidc_provider, tmp_path_factory.mktemp("keys")
    ) as found:
        yield found


@pytest.fixture(scope="module")
def app(served):
    """The served app is the one every fixture of this module works with (its tables are
    emptied after each test)."""
    return served.app


def text_of(reply: requests.Response) -> str:
    """The page's visible text (tests.helpers.text_of, for a reply over HTTP)."""

    class Page:
        def get_data(self, as_text=True):
            return reply.text

    return _text_of(Page())


def home_of(served, browser) -> requests.Response:
    return browser.get(f"{served.url}/", allow_redirects=False, timeout=10)


def signed_in_as(served, browser) -> str | None:
    """The name at the top of the home page, or None when the browser is signed out."""
    home = home_of(served, browser)
    if home.status_code != 200:
        return None
    return text_of(home)


def events(app, kind) -> list[Event]:
    with app.app_context():
        return list(db.session.scalars(select(Event).where(Event.kind == kind.value)))


def test_the_first_sign_in_links_the_account_by_its_email_and_later_ones_by_the_identity(
    served, oidc_provider, make_user, app
):
    email = new_email()
    made = make_user("gp", email=email)
    at_provider = nhsmail_user(oidc_provider, email)

    browser, answer = sign_in_with(served, oidc_provider, "nhsmail", at_provider)
    assert answer.status_code == 302 and answer.headers["Location"] in ("/", f"{served.url}/")
    assert made.full_name in signed_in_as(served, browser)
    with app.app_context():
        identity = db.session.scalar(select(SignInIdentity))
        assert (identity.user_id, identity.provider) == (made.id, "nhsmail")
        assert identity.subject == f"{TENANT}:oid-{at_provider['sub']}"
        signed = db.session.scalar(select(UserSession).where(UserSession.user_id == made.id))
        assert signed.provider == "nhsmail" and signed.provider_multi_factor
    linked = events(app, EventKind.SIGN_IN_LINKED)
    assert len(linked) == 1 and email in linked[0].detail
    sessions = text_of(browser.get(f"{served.url}/account/sessions", timeout=10))
    assert ", with NHSmail" in sessions

    # Their address changes at the provider: the identity still finds the account.
    at_provider["email"] = new_email()
    at_provider["claims"]["preferred_username"] = at_provider["email"]
    oidc_provider.add_users(at_provider)
    again, answer = sign_in_with(served, oidc_provider, "nhsmail", at_provider)
    assert answer.status_code == 302
    assert made.full_name in signed_in_as(served, again)
    assert len(events(app, EventKind.SIGN_IN_LINKED)) == 1


def test_someone_without_an_account_is_told_to_ask_their_practice_manager(
    served, oidc_provider, make_user, app
):
    make_user("practice_manager")
    email = new_email()
    browser, answer = sign_in_with(
        served, oidc_provider, "nhsmail", nhsmail_user(oidc_provider, email)
    )
    assert answer.status_code == 403
    page = text_of(answer)
    assert "You have not been signed in" in page
    assert f"There is no account in the tracker for {email}" in page
    assert "Ask your practice manager to add you" in page
    assert signed_in_as(served, browser) is None
    failed = events(app, EventKind.SIGN_IN_FAILED)
    assert [e.detail for e in failed] == [
        "Sign-in failed: NHSmail: no account has this email address"
    ]
    with app.app_context():
        assert db.session.scalar(select(SignInIdentity)) is None
        assert db.session.scalar(select(UserSession)) is None


def test_a_deactivated_account_cannot_sign_in_at_the_provider(
    served, oidc_provider, make_user, app
):
    email = new_email()
    made = make_user("reception", email=email)
    at_provider = nhsmail_user(oidc_provider, email)
    sign_in_with(served, oidc_provider, "nhsmail", at_provider)
    with app.app_context():
        db.session.get(User, made.id).active = False
        db.session.commit()
    browser, answer = sign_in_with(served, oidc_provider, "nhsmail", at_provider)
    assert answer.status_code == 403
    assert "Your tracker account is not active" in text_of(answer)
    assert signed_in_as(served, browser) is None


@pytest.mark.parametrize(
    "spoilt",
    ["signature", "audience", "issuer", "expired", "replay"],
    ids=["tampered signature", "wrong audience", "wrong issuer", "expired", "replayed nonce"],
)
def test_an_id_token_that_does_not_check_out_signs_nobody_in(
    served, oidc_provider, make_user, app, spoilt
):
    email = new_email()
    make_user("gp", email=email)
    at_provider = nhsmail_user(oidc_provider, email)
    if spoilt == "replay":
        # An earlier sign-in's ID token, with its own nonce, offered again.
        sign_in_with(served, oidc_provider, "nhsmail", at_provider)
        with app.app_context():
            db.session.execute(UserSession.__table__.delete())
            db.session.commit()
    oidc_provider.tamper(spoilt)
    browser, answer = sign_in_with(served, oidc_provider, "nhsmail", at_provider)
    assert answer.status_code == 403
    assert "could not check the answer from NHSmail" in text_of(answer)
    assert signed_in_as(served, browser) is None
    with app.app_context():
        assert db.session.scalar(select(UserSession)) is None
    failed = events(app, EventKind.SIGN_IN_FAILED)
    assert len(failed) == 1 and "ID token refused" in failed[0].detail


def test_a_return_that_does_not_match_the_sign_in_started_is_refused(
    served, oidc_provider, make_user, app
):
    email = new_email()
    make_user("gp", email=email)
    nhsmail_user(oidc_provider, email)
    browser = requests.Session()
    started = browser.get(f"{served.url}/login/with/nhsmail", allow_redirects=False, timeout=10)
    back = oidc_provider.sign_in(browser, started.headers["Location"], email, "provider-password")
    # Another browser (someone else's, lured to the link) brings the return.
    other = requests.Session()
    answer = other.get(back, allow_redirects=False, timeout=10)
    assert answer.status_code == 403
    assert "started in another tab or has run out of time" in text_of(answer)
    assert signed_in_as(served, other) is None
    # The state altered in the right browser is refused too.
    query = parse_qs(urlsplit(back).query)
    altered = f"{served.url}/login/with/nhsmail/return?code={query['code'][0]}&state=not-{query['state'][0]}"
    assert browser.get(altered, allow_redirects=False, timeout=10).status_code == 403
    assert signed_in_as(served, browser) is None


def test_the_app_proves_itself_with_its_private_key_and_publishes_the_public_half(
    served, oidc_provider, make_user, app
):
    published = requests.get(f"{served.url}/.well-known/jwks.json", timeout=10).json()
    assert [key["kid"] for key in published["keys"]] == [KEY_ID]
    assert all("d" not in key for key in published["keys"])  # no private part

    email = new_email()
    made = make_user("gp", email=email)
    with app.app_context():
        db.session.scalar(select(Practice)).ods_code = "A81001"
        db.session.commit()
    browser, answer = sign_in_with(
        served, oidc_provider, "cis2", cis2_user(oidc_provider, email, "A81001")
    )
    assert answer.status_code == 302, oidc_provider.said
    assert made.full_name in signed_in_as(served, browser)

    # Where the provider holds another key for the client, the app's assertion is refused.
    forged_email = new_email()
    make_user("gp", email=forged_email)
    browser, answer = sign_in_with(
        served, oidc_provider, "forged", nhsmail_user(oidc_provider, forged_email)
    )
    assert answer.status_code == 403
    assert signed_in_as(served, browser) is None
    assert (
        "token request refused (invalid_client)" in events(app, EventKind.SIGN_IN_FAILED)[0].detail
    )


def test_cis2_is_asked_for_a_role_and_for_ways_to_sign_in_at_the_minimum_level(served):
    started = requests.get(f"{served.url}/login/with/cis2", allow_redirects=False, timeout=10)
    asked = parse_qs(urlsplit(started.headers["Location"]).query)
    assert asked["prompt"] == ["login"] and asked["acr_values"] == ["AAL3_ANY"]
    assert asked["code_challenge_method"] == ["S256"] and asked["nonce"] and asked["state"]
    assert set(asked["scope"][0].split()) >= {"nhsperson", "nationalrbacaccess", "selectedrole"}
    nhsmail = requests.get(f"{served.url}/login/with/nhsmail", allow_redirects=False, timeout=10)
    asked = parse_qs(urlsplit(nhsmail.headers["Location"]).query)
    assert "prompt" not in asked and "acr_values" not in asked


def test_a_cis2_role_at_another_organisation_or_below_the_assurance_level_is_refused(
    served, oidc_provider, make_user, app
):
    email = new_email()
    make_user("gp", email=email)
    with app.app_context():
        db.session.scalar(select(Practice)).ods_code = "A81001"
        db.session.commit()
    browser, answer = sign_in_with(
        served, oidc_provider, "cis2", cis2_user(oidc_provider, email, "B82002")
    )
    assert answer.status_code == 403
    assert "The role you chose is at organisation B82002" in text_of(answer)
    assert signed_in_as(served, browser) is None

    lower = new_email()
    make_user("gp", email=lower)
    browser, answer = sign_in_with(
        served,
        oidc_provider,
        "cis2",
        cis2_user(oidc_provider, lower, "A81001", acr="AAL2_OR_AAL3_ANY"),
    )
    assert answer.status_code == 403
    assert "assurance level 3" in text_of(answer)
    assert signed_in_as(served, browser) is None
    reasons = [e.detail for e in events(app, EventKind.SIGN_IN_FAILED)]
    assert sorted(reasons) == [
        "Sign-in failed: NHS Care Identity: assurance level 2 below the minimum 3",
        "Sign-in failed: NHS Care Identity: selected role at B82002, not a practice of theirs",
    ]


def test_the_selected_role_chooses_the_practice_to_work_in(served, oidc_provider, make_user, app):
    from tracker.practices.services import create_practice
    from tracker.staff.services import add_membership

    email = new_email()
    made = make_user("gp", email=email)
    with app.app_context():
        db.session.scalar(select(Practice)).ods_code = "A81001"
        other = create_practice(ods_code="C83003", name="Hillcrest Surgery")
        add_membership(db.session.get(User, made.id), practice_id=other.id, role="gp")
        db.session.commit()
        other_id = other.id
    browser, answer = sign_in_with(
        served, oidc_provider, "cis2", cis2_user(oidc_provider, email, "C83003")
    )
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(UserSession.practice_id)) == other_id
    assert "Hillcrest Surgery" in signed_in_as(served, browser)


def test_one_factor_at_the_provider_is_followed_by_the_trackers_own_code(
    served, oidc_provider, make_user, app, frozen_clock
):
    import pyotp

    email = new_email()
    made = make_user("practice_manager", email=email)
    secret = pyotp.random_base32()
    with app.app_context():
        user = db.session.get(User, made.id)
        user.totp_secret, user.totp_enabled_at = secret, clock.now_utc()
        db.session.commit()
    at_provider = nhsmail_user(oidc_provider, email, amr=["pwd"])
    browser, answer = sign_in_with(served, oidc_provider, "nhsmail", at_provider)
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/login/code")
    assert signed_in_as(served, browser) is None
    with app.app_context():  # linked only once the code is given too
        assert db.session.scalar(select(SignInIdentity)) is None
    code_page = browser.get(f"{served.url}/login/code", timeout=10)
    assert "code" in text_of(code_page).lower()
    done = browser.post(
        f"{served.url}/login/code",
        data={"code": pyotp.TOTP(secret).at(clock.now_utc())},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 302, text_of(done)
    assert made.full_name in signed_in_as(served, browser)
    with app.app_context():
        signed = db.session.scalar(select(UserSession))
        assert signed.provider == "nhsmail" and not signed.provider_multi_factor
        assert db.session.scalar(select(SignInIdentity.user_id)) == made.id
    assert "Signed in with NHSmail and authenticator code" in [
        e.detail for e in events(app, EventKind.SIGNED_IN)
    ]


def test_the_providers_back_channel_logout_ends_the_session(served, oidc_provider, make_user, app):
    email = new_email()
    made = make_user("reception", email=email)
    at_provider = nhsmail_user(oidc_provider, email)
    browser, _ = sign_in_with(served, oidc_provider, "nhsmail", at_provider)
    assert made.full_name in signed_in_as(served, browser)
    with app.app_context():
        sid = db.session.scalar(select(UserSession.provider_session))
    assert sid

    oidc_provider.back_channel_logout(
        served.clients["nhsmail"]["client_id"], at_provider["sub"], sid
    )

    assert signed_in_as(served, browser) is None
    with app.app_context():
        ended = db.session.scalar(select(UserSession))
        assert ended.ended_at is not None and ended.end_reason == "signed_out"
    assert "Session ended: signed out at NHSmail" in [
        e.detail for e in events(app, EventKind.SIGNED_OUT)
    ]


def test_a_logout_token_that_does_not_check_out_ends_nothing(served, oidc_provider, make_user, app):
    email = new_email()
    make_user("reception", email=email)
    browser, _ = sign_in_with(served, oidc_provider, "nhsmail", nhsmail_user(oidc_provider, email))
    for token in ("", "not.a.token", _unsigned_logout_token(oidc_provider.issuer, served)):
        answer = requests.post(
            f"{served.url}/login/with/nhsmail/back-channel-logout",
            data={"logout_token": token},
            timeout=10,
        )
        assert answer.status_code == 400 and answer.headers["Cache-Control"] == "no-store"
    assert signed_in_as(served, browser) is not None


def _unsigned_logout_token(issuer, served) -> str:
    """A logout token with the right claims, signed by a key that is not the provider's."""
    import time

    from joserfc import jwt

    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": served.clients["nhsmail"]["client_id"],
        "iat": now,
        "exp": now + 60,
        "jti": uuid.uuid4().hex,
        "sid": "any",
        "events": {"http://schemas.openid.net/event/backchannel-logout": {}},
    }
    key = RSAKey.generate_key(2048, parameters={"kid": "test-signing-key"})
    return jwt.encode({"alg": "RS256", "kid": "test-signing-key"}, claims, key)


def test_signing_out_offers_to_sign_out_at_the_provider_too(served, oidc_provider, make_user):
    email = new_email()
    make_user("gp", email=email)
    browser, _ = sign_in_with(served, oidc_provider, "nhsmail", nhsmail_user(oidc_provider, email))
    form = browser.get(f"{served.url}/logout", timeout=10)
    assert form.status_code == 200
    signed_out = browser.post(f"{served.url}/logout", timeout=10)
    page = text_of(signed_out)
    assert "You have signed out" in page
    assert "You may still be signed in to NHSmail on this computer" in page
    there = browser.get(
        f"{served.url}/login/with/nhsmail/sign-out", allow_redirects=False, timeout=10
    )
    assert there.status_code == 302
    assert there.headers["Location"].startswith(f"{oidc_provider.issuer}/session/end?")
    assert "You may still be signed in" not in text_of(
        browser.get(f"{served.url}/login", timeout=10)
    )


def test_a_provider_that_is_down_gets_a_clear_page_and_passwords_still_work(served, make_user):
    made = make_user("gp")
    browser = requests.Session()
    answer = browser.get(f"{served.url}/login/with/down", allow_redirects=False, timeout=30)
    assert answer.status_code == 503
    page = text_of(answer)
    assert "Sign-in with a provider that is down is not working just now" in page
    assert "sign in with your email address and password" in page
    login = browser.get(f"{served.url}/login", timeout=10)
    assert "Sign in with NHSmail" in text_of(login)
    token = login.text.split('name="csrf_token" type="hidden" value="')[-1].split('"')[0]
    signed = browser.post(
        f"{served.url}/login",
        data={"email": made.email, "password": made.password, "csrf_token": token},
        allow_redirects=False,
        timeout=10,
    )
    assert signed.status_code == 302
    assert made.full_name in signed_in_as(served, browser)


def test_an_unknown_provider_is_not_found(served):
    assert requests.get(f"{served.url}/login/with/nobody", timeout=10).status_code == 404


def _password_sign_in(served, user, browser=None):
    browser = browser or requests.Session()
    answer = browser.post(
        f"{served.url}/login",
        data={"email": user.email, "password": user.password},
        allow_redirects=False,
        timeout=10,
    )
    return browser, answer


def test_a_practice_that_signs_in_at_a_provider_only_turns_passwords_off_but_the_managers(
    served, oidc_provider, make_user, app, frozen_clock
):
    import pyotp

    gp_email = new_email()
    gp = make_user("gp", email=gp_email)
    manager = make_user("practice_manager")
    secret = pyotp.random_base32()
    with app.app_context():
        db.session.scalar(select(Practice)).sign_in_at_provider_only = True
        account = db.session.get(User, manager.id)
        account.totp_secret, account.totp_enabled_at = secret, clock.now_utc()
        db.session.commit()

    browser, answer = _password_sign_in(served, gp)
    assert answer.status_code == 200
    assert "Your practice signs in with NHSmail" in text_of(answer)
    assert signed_in_as(served, browser) is None
    assert [e.detail for e in events(app, EventKind.SIGN_IN_FAILED)] == [
        "Sign-in failed: the practice signs in at a provider only"
    ]
    # The GP signs in at the provider.
    browser, answer = sign_in_with(
        served, oidc_provider, "nhsmail", nhsmail_user(oidc_provider, gp_email)
    )
    assert gp.full_name in signed_in_as(served, browser)
    assert events(app, EventKind.BREAK_GLASS_SIGN_IN) == []

    # The practice manager's password and code still open the tracker, and say so in the log.
    browser, answer = _password_sign_in(served, manager)
    assert answer.headers["Location"].endswith("/login/code")
    done = browser.post(
        f"{served.url}/login/code",
        data={"code": pyotp.TOTP(secret).at(clock.now_utc())},
        allow_redirects=False,
        timeout=10,
    )
    assert done.status_code == 302
    assert manager.full_name in signed_in_as(served, browser)
    glass = events(app, EventKind.BREAK_GLASS_SIGN_IN)
    assert len(glass) == 1 and glass[0].actor_id == manager.id
    assert "although the practice signs in with NHSmail" in glass[0].detail


def test_the_practice_manager_chooses_provider_only_sign_in_in_the_settings(served, make_user, app):
    from tests.factories import settings_form
    from tests.helpers import sign_in

    manager = make_user("practice_manager")
    app.config["TWO_FACTOR_ENFORCED"] = False  # no code step for this settings form
    try:
        with app.test_client() as client:
            sign_in(client, manager.email, manager.password)
            page = text_of_page(client.get("/admin/settings"))
            assert "Staff sign in with NHSmail, NHS Care Identity" in page
            saved = client.post("/admin/settings", data=settings_form(sign_in_at_provider_only="y"))
            assert saved.status_code == 302
    finally:
        app.config["TWO_FACTOR_ENFORCED"] = True
    with app.app_context():
        assert db.session.scalar(select(Practice.sign_in_at_provider_only)) is True
    changed = events(app, EventKind.SETTINGS_CHANGED)
    assert len(changed) == 1 and "sign_in_at_provider_only" in changed[0].changes


def test_a_provider_that_takes_the_connection_and_never_answers_gets_the_clear_page_in_time(
    served,
):
    import time

    started = time.monotonic()
    answer = requests.get(f"{served.url}/login/with/silent", allow_redirects=False, timeout=30)
    assert answer.status_code == 503
    assert "is not working just now" in text_of(answer)
    assert time.monotonic() - started < 10  # the app's wait (2 s here), not the client's


def test_a_managers_password_without_a_code_does_not_open_a_practice_that_signs_in_at_a_provider(
    served, make_user, app
):
    manager = make_user("practice_manager")
    with app.app_context():
        db.session.scalar(select(Practice)).sign_in_at_provider_only = True
        db.session.commit()
    browser, answer = _password_sign_in(served, manager)
    assert answer.status_code == 200
    assert "Your password works only with a code from an authenticator app" in text_of(answer)
    assert signed_in_as(served, browser) is None
    assert events(app, EventKind.BREAK_GLASS_SIGN_IN) == []


def test_an_account_deactivated_before_its_first_sign_in_at_the_provider_is_not_linked(
    served, oidc_provider, make_user, app
):
    email = new_email()
    made = make_user("gp", email=email)
    with app.app_context():
        db.session.get(User, made.id).active = False
        db.session.commit()
    browser, answer = sign_in_with(
        served, oidc_provider, "nhsmail", nhsmail_user(oidc_provider, email)
    )
    assert answer.status_code == 403
    assert signed_in_as(served, browser) is None
    with app.app_context():
        assert db.session.scalar(select(SignInIdentity)) is None
    assert events(app, EventKind.SIGN_IN_LINKED) == []


def test_a_guest_of_the_nhsmail_tenant_is_not_taken_for_a_member(
    served, oidc_provider, make_user, app
):
    email = new_email()
    make_user("gp", email=email)
    guest = nhsmail_user(oidc_provider, email)
    guest["claims"]["idp"] = "https://sts.windows.net/another-organisation/"
    oidc_provider.add_users(guest)
    browser, answer = sign_in_with(served, oidc_provider, "nhsmail", guest)
    assert answer.status_code == 403
    assert "guest account of another organisation" in text_of(answer)
    assert signed_in_as(served, browser) is None


def test_an_identity_linked_by_another_sign_in_meanwhile_is_refused_not_an_error(make_user, app):
    """Two first sign-ins finishing at the same moment: the second finds the first's link."""
    from tracker.security.identities import NewLink, link

    one, other = make_user("gp"), make_user("gp")
    new = NewLink(provider="nhsmail", label="NHSmail", subject="t:o", email=one.email)
    with app.app_context():
        assert link(db.session.get(User, one.id), new) is True
        assert link(db.session.get(User, one.id), new) is True  # the same link: fine
        assert link(db.session.get(User, other.id), new) is False
        another = NewLink(provider="nhsmail", label="NHSmail", subject="t:x", email=one.email)
        assert link(db.session.get(User, one.id), another) is False
        db.session.commit()
        assert [(i.user_id, i.subject) for i in db.session.scalars(select(SignInIdentity))] == [
            (one.id, "t:o")
        ]


@pytest.mark.parametrize("spoilt", ["audience", "events", "nonce", "expiry"])
def test_a_logout_token_signed_by_the_provider_but_not_one_ends_nothing(
    served, oidc_provider, make_user, app, spoilt
):
    email = new_email()
    make_user("reception", email=email)
    browser, _ = sign_in_with(served, oidc_provider, "nhsmail", nhsmail_user(oidc_provider, email))
    with app.app_context():
        sid = db.session.scalar(select(UserSession.provider_session))
    client_id = served.clients["nhsmail"]["client_id"]
    spoilt_token = oidc_provider.logout_token(client_id, sid, spoil=spoilt)
    answer = requests.post(
        f"{served.url}/login/with/nhsmail/back-channel-logout",
        data={"logout_token": spoilt_token},
        timeout=10,
    )
    assert answer.status_code == 400
    assert signed_in_as(served, browser) is not None
    # The same token unspoilt ends the session.
    answer = requests.post(
        f"{served.url}/login/with/nhsmail/back-channel-logout",
        data={"logout_token": oidc_provider.logout_token(client_id, sid)},
        timeout=10,
    )
    assert answer.status_code == 200
    assert signed_in_as(served, browser) is None


def test_a_practice_chosen_by_the_cis2_role_changes_only_by_signing_in_again(
    served, oidc_provider, make_user, app
):
    from tracker.practices.services import create_practice
    from tracker.staff.services import add_membership

    email = new_email()
    made = make_user("gp", email=email)
    with app.app_context():
        first = db.session.scalar(select(Practice))
        first.ods_code = "A81001"
        other = create_practice(ods_code="C83003", name="Hillcrest Surgery")
        add_membership(db.session.get(User, made.id), practice_id=other.id, role="gp")
        db.session.commit()
        first_id, other_id = first.id, other.id
    browser, _ = sign_in_with(
        served, oidc_provider, "cis2", cis2_user(oidc_provider, email, "C83003")
    )
    moved = browser.post(f"{served.url}/practice", data={"practice": str(first_id)}, timeout=10)
    assert "You chose your role at this practice when you signed in with NHS Care Identity" in (
        text_of(moved)
    )
    link_in_email = browser.get(
        f"{served.url}/practices/{first_id}/cases/SO-2026-0001", allow_redirects=True, timeout=10
    )
    assert "sign out and sign in again, choosing your role there" in text_of(link_in_email)
    with app.app_context():
        assert db.session.scalar(select(UserSession.practice_id)) == other_id
