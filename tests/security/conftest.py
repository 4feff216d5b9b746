"""Fixtures for the security tests: two-factor enforcement on, and enrolment as a user does it."""

import re

import pyotp
import pytest

from tests.factories import DEFAULT_PASSWORD
from tests.helpers import sign_in


@pytest.fixture
def enforced(app):
    """Two-factor sign-in required, as in production (the rest of the suite signs in with
    passwords only)."""
    app.config["TWO_FACTOR_ENFORCED"] = True
    yield
    app.config["TWO_FACTOR_ENFORCED"] = False


def secret_on(html: str) -> str:
    match = re.search(r'id="two-factor-secret"[^>]*>([A-Z2-7 ]+)<', html)
    assert match, "no secret on the enrolment page"
    return match.group(1).replace(" ", "")


def recovery_codes_on(html: str) -> list[str]:
    block = html.split('id="recovery-codes"')[1].split("</ul>")[0]
    return re.findall(r"<code>([a-z0-9-]+)</code>", block)


@pytest.fixture
def enrol(frozen_clock):
    """Set up two-factor sign-in through the pages for a signed-in client; returns the
    secret and the recovery codes shown."""

    def do(client, password=DEFAULT_PASSWORD):
        page = client.get("/account/two-factor")
        assert page.status_code == 200
        secret = secret_on(page.get_data(as_text=True))
        done = client.post(
            "/account/two-factor",
            data={"password": password, "code": pyotp.TOTP(secret).at(frozen_clock.now)},
        )
        assert done.status_code == 200, done.get_data(as_text=True)
        codes = recovery_codes_on(done.get_data(as_text=True))
        frozen_clock.advance(seconds=30)  # the next sign-in needs a fresh code
        return secret, codes

    return do


@pytest.fixture
def code_for(frozen_clock):
    return lambda secret: pyotp.TOTP(secret).at(frozen_clock.now)


@pytest.fixture
def full_sign_in(app, frozen_clock):
    """Password then the current code, on a new client; returns the client."""

    def do(user, secret):
        client = app.test_client()
        first = sign_in(client, user.email, user.password)
        assert first.headers["Location"] == "/login/code"
        done = client.post("/login/code", data={"code": pyotp.TOTP(secret).at(frozen_clock.now)})
        assert done.status_code == 302 and done.headers["Location"] == "/", done.get_data(
            as_text=True
        )
        frozen_clock.advance(seconds=30)
        return client

    return do
