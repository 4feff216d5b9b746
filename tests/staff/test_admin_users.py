"""The practice manager's staff pages."""

import re

from tests.helpers import sign_in, text_of
from tracker.extensions import db
from tracker.staff.models import User


def temporary_password(response) -> str:
    return re.search(
        r'<code id="temporary-password">([^<]+)</code>', response.get_data(as_text=True)
    ).group(1)


def test_manager_adds_a_gp_who_must_choose_a_password(app, client, login_as):
    login_as("practice_manager")
    response = client.post(
        "/admin/users/new",
        data={
            "full_name": "Dr Lena Brooks",
            "email": " Lena.Brooks@NHS.net ",
            "role": "gp",
            "is_senior_partner": "y",
        },
    )
    assert response.status_code == 200
    assert "Account created" in text_of(response)
    password = temporary_password(response)
    assert len(password) >= 12
    with app.app_context():
        user = db.session.query(User).filter_by(email="lena.brooks@nhs.net").one()
        assert (user.role, user.is_senior_partner, user.must_change_password) == ("gp", True, True)
        assert password not in user.password_hash
    listing = text_of(client.get("/admin/users"))
    assert "Dr Lena Brooks" in listing and "GP, senior partner" in listing

    client.post("/logout")
    assert (
        sign_in(client, "lena.brooks@nhs.net", password).headers["Location"] == "/account/password"
    )


def test_bad_input_comes_back_with_what_was_typed(client, login_as):
    manager = login_as("practice_manager")
    response = client.post(
        "/admin/users/new",
        data={
            "full_name": "Sam Reed",
            "email": "not-an-email",
            "role": "reception",
            "is_senior_partner": "y",
        },
    )
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "There is a problem" in page
    assert "Enter an email address in the correct format" in page
    assert "Only a GP can be the senior partner" in page
    assert 'value="Sam Reed"' in html and 'value="not-an-email"' in html
    assert html.count("<title>Error: ") == 1

    duplicate = client.post(
        "/admin/users/new", data={"full_name": "Copy", "email": manager.email.upper(), "role": "gp"}
    )
    assert "An account with this email address already exists" in text_of(duplicate)


def test_manager_changes_role_and_senior_partner(app, client, login_as, make_user):
    login_as("practice_manager")
    gp = make_user("gp")
    response = client.post(
        f"/admin/users/{gp.id}",
        data={"full_name": gp.full_name, "email": gp.email, "role": "gp", "is_senior_partner": "y"},
    )
    assert response.headers["Location"] == "/admin/users"
    with app.app_context():
        assert db.session.get(User, gp.id).is_senior_partner is True
    client.post(
        f"/admin/users/{gp.id}",
        data={"full_name": gp.full_name, "email": gp.email, "role": "reception"},
    )
    with app.app_context():
        changed = db.session.get(User, gp.id)
        assert (changed.role, changed.is_senior_partner) == ("reception", False)


def test_deactivated_staff_keep_their_record_but_cannot_sign_in(app, client, login_as, make_user):
    login_as("practice_manager")
    leaver = make_user("gp")
    response = client.post(f"/admin/users/{leaver.id}/deactivate", follow_redirects=True)
    assert "can no longer sign in" in text_of(response)
    assert "Deactivated" in text_of(client.get("/admin/users"))
    with app.app_context():
        assert db.session.get(User, leaver.id).active is False
    other = app.test_client()
    assert sign_in(other, leaver.email, leaver.password).status_code == 200

    client.post(f"/admin/users/{leaver.id}/reactivate")
    assert sign_in(other, leaver.email, leaver.password).status_code == 302


def test_manager_cannot_deactivate_or_demote_themselves(app, client, login_as):
    manager = login_as("practice_manager")
    client.post(f"/admin/users/{manager.id}/deactivate")
    demote = client.post(
        f"/admin/users/{manager.id}",
        data={"full_name": manager.full_name, "email": manager.email, "role": "gp"},
    )
    assert "You cannot take the practice manager role away from yourself" in text_of(demote)
    with app.app_context():
        me = db.session.get(User, manager.id)
        assert me.active is True and me.role == "practice_manager"


def test_reset_password_unlocks_and_requires_a_new_password(app, client, login_as, make_user):
    login_as("practice_manager")
    locked = make_user("reception")
    other = app.test_client()
    for _ in range(5):
        sign_in(other, locked.email, "wrong wrong wrong")
    response = client.post(f"/admin/users/{locked.id}/reset-password")
    assert "Password reset" in text_of(response)
    new_password = temporary_password(response)
    assert sign_in(other, locked.email, locked.password).status_code == 200
    assert sign_in(other, locked.email, new_password).headers["Location"] == "/account/password"


def test_names_are_escaped_on_every_page(client, login_as, make_user):
    login_as("practice_manager")
    make_user("gp", full_name="<script>alert(1)</script>")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_settings_change_the_practice_name_in_the_header(client, login_as):
    login_as("practice_manager")
    bad = client.post("/admin/settings", data={"practice_name": "", "ods_code": "not valid!"})
    assert "Enter the practice name" in text_of(bad)
    assert "Enter an ODS code of letters and numbers" in text_of(bad)
    assert 'value="NOT VALID!"' in bad.get_data(as_text=True)
    client.post(
        "/admin/settings",
        data={
            "practice_name": "Brookside Surgery",
            "ods_code": "b81001",
            "assign_target_days": "2",
            "acknowledge_target_days": "3",
            "outcome_target_days": "10",
            "bank_holiday_region": "england",
        },
    )
    page = client.get("/")
    assert "Brookside Surgery" in page.get_data(as_text=True)
    assert "ODS B81001" in text_of(page)
