"""Signing in and out, the account lock, first-sign-in password change and CSRF."""

import re

import pytest
from sqlalchemy import select

from tests.helpers import sign_in, text_of
from tracker import create_app
from tracker.auth.routes import safe_next
from tracker.config import TestConfig
from tracker.extensions import db
from tracker.staff.models import User

GENERIC = "Your email address or password is not right, or your account is locked."

HOMES = {
    "reception": ("Reception", ["Home", "Log a request", "Cases"], ["Staff", "Settings"]),
    "gp": ("Your second opinions", ["Home", "Cases"], ["Log a request", "Staff", "Settings"]),
    "practice_manager": (
        "Practice overview",
        ["Home", "Log a request", "Cases", "Staff", "Settings"],
        [],
    ),
}


@pytest.mark.parametrize("role", HOMES)
def test_each_role_signs_in_to_its_own_home_and_navigation(client, make_user, role):
    user = make_user(role)
    response = sign_in(client, user.email, user.password)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = client.get("/")
    html = page.get_data(as_text=True)
    heading, shown, hidden = HOMES[role]
    assert f"<h1>{heading}</h1>" in html
    nav = html[
        html.index('aria-label="Main menu"') : html.index(
            "</nav>", html.index('aria-label="Main menu"')
        )
    ]
    for item in shown:
        assert f">{item}<" in nav
    for item in hidden:
        assert f">{item}<" not in nav
    assert user.full_name in text_of(page)


def test_wrong_password_and_unknown_email_get_the_same_generic_message(client, make_user):
    user = make_user("gp")
    wrong_password = sign_in(client, user.email, "not the password at all")
    unknown = sign_in(client, "nobody@practice.example", "not the password at all")
    for response in (wrong_password, unknown):
        assert response.status_code == 200
        assert GENERIC in text_of(response)
        assert "<title>Error: Sign in" in response.get_data(as_text=True)
    # The email typed is kept; the password is not sent back.
    assert f'value="{user.email}"' in wrong_password.get_data(as_text=True)


def test_the_sign_in_page_offers_no_provider_when_none_is_configured(client):
    page = text_of(client.get("/login"))
    assert "Sign in with" not in page and "Or sign in with a password" not in page
    assert client.get("/login/with/nhsmail").status_code == 404


def test_empty_sign_in_form_says_what_to_enter(client):
    response = client.post("/login", data={"email": "", "password": ""})
    page = text_of(response)
    assert "There is a problem" in page
    assert "Enter your email address" in page and "Enter your password" in page


def test_five_failures_lock_the_account_until_the_lock_time_passes(
    app, client, make_user, frozen_clock
):
    user = make_user("reception")
    for _ in range(5):
        assert GENERIC in text_of(sign_in(client, user.email, "wrong wrong wrong"))
    with app.app_context():
        locked = db.session.get(User, user.id)
        assert locked.locked_until is not None
        assert locked.locked_until > frozen_clock.now

    sixth = sign_in(client, user.email, user.password)
    assert sixth.status_code == 200
    assert GENERIC in text_of(sixth)

    frozen_clock.advance(minutes=14, seconds=59)
    assert sign_in(client, user.email, user.password).status_code == 200

    frozen_clock.advance(seconds=2)
    after = sign_in(client, user.email, user.password)
    assert after.status_code == 302
    with app.app_context():
        unlocked = db.session.get(User, user.id)
        assert unlocked.failed_signin_count == 0 and unlocked.locked_until is None


def test_a_success_resets_the_failure_count(app, client, make_user):
    user = make_user("gp")
    for _ in range(4):
        sign_in(client, user.email, "wrong wrong wrong")
    assert sign_in(client, user.email, user.password).status_code == 302
    client.post("/logout")
    for _ in range(4):
        sign_in(client, user.email, "wrong wrong wrong")
    assert sign_in(client, user.email, user.password).status_code == 302


def test_a_deactivated_account_cannot_sign_in(app, client, make_user):
    user = make_user("gp")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    response = sign_in(client, user.email, user.password)
    assert response.status_code == 200 and GENERIC in text_of(response)


def test_deactivating_signs_the_person_out_of_their_open_session(app, client, make_user):
    user = make_user("gp")
    sign_in(client, user.email, user.password)
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert client.get("/").status_code == 302


def test_new_accounts_choose_a_password_before_anything_else(app, client, make_user):
    user = make_user("reception", must_change_password=True)
    response = sign_in(client, user.email, user.password)
    assert response.headers["Location"] == "/account/password"
    assert client.get("/").headers["Location"] == "/account/password"

    too_short = client.post(
        "/account/password",
        data={
            "current_password": user.password,
            "new_password": "short",
            "confirm_password": "short",
        },
    )
    assert "Password must be 12 characters or more" in text_of(too_short)

    done = client.post(
        "/account/password",
        data={
            "current_password": user.password,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert done.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert sign_in(client, user.email, "a brand new passphrase").headers["Location"] == "/"


def test_next_takes_you_back_to_the_page_you_asked_for(client, make_user):
    user = make_user("practice_manager")
    bounced = client.get("/admin/users")
    assert bounced.headers["Location"] == "/login?next=%2Fadmin%2Fusers"
    response = sign_in(client, user.email, user.password, next_url="/admin/users")
    assert response.headers["Location"] == "/admin/users"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil",
        "",
    ],
)
def test_next_never_leaves_the_site(client, make_user, target):
    user = make_user("gp")
    response = sign_in(client, user.email, user.password, next_url=target)
    assert response.headers["Location"] == "/"
    assert safe_next(target) is None


def test_sign_out_ends_the_session(login_as, client):
    login_as("gp")
    assert "Sign out" in text_of(client.get("/logout"))
    response = client.post("/logout")
    assert response.headers["Location"] == "/login"
    assert client.get("/").status_code == 302
    assert "You have signed out" in text_of(client.get("/login"))


def test_a_form_without_its_csrf_token_is_refused_with_a_clear_page(database_url, make_user):
    config = TestConfig(database_url)
    config.WTF_CSRF_ENABLED = True
    app = create_app(config)
    client = app.test_client()
    user = make_user("gp")
    response = client.post("/login", data={"email": user.email, "password": user.password})
    assert response.status_code == 400
    page = text_of(response)
    assert "This form has expired" in page and "Traceback" not in page
    assert client.get("/").status_code == 302  # not signed in

    # With the token from the page, the same sign-in works.
    html = client.get("/login").get_data(as_text=True)
    token = html.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    ok = client.post(
        "/login", data={"email": user.email, "password": user.password, "csrf_token": token}
    )
    assert ok.status_code == 302

    # The header's sign-out form carries this session's token, also when the header was kept
    # from an earlier request (tracker/templating.py): signing out with it works.
    client.get("/")
    html = client.get("/queue").get_data(as_text=True)
    assert "<!--slot:" not in html
    form = html.split('action="/logout"')[1].split("</form>")[0]
    token = form.split('name="csrf_token" value="')[1].split('"')[0]
    assert token
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/queue").status_code == 302  # signed out


def test_navigation_marks_the_section_being_shown(login_as, client):
    login_as("practice_manager")
    html = client.get("/admin/users/new").get_data(as_text=True)
    current = re.findall(r'aria-current="(?:page|true)"[^>]*>\s*<strong[^>]*>([^<]+)<', html)
    assert current == ["Staff"]


def test_without_a_provider_passwords_work_whatever_the_practice_chose(app, client, make_user):
    """Provider-only sign-in is offered only where the install has a provider; a practice that
    chose it on an install with none left is not locked out."""
    from tracker.practices.models import Practice

    manager = make_user("practice_manager")
    assert sign_in(client, manager.email, manager.password).status_code == 302
    assert 'name="sign_in_at_provider_only"' not in client.get("/admin/settings").get_data(
        as_text=True
    )
    with app.app_context():
        db.session.scalar(select(Practice)).sign_in_at_provider_only = True
        db.session.commit()
    gp = make_user("gp")
    other = app.test_client()
    assert sign_in(other, gp.email, gp.password).status_code == 302
