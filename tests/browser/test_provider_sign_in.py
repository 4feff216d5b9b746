"""Signing in with an NHS identity in Chromium, through the provider's own sign-in page, and
the pages that sign-in adds, checked with axe on a desktop and at 390 and 320 px."""

import pytest

from tests.browser.test_accessibility import Problems, on_narrow_screens, run_axe
from tests.oidc.served import (
    PASSWORD_AT_PROVIDER,
    new_email,
    nhsmail_user,
    serve_with_providers,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(database_url, oidc_provider, tmp_path_factory):
    keys = tmp_path_factory.mktemp("keys")
    with serve_with_providers(database_url, oidc_provider, keys, csrf=True) as found:
        yield found


@pytest.fixture(scope="module")
def app(served):
    return served.app


def accessible(page) -> None:
    assert run_axe(page) == []
    on_narrow_screens(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_gp_signs_in_with_nhsmail_through_the_providers_own_page_and_out_again(
    served, oidc_provider, make_user, page
):
    email = new_email()
    made = make_user("gp", email=email)
    nhsmail_user(oidc_provider, email)
    problems = Problems(page, expected_status=False)

    page.goto(f"{served.url}/login")
    accessible(page)
    page.get_by_role("link", name="Sign in with NHSmail").click()
    assert page.url.startswith(oidc_provider.issuer)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD_AT_PROVIDER)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{served.url}/")
    assert made.full_name in page.locator("header").inner_text()

    page.goto(f"{served.url}/logout")
    page.locator("main").get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{served.url}/login")
    assert "You may still be signed in to NHSmail" in page.locator("main").inner_text()
    accessible(page)
    assert problems.found == [], problems.found  # on the tracker's pages (not the provider's)
    page.get_by_role("link", name="Sign out of NHSmail too").click()
    assert page.url.startswith(f"{oidc_provider.issuer}/session/end")


def test_a_refusal_and_a_provider_that_is_down_are_clear_accessible_pages(
    served, oidc_provider, make_user, page
):
    make_user("practice_manager")
    email = new_email()  # no account in the tracker
    nhsmail_user(oidc_provider, email)
    page.goto(f"{served.url}/login")
    page.get_by_role("link", name="Sign in with NHSmail").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD_AT_PROVIDER)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{served.url}/login/with/nhsmail/return*")
    assert page.get_by_role("heading", level=1).inner_text() == "You have not been signed in"
    assert "Ask your practice manager to add you" in page.locator("main").inner_text()
    accessible(page)

    page.goto(f"{served.url}/login/with/down")
    assert "is not working just now" in page.get_by_role("heading", level=1).inner_text()
    accessible(page)


def test_passwords_and_codes_can_be_pasted_and_a_password_manager_fills_them(
    served, make_user, app, browser
):
    """WCAG 2.2 3.3.8 (accessible authentication): nothing to remember or transcribe by hand.
    The email address, password and code are pasted from the clipboard, as a password manager
    or an authenticator app's copy button would give them."""
    import pyotp

    from tracker import clock
    from tracker.extensions import db
    from tracker.staff.models import User

    manager = make_user("practice_manager")
    secret = pyotp.random_base32()
    with app.app_context():
        account = db.session.get(User, manager.id)
        account.totp_secret, account.totp_enabled_at = secret, clock.now_utc()
        db.session.commit()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served.url)
    page = context.new_page()

    def paste_into(label: str, text: str) -> None:
        page.evaluate("text => navigator.clipboard.writeText(text)", text)
        page.get_by_label(label, exact=True).focus()
        page.keyboard.press("Control+V")
        assert page.get_by_label(label, exact=True).input_value() == text

    page.goto(f"{served.url}/login")
    assert page.get_by_label("Email address").get_attribute("autocomplete") == "username"
    assert page.get_by_label("Password", exact=True).get_attribute("autocomplete") == (
        "current-password"
    )
    paste_into("Email address", manager.email)
    paste_into("Password", manager.password)
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(f"{served.url}/login/code")
    code = page.locator("input[name=code]")
    assert code.get_attribute("autocomplete") == "one-time-code"
    page.evaluate("text => navigator.clipboard.writeText(text)", pyotp.TOTP(secret).now())
    code.focus()
    page.keyboard.press("Control+V")
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_url(f"{served.url}/")
    assert manager.full_name in page.locator("header").inner_text()
    context.close()
