"""Sessions kept on the server: sign-out ends the session for a copied cookie too, the
practice manager and the person can end sessions, sensitive changes ask for the password and
count wrong guesses, weak passwords and weak keys are refused, and demo data stays in the demo."""

import base64
import json
import secrets
import zlib

import pyotp
import pytest
from sqlalchemy import event, select

from tests.helpers import sign_in, text_of
from tracker import create_app
from tracker.audit.models import Event
from tracker.cases.models import CaseNote
from tracker.config import Config, TestConfig
from tracker.extensions import db
from tracker.staff.models import User
from tracker.staff.sessions import UserSession, hash_token

from .conftest import secret_on


def cookie_of(client) -> str:
    return client.get_cookie("session").value


def replay(app, cookie: str):
    """A new browser carrying a copy of a session cookie taken earlier."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def cookie_contents(cookie: str) -> dict:
    """What a signed Flask session cookie says (it is signed, not encrypted)."""
    compressed = cookie.startswith(".")
    payload = cookie.split(".")[1] if compressed else cookie.split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return json.loads(zlib.decompress(raw) if compressed else raw)


def test_a_cookie_copied_before_sign_out_gets_the_sign_in_page_after_it(
    app, staff, as_user, place_case
):
    reference = place_case()
    client = as_user(staff.reception)
    assert client.get(f"/cases/{reference}").status_code == 200
    copied = cookie_of(client)

    client.post("/logout")
    thief = replay(app, copied)
    page = thief.get(f"/cases/{reference}")
    assert page.status_code == 302 and page.headers["Location"].startswith("/login")
    note = thief.post(f"/cases/{reference}/add-note", data={"text": "Added after sign-out"})
    assert note.status_code in (302, 400) and "/cases/" not in note.headers.get("Location", "")
    assert "Sign in" in text_of(thief.get("/login"))
    with app.app_context():
        assert db.session.scalars(select(CaseNote)).all() == []
        ended = db.session.scalars(select(UserSession)).one()
        assert ended.end_reason == "signed_out" and ended.ended_at is not None


def test_the_cookie_carries_the_sessions_token_and_the_table_only_its_hash(app, client, make_user):
    user = make_user("gp")
    sign_in(client, user.email, user.password)
    token = cookie_contents(cookie_of(client))["_user_id"]
    assert token != str(user.id) and len(token) >= 40
    with app.app_context():
        row = db.session.scalars(select(UserSession)).one()
        assert row.user_id == user.id and row.token_hash == hash_token(token)
        assert token not in {row.token_hash, row.address, row.user_agent}


def test_a_session_ended_by_the_practice_manager_ends_at_its_next_request(
    app, staff, as_user, place_case
):
    reference = place_case()
    gp_client = as_user(staff.gp)
    assert gp_client.get(f"/cases/{reference}").status_code == 200
    manager = as_user(staff.manager)
    page = manager.get(f"/admin/users/{staff.gp.id}")
    assert "Signed in now" in text_of(page)
    with app.app_context():
        gp_session = db.session.scalars(
            select(UserSession).where(UserSession.user_id == staff.gp.id)
        ).one()
    assert f"/admin/users/{staff.gp.id}/sessions/{gp_session.id}/end" in page.get_data(as_text=True)
    ended = manager.post(
        f"/admin/users/{staff.gp.id}/sessions/{gp_session.id}/end", follow_redirects=True
    )
    assert "session on" in text_of(ended) and "has been ended" in text_of(ended)

    after = gp_client.get(f"/cases/{reference}")
    assert after.status_code == 302 and after.headers["Location"].startswith("/login")
    assert "Your practice manager ended this session" in text_of(gp_client.get("/login"))
    assert manager.get("/").status_code == 200  # the manager's own session goes on
    with app.app_context():
        row = db.session.get(UserSession, gp_session.id)
        assert row.end_reason == "ended_by_manager" and row.ended_by_id == staff.manager.id
        logged = db.session.scalars(select(Event).where(Event.kind == "session_ended")).one()
        assert logged.actor_id == staff.manager.id
        assert logged.changes["account"] == [None, staff.gp.email]


def test_only_the_practice_manager_ends_someone_elses_session(app, staff, as_user):
    as_user(staff.gp)
    with app.app_context():
        gp_session = db.session.scalars(select(UserSession)).one()
    other = as_user(staff.other_gp)
    assert other.post(f"/admin/users/{staff.gp.id}/sessions/{gp_session.id}/end").status_code == 403
    assert other.post(f"/account/sessions/{gp_session.id}/end").status_code == 302
    with app.app_context():
        assert db.session.get(UserSession, gp_session.id).ended_at is None


def test_a_person_sees_their_sessions_and_ends_the_others(app, make_user):
    user = make_user("reception")
    desk, back_office, phone = app.test_client(), app.test_client(), app.test_client()
    sign_in(desk, user.email, user.password)
    sign_in(back_office, user.email, user.password)
    sign_in(phone, user.email, user.password)
    page = desk.get("/account/sessions")
    assert text_of(page).count("This session") == 1
    with app.app_context():
        rows = db.session.scalars(select(UserSession).order_by(UserSession.id)).all()
    assert len(rows) == 3
    done = desk.post(f"/account/sessions/{rows[1].id}/end", follow_redirects=True)
    assert "has been ended" in text_of(done)
    assert back_office.get("/").headers["Location"].startswith("/login")
    assert phone.get("/").status_code == 200

    desk.post("/account/sessions/end-others")
    assert phone.get("/").headers["Location"].startswith("/login")
    assert desk.get("/").status_code == 200
    assert "This session was ended from another computer" in text_of(phone.get("/login"))


def test_wrong_current_passwords_count_toward_the_lock(app, client, make_user):
    user = make_user("gp")
    sign_in(client, user.email, user.password)
    form = {
        "new_password": "a brand new long password",
        "confirm_password": "a brand new long password",
    }
    for _ in range(app.config["SIGNIN_MAX_FAILURES"] - 1):
        wrong = client.post("/account/password", data={"current_password": "guess", **form})
        assert "Your current password is not right" in text_of(wrong)
    with app.app_context():
        assert db.session.get(User, user.id).failed_signin_count == 4
    last = client.post("/account/password", data={"current_password": "guess", **form})
    assert last.status_code == 302 and last.headers["Location"] == "/login"
    assert "your account is locked" in text_of(client.get("/login"))
    assert client.get("/").headers["Location"].startswith("/login")
    assert sign_in(client, user.email, user.password).status_code == 200  # locked for now
    with app.app_context():
        assert db.session.get(User, user.id).locked_until is not None
        assert db.session.get(User, user.id).check_password(user.password)


def test_two_factor_set_up_asks_for_the_password_and_ends_other_sessions(
    app, make_user, frozen_clock
):
    user = make_user("gp")
    stolen, owner = app.test_client(), app.test_client()
    sign_in(owner, user.email, user.password)
    sign_in(stolen, user.email, user.password)
    secret = secret_on(stolen.get("/account/two-factor").get_data(as_text=True))
    code = pyotp.TOTP(secret).at(frozen_clock.now)
    missing = stolen.post("/account/two-factor", data={"code": code})
    assert "Enter your password" in text_of(missing)
    wrong = stolen.post("/account/two-factor", data={"password": "a guess", "code": code})
    assert "Your password is not right" in text_of(wrong)
    with app.app_context():
        assert db.session.get(User, user.id).totp_enabled_at is None
        assert db.session.get(User, user.id).failed_signin_count == 1

    done = owner.post(
        "/account/two-factor",
        data={"password": user.password, "code": pyotp.TOTP(secret).at(frozen_clock.now)},
    )
    assert "Two-factor sign-in is on" in text_of(done)
    assert owner.get("/").status_code == 200
    assert stolen.get("/").headers["Location"].startswith("/login")


def test_resetting_someones_two_factor_asks_for_the_managers_password(
    app, staff, as_user, frozen_clock
):
    with app.app_context():
        gp = db.session.get(User, staff.gp.id)
        gp.totp_secret = pyotp.random_base32()
        gp.totp_enabled_at = frozen_clock.now
        db.session.commit()
    manager = as_user(staff.manager)
    refused = manager.post(f"/admin/users/{staff.gp.id}/reset-two-factor", data={"password": "no"})
    assert refused.status_code == 200 and "Your password is not right" in text_of(refused)
    with app.app_context():
        assert db.session.get(User, staff.gp.id).totp_enabled_at is not None
    manager.post(
        f"/admin/users/{staff.gp.id}/reset-two-factor", data={"password": staff.manager.password}
    )
    with app.app_context():
        assert db.session.get(User, staff.gp.id).totp_enabled_at is None


@pytest.mark.parametrize("weak", ["password1234", "aaaaaaaaaaaa", "Qwerty123456", "manchester12"])
def test_common_and_guessable_passwords_are_refused_with_the_reason(client, make_user, weak):
    user = make_user("reception")
    sign_in(client, user.email, user.password)
    page = client.post(
        "/account/password",
        data={"current_password": user.password, "new_password": weak, "confirm_password": weak},
    )
    assert "This password is too easy to guess" in text_of(page)


def test_a_password_made_of_the_persons_own_name_is_refused(client, make_user):
    user = make_user("reception", full_name="Rosalind Featherstonehaugh")
    sign_in(client, user.email, user.password)
    weak = "featherstonehaugh1"
    page = client.post(
        "/account/password",
        data={"current_password": user.password, "new_password": weak, "confirm_password": weak},
    )
    assert "This password is too easy to guess" in text_of(page)


def test_a_session_costs_one_statement_per_request(app, client, make_user, frozen_clock):
    user = make_user("gp")
    sign_in(client, user.email, user.password)
    frozen_clock.advance(minutes=1)
    client.get("/queue")  # the last-seen time is written at most every 30 seconds
    touching = []

    def count(conn, cursor, statement, *args):
        if "user_sessions" in statement:
            touching.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get("/queue").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(touching) == 1 and touching[0].lstrip().upper().startswith("SELECT")


@pytest.mark.parametrize("key", ["abc", "x" * 40, "change-me-change-me-change-me-change-me"])
def test_production_refuses_a_guessable_secret_key(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="secrets.token_hex"):
        create_app(Config())


def test_production_starts_with_a_random_secret_key(monkeypatch, app):
    monkeypatch.setenv("SECRET_KEY", secrets.token_hex(32))
    # The app's own role on PostgreSQL: production refuses the server's superuser.
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    assert create_app(Config()).config["ENV_NAME"] == "production"


class ProductionLikeConfig(TestConfig):
    """The test database with production's rule on demo accounts."""

    DEMO_ACCOUNTS_ALLOWED = False


def test_demo_data_is_refused_outside_the_demo(app, database_url):
    production = create_app(ProductionLikeConfig(database_url))
    result = production.test_cli_runner().invoke(args=["tracker", "seed-demo"])
    assert result.exit_code != 0
    assert "Demo data is only for the demo" in result.output
    with production.app_context():
        assert db.session.scalars(select(User)).all() == []


def test_demo_accounts_cannot_sign_in_outside_the_demo(app, database_url, make_user):
    demo = make_user("practice_manager", is_demo=True)
    production = create_app(ProductionLikeConfig(database_url))
    client = production.test_client()
    refused = sign_in(client, demo.email, demo.password)
    assert refused.status_code == 200 and "not right" in text_of(refused)
    assert sign_in(app.test_client(), demo.email, demo.password).status_code == 302
    with production.app_context():
        failure = db.session.scalars(select(Event).where(Event.kind == "sign_in_failed")).first()
        assert "demo account outside the demo" in failure.detail


def test_the_purge_forgets_session_records_after_ninety_days(app, client, make_user, frozen_clock):
    user = make_user("gp")
    sign_in(client, user.email, user.password)
    client.post("/logout")
    frozen_clock.advance(days=89)
    sign_in(app.test_client(), user.email, user.password)
    frozen_clock.advance(days=2)
    result = app.test_cli_runner().invoke(args=["tracker", "purge-expired"])
    assert "Removed the records of 1 signed-in session(s) last used more than 90 days ago" in (
        result.output
    )
    with app.app_context():
        left = db.session.scalars(select(UserSession)).all()
        assert [row.ended_at for row in left] == [None]
        assert db.session.scalars(select(Event).where(Event.kind == "signed_out")).all()
