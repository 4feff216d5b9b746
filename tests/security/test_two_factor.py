"""Two-factor sign-in: enrolment, right, wrong and replayed codes, recovery codes, reset."""

import pyotp
from sqlalchemy import select

from tests.helpers import set_practice, sign_in, text_of
from tests.security.conftest import recovery_codes_on, secret_on
from tracker.audit.models import Event
from tracker.extensions import db
from tracker.security.models import RecoveryCode
from tracker.staff.models import User


def kinds(app, user_id):
    with app.app_context():
        return [
            e.kind
            for e in db.session.scalars(
                select(Event).where(Event.actor_id == user_id).order_by(Event.id)
            )
        ]


def test_the_practice_manager_must_enrol_before_anything_else(
    app, client, make_user, enforced, frozen_clock
):
    manager = make_user("practice_manager")
    assert sign_in(client, manager.email, manager.password).status_code == 302
    for url in ("/", "/queue", "/admin/users", "/admin/audit"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor"
    page = client.get("/account/two-factor")
    html = page.get_data(as_text=True)
    assert "Set up two-factor sign-in" in text_of(page)
    assert '<svg role="img" aria-label="QR code to scan"' in html
    assert len(secret_on(html)) == 32


def test_reception_enrols_only_when_the_practice_turns_it_on(
    app, client, make_user, enforced, frozen_clock
):
    reception = make_user("reception")
    sign_in(client, reception.email, reception.password)
    assert client.get("/").status_code == 200
    with app.app_context():
        set_practice(practice_name="Test", two_factor_for_everyone=True)
    assert client.get("/").headers["Location"] == "/account/two-factor"


def test_enrolment_refuses_a_wrong_code_then_accepts_the_right_one(
    app, client, make_user, enforced, frozen_clock
):
    manager = make_user("practice_manager")
    sign_in(client, manager.email, manager.password)
    secret = secret_on(client.get("/account/two-factor").get_data(as_text=True))
    wrong = client.post(
        "/account/two-factor", data={"password": manager.password, "code": "000000"}
    )
    assert "The code is not right" in text_of(wrong)
    # The same secret is shown again, so the app already set up still works.
    assert secret_on(wrong.get_data(as_text=True)) == secret
    with app.app_context():
        assert db.session.get(User, manager.id).totp_enabled_at is None

    done = client.post(
        "/account/two-factor",
        data={"password": manager.password, "code": pyotp.TOTP(secret).at(frozen_clock.now)},
    )
    page = text_of(done)
    assert "Two-factor sign-in is on" in page
    codes = recovery_codes_on(done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    with app.app_context():
        user = db.session.get(User, manager.id)
        assert user.totp_enabled_at is not None
        stored = db.session.scalars(
            select(RecoveryCode).where(RecoveryCode.user_id == user.id)
        ).all()
        assert len(stored) == 10
        assert not {row.code_hash for row in stored} & set(codes)  # only hashes are kept
    assert client.get("/").status_code == 200
    assert "two_factor_enrolled" in kinds(app, manager.id)


def test_sign_in_asks_for_the_code_and_refuses_a_wrong_one(
    app, client, make_user, enforced, enrol, frozen_clock
):
    manager = make_user("practice_manager")
    sign_in(client, manager.email, manager.password)
    secret, _ = enrol(client)

    fresh = app.test_client()
    first = sign_in(fresh, manager.email, manager.password)
    assert first.headers["Location"] == "/login/code"
    # The password alone does not sign anyone in.
    assert fresh.get("/").headers["Location"].startswith("/login")
    assert "Enter your security code" in text_of(fresh.get("/login/code"))

    wrong = fresh.post("/login/code", data={"code": "123456"})
    assert wrong.status_code == 200
    assert "The code is not right" in text_of(wrong)
    assert fresh.get("/").status_code == 302

    right = fresh.post("/login/code", data={"code": pyotp.TOTP(secret).at(frozen_clock.now)})
    assert right.headers["Location"] == "/"
    assert fresh.get("/").status_code == 200
    history = kinds(app, manager.id)
    assert "sign_in_failed" in history and history[-1] == "signed_in"


def test_a_code_used_once_is_refused_if_replayed(
    app, client, make_user, enforced, enrol, frozen_clock
):
    manager = make_user("practice_manager")
    sign_in(client, manager.email, manager.password)
    secret, _ = enrol(client)
    code = pyotp.TOTP(secret).at(frozen_clock.now)

    first = app.test_client()
    sign_in(first, manager.email, manager.password)
    assert first.post("/login/code", data={"code": code}).headers["Location"] == "/"

    frozen_clock.advance(seconds=5)  # same 30-second step: the same code is still on screen
    second = app.test_client()
    sign_in(second, manager.email, manager.password)
    replay = second.post("/login/code", data={"code": code})
    assert replay.status_code == 200 and "has been used already" in text_of(replay)
    assert second.get("/").status_code == 302
    with app.app_context():
        detail = db.session.scalars(
            select(Event.detail).where(Event.kind == "sign_in_failed").order_by(Event.id.desc())
        ).first()
    assert detail == "Sign-in failed: authenticator code already used"

    frozen_clock.advance(seconds=30)  # the next code works
    assert (
        second.post("/login/code", data={"code": pyotp.TOTP(secret).at(frozen_clock.now)}).headers[
            "Location"
        ]
        == "/"
    )


def test_a_recovery_code_works_once_only(app, client, make_user, enforced, enrol, frozen_clock):
    manager = make_user("practice_manager")
    sign_in(client, manager.email, manager.password)
    _, codes = enrol(client)

    first = app.test_client()
    sign_in(first, manager.email, manager.password)
    assert first.post("/login/code", data={"code": codes[0].upper()}).headers["Location"] == "/"
    assert first.get("/").status_code == 200

    again = app.test_client()
    sign_in(again, manager.email, manager.password)
    refused = again.post("/login/code", data={"code": codes[0]})
    assert refused.status_code == 200 and "The code is not right" in text_of(refused)
    assert again.post("/login/code", data={"code": codes[1]}).headers["Location"] == "/"
    with app.app_context():
        used = db.session.scalars(
            select(RecoveryCode).where(
                RecoveryCode.user_id == manager.id, RecoveryCode.used_at.is_not(None)
            )
        ).all()
    assert len(used) == 2
    assert kinds(app, manager.id).count("recovery_code_used") == 2


def test_the_code_step_expires(app, client, make_user, enforced, enrol, frozen_clock):
    manager = make_user("practice_manager")
    sign_in(client, manager.email, manager.password)
    secret, _ = enrol(client)
    fresh = app.test_client()
    sign_in(fresh, manager.email, manager.password)
    frozen_clock.advance(minutes=6)
    late = fresh.post("/login/code", data={"code": pyotp.TOTP(secret).at(frozen_clock.now)})
    assert late.headers["Location"] == "/login"
    assert "You took too long" in text_of(fresh.get("/login"))


def test_wrong_codes_lock_the_account(app, client, make_user, enforced, enrol, frozen_clock):
    manager = make_user("practice_manager")
    sign_in(client, manager.email, manager.password)
    secret, _ = enrol(client)
    fresh = app.test_client()
    sign_in(fresh, manager.email, manager.password)
    for _ in range(5):
        fresh.post("/login/code", data={"code": "000000"})
    with app.app_context():
        assert db.session.get(User, manager.id).is_locked(frozen_clock.now)
    assert "account_locked" in kinds(app, manager.id)
    assert sign_in(app.test_client(), manager.email, manager.password).status_code == 200


def test_the_practice_manager_resets_someones_two_factor_and_it_is_audited(
    app, make_user, enforced, enrol, full_sign_in, as_user, frozen_clock
):
    with app.app_context():
        set_practice(practice_name="Test", two_factor_for_everyone=True)
    gp = make_user("gp", full_name="Dr Lost Phone")
    gp_client = app.test_client()
    sign_in(gp_client, gp.email, gp.password)
    enrol(gp_client)
    assert gp_client.get("/").status_code == 200

    manager = make_user("practice_manager")
    manager_client = app.test_client()
    sign_in(manager_client, manager.email, manager.password)
    enrol(manager_client)
    page = text_of(manager_client.get(f"/admin/users/{gp.id}"))
    assert "Two-factor sign-in is set up" in page
    done = manager_client.post(
        f"/admin/users/{gp.id}/reset-two-factor",
        data={"password": manager.password},
        follow_redirects=True,
    )
    assert "Dr Lost Phone's two-factor sign-in has been reset" in text_of(done)

    with app.app_context():
        user = db.session.get(User, gp.id)
        assert user.totp_secret is None and user.totp_enabled_at is None
        assert not db.session.scalars(
            select(RecoveryCode).where(RecoveryCode.user_id == gp.id)
        ).all()
        event = db.session.scalars(select(Event).where(Event.kind == "two_factor_reset")).one()
        assert event.actor_id == manager.id and event.changes["account"] == [None, gp.email]
    # Their signed-in session ends, and at the next sign-in they set it up again.
    assert gp_client.get("/").headers["Location"].startswith("/login")
    again = app.test_client()
    assert sign_in(again, gp.email, gp.password).headers["Location"] == "/"
    assert again.get("/").headers["Location"] == "/account/two-factor"


def test_other_roles_cannot_reset_two_factor(login_as, make_user, client):
    target = make_user("practice_manager")
    login_as("gp")
    assert client.post(f"/admin/users/{target.id}/reset-two-factor").status_code == 403


def test_a_demo_account_may_put_off_enrolment_in_the_demo_only(
    app, make_user, enforced, frozen_clock
):
    demo = make_user("practice_manager", is_demo=True)
    real = make_user("practice_manager")
    app.config["TWO_FACTOR_DEMO_SKIP"] = True
    try:
        for user, skips in ((demo, True), (real, False)):
            client = app.test_client()
            sign_in(client, user.email, user.password)
            page = text_of(client.get("/account/two-factor"))
            assert ("Skip for this demo session" in page) is skips
            client.post("/account/two-factor/skip")
            assert (client.get("/").status_code == 200) is skips
    finally:
        app.config["TWO_FACTOR_DEMO_SKIP"] = False
    # Outside the demo configuration a demo account cannot skip either.
    client = app.test_client()
    sign_in(client, demo.email, demo.password)
    client.post("/account/two-factor/skip")
    assert client.get("/").headers["Location"] == "/account/two-factor"
