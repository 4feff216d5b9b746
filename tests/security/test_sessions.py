"""Session limits: idle sign-out, absolute lifetime, a fresh session at sign-in, and the end of
other sessions when a password changes or an account is deactivated."""

from sqlalchemy import select

from tests.helpers import set_practice, sign_in, text_of
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.settings.models import Practice


def test_idle_sign_out_after_the_minutes_in_settings(app, client, make_user, frozen_clock):
    user = make_user("reception")
    sign_in(client, user.email, user.password)
    frozen_clock.advance(minutes=14)
    assert client.get("/queue").status_code == 200  # activity restarts the idle clock
    frozen_clock.advance(minutes=14)
    assert client.get("/queue").status_code == 200
    frozen_clock.advance(minutes=16)
    ended = client.get("/queue")
    assert ended.status_code == 302 and ended.headers["Location"] == "/login?next=/queue"
    page = text_of(client.get("/login"))
    assert "You were signed out because the tracker was not used for 15 minutes" in page
    assert client.get("/").status_code == 302
    with app.app_context():
        event = db.session.scalars(select(Event).where(Event.kind == "signed_out")).one()
        assert event.actor_id == user.id and event.detail == "Session ended: idle"


def test_the_practice_sets_a_longer_idle_time(app, client, make_user, frozen_clock):
    with app.app_context():
        set_practice(practice_name="Test", idle_sign_out_minutes=30)
    user = make_user("gp")
    sign_in(client, user.email, user.password)
    frozen_clock.advance(minutes=25)
    assert client.get("/").status_code == 200
    frozen_clock.advance(minutes=31)
    assert client.get("/").status_code == 302


def test_the_settings_page_changes_the_idle_time(login_as, client, app):
    login_as("practice_manager")
    form = {
        "practice_name": "Brookside Surgery",
        "assign_target_days": "2",
        "acknowledge_target_days": "3",
        "outcome_target_days": "10",
        "bank_holiday_region": "england",
        "idle_sign_out_minutes": "",
        "retention_years": "10",
    }
    blank = client.post("/admin/settings", data=form)
    assert "Enter the number of minutes before an idle sign-out" in text_of(blank)
    form["idle_sign_out_minutes"] = "2"
    assert "Enter a number of minutes from 5 to 240" in text_of(
        client.post("/admin/settings", data=form)
    )
    form["idle_sign_out_minutes"] = "20"
    assert client.post("/admin/settings", data=form).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(Practice)).one().idle_sign_out_minutes == 20
        event = db.session.scalars(select(Event).where(Event.kind == "settings_changed")).one()
        assert event.changes["idle_sign_out_minutes"] == [15, 20]


def test_a_session_ends_after_its_absolute_lifetime_however_busy(client, make_user, frozen_clock):
    user = make_user("gp")
    sign_in(client, user.email, user.password)
    for _ in range(12 * 6):
        frozen_clock.advance(minutes=10)
        assert client.get("/").status_code == 200
    frozen_clock.advance(minutes=10)
    assert client.get("/").status_code == 302
    assert "you signed in more than 12 hours ago" in text_of(client.get("/login"))


def test_sign_in_starts_a_fresh_session(app, client, make_user):
    user = make_user("gp")
    with client.session_transaction() as before:
        before["planted"] = "by someone at this PC before sign-in"
    sign_in(client, user.email, user.password)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_user_id"] and after["_user_id"] != str(user.id)  # a session token


def test_a_password_change_ends_the_persons_other_sessions(app, make_user, frozen_clock):
    user = make_user("gp")
    at_desk, at_home = app.test_client(), app.test_client()
    sign_in(at_desk, user.email, user.password)
    sign_in(at_home, user.email, user.password)
    changed = at_desk.post(
        "/account/password",
        data={
            "current_password": user.password,
            "new_password": "a brand new long password",
            "confirm_password": "a brand new long password",
        },
    )
    assert changed.status_code == 302
    assert at_desk.get("/").status_code == 200  # the session that changed it goes on
    ended = at_home.get("/")
    assert ended.status_code == 302 and ended.headers["Location"].startswith("/login")
    assert "your account changed" in text_of(at_home.get("/login"))


def test_a_password_reset_and_deactivation_end_that_persons_sessions(
    app, make_user, as_user, frozen_clock
):
    manager = make_user("practice_manager")
    gp, reception = make_user("gp"), make_user("reception")
    gp_client, reception_client = as_user(gp), as_user(reception)
    manager_client = as_user(manager)
    manager_client.post(f"/admin/users/{gp.id}/reset-password")
    manager_client.post(f"/admin/users/{reception.id}/deactivate")
    assert gp_client.get("/").headers["Location"].startswith("/login")
    assert reception_client.get("/").headers["Location"].startswith("/login")
    assert manager_client.get("/").status_code == 200
    with app.app_context():
        got = set(db.session.scalars(select(Event.kind).where(Event.actor_id == manager.id)))
    assert {"password_reset", "account_deactivated"} <= got
