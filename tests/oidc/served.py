"""The app served on loopback with sign-in at the test provider, for the tests that sign in
through it over HTTP (tests/security) and in Chromium (tests/browser)."""

import contextlib
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import requests
from flask_migrate import upgrade
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from tests.oidc import TestProvider
from tracker import create_app
from tracker.config import TestConfig
from tracker.extensions import db

KEY_ID = "tracker-test-1"
TENANT = "nhsmail-tenant"
PASSWORD_AT_PROVIDER = "provider-password"


@dataclass
class Served:
    url: str
    app: object
    clients: dict[str, dict]  # each provider's client as registered at the test provider


@contextlib.contextmanager
def serve_with_providers(
    database_url: str, provider: TestProvider, keys: Path, csrf: bool = False
) -> Iterator[Served]:
    """The app with sign-in at NHSmail (a client secret), CIS2 (`private_key_jwt`, smartcard
    level) and a client the provider holds another key for, all at the test provider, and a
    provider that does not answer; served from a thread on 127.0.0.1."""
    holder = {}
    # A provider that takes the connection and never answers.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    server = make_server(
        "127.0.0.1", 0, lambda environ, start: holder["app"](environ, start), threaded=True
    )
    url = f"http://127.0.0.1:{server.server_port}"
    (keys / "app.pem").write_bytes(RSAKey.generate_key(2048).as_pem(private=True))

    def client(key, **metadata):
        return provider.register(
            redirect_uris=[f"{url}/login/with/{key}/return"],
            post_logout_redirect_uris=[f"{url}/login"],
            backchannel_logout_uri=f"{url}/login/with/{key}/back-channel-logout",
            backchannel_logout_session_required=True,
            **metadata,
        )

    # The third client is registered with another public key under the app's key id: the
    # app's assertions, signed with its own key, must not pass there.
    stranger = RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig"})
    signed = {
        "token_endpoint_auth_method": "private_key_jwt",
        "token_endpoint_auth_signing_alg": "RS256",
    }
    clients = {
        "nhsmail": client("nhsmail", token_endpoint_auth_method="client_secret_basic"),
        "cis2": client("cis2", jwks_uri=f"{url}/.well-known/jwks.json", **signed),
        "forged": client("forged", jwks={"keys": [stranger.as_dict(private=False)]}, **signed),
    }
    config = TestConfig(database_url)
    config.WTF_CSRF_ENABLED = csrf
    config.APP_BASE_URL = url
    config.TWO_FACTOR_ENFORCED = True
    config.SIGN_IN_PROVIDER_TIMEOUT_SECONDS = 2
    at_provider = {"discovery_url": provider.discovery_url}
    config.SIGN_IN_PROVIDERS = [
        {
            "key": "nhsmail",
            "client_id": clients["nhsmail"]["client_id"],
            "client_secret": clients["nhsmail"]["client_secret"],
            **at_provider,
        },
        {
            "key": "cis2",
            "client_id": clients["cis2"]["client_id"],
            "private_key_file": str(keys / "app.pem"),
            "key_id": KEY_ID,
            **at_provider,
        },
        {
            "key": "forged",
            "profile": "nhsmail",
            "label": "a key the provider does not hold",
            "client_id": clients["forged"]["client_id"],
            "private_key_file": str(keys / "app.pem"),
            "key_id": KEY_ID,
            **at_provider,
        },
        _unreachable("silent", "a provider that does not answer", silent.getsockname()[1]),
        _unreachable("down", "a provider that is down", 9),  # port 9 refuses at once
    ]
    made = create_app(config)
    with made.app_context():
        upgrade(revision="heads")
    holder["app"] = made
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(url, made, clients)
    finally:
        silent.close()
        server.shutdown()
        thread.join(timeout=10)
        with made.app_context():
            db.engine.dispose()


def _unreachable(key: str, label: str, port: int) -> dict:
    """A provider on loopback that gives the app nothing to sign in with."""
    return {
        "key": key,
        "profile": "nhsmail",
        "label": label,
        "discovery_url": f"http://127.0.0.1:{port}/.well-known/openid-configuration",
        "client_id": "nobody",
        "client_secret": "nothing",
    }


def new_email() -> str:
    return f"person.{uuid.uuid4().hex[:8]}@nhs.example"


def nhsmail_user(provider: TestProvider, email: str, **overrides) -> dict:
    """Someone at the provider with NHSmail's claims, who signs in with more than one factor."""
    sub = f"person-{uuid.uuid4().hex[:10]}"
    user = {
        "email": email,
        "password": PASSWORD_AT_PROVIDER,
        "sub": sub,
        "amr": ["pwd", "mfa"],
        "claims": {"tid": TENANT, "oid": f"oid-{sub}", "preferred_username": email},
    }
    user.update(overrides)
    provider.add_users(user)
    return user


def cis2_user(provider: TestProvider, email: str, org_code: str, acr: str = "AAL3_ANY") -> dict:
    """Someone at the provider with CIS2's claims, whose selected role is at `org_code`."""
    sub = f"5550{uuid.uuid4().int % 10**8:08d}"
    user = {
        "email": email,
        "password": PASSWORD_AT_PROVIDER,
        "sub": sub,
        "acr": acr,
        "amr": ["sc", "pin"] if acr.startswith("AAL3") else ["pwd"],
        "claims": {
            "nhsid_useruid": sub,
            "selected_roleid": "role-2",
            "nhsid_nrbac_roles": [
                {"person_roleid": "role-1", "org_code": "Y99999", "role_name": "Admin"},
                {"person_roleid": "role-2", "org_code": org_code, "role_name": "GP"},
            ],
        },
    }
    provider.add_users(user)
    return user


def sign_in_with(served: Served, provider: TestProvider, key: str, user: dict, browser=None):
    """Through the app's button, the provider's own sign-in page and back: (browser, the
    app's answer to the provider's return)."""
    browser = browser or requests.Session()
    started = browser.get(f"{served.url}/login/with/{key}", allow_redirects=False, timeout=10)
    assert started.status_code == 302, started.text
    back = provider.sign_in(browser, started.headers["Location"], user["email"], user["password"])
    assert back.startswith(f"{served.url}/login/with/{key}/return?")
    return browser, browser.get(back, allow_redirects=False, timeout=10)
