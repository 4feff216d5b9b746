"""Who can reach which page: anonymous visitors, and each role on the admin pages."""

import pytest

PUBLIC = {"/login", "/healthz"}
# Signing in at a provider and the app's public keys are for anyone, and there are none here:
# the app of the tests offers no provider (tests/security/test_provider_sign_in.py has them).
NOT_CONFIGURED = {
    "/login/with/nhsmail",
    "/login/with/nhsmail/return",
    "/login/with/nhsmail/sign-out",
    "/.well-known/jwks.json",
}
ADMIN_PAGES = [
    "/admin/users",
    "/admin/users/new",
    "/admin/settings",
    "/admin/mail",
    "/admin/audit",
    "/admin/audit.csv",
    "/admin/subject-access",
    "/admin/storage",
    "/admin/letters",
    "/admin/letters/acknowledgement",
    "/admin/letters/pals/sample.pdf",
]


def page_urls(app):
    """Every GET page the app registers, with sample values for its parameters."""
    samples = {
        "user_id": 1,
        "reference": "SO-2026-0001",
        "action_name": "assign",
        "filename": "x",
        "topic_key": "intake",
        "attachment_id": 1,
        "kind": "outcome",
        "letter_id": 1,
        "practice_id": 1,
        "network_id": 1,
        "action_id": 1,
        "key": "nhsmail",
    }
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "assets.nhsuk"):
            continue
        urls.add(rule.build({arg: samples[arg] for arg in rule.arguments})[1])
    return sorted(urls)


def test_every_page_but_sign_in_and_health_sends_anonymous_visitors_to_sign_in(app, client):
    urls = page_urls(app)
    assert "/" in urls and "/admin/users" in urls
    for url in urls:
        response = client.get(url)
        if url in PUBLIC:
            assert response.status_code == 200, url
        elif url in NOT_CONFIGURED:
            assert response.status_code == 404, url
        elif url == "/login/code":  # the code step, with no password given first
            assert response.headers["Location"] == "/login", url
        else:
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/login?next="), url


@pytest.mark.parametrize("url", ADMIN_PAGES)
@pytest.mark.parametrize(
    ("role", "senior", "expected"),
    [
        ("reception", False, 403),
        ("gp", False, 403),
        ("gp", True, 403),
        ("practice_manager", False, 200),
    ],
)
def test_admin_pages_are_for_the_practice_manager_alone(
    login_as, client, url, role, senior, expected
):
    login_as(role, is_senior_partner=senior)
    response = client.get(url)
    assert response.status_code == expected
    if expected == 403:
        assert "You do not have access to this page" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["reception", "gp"])
def test_admin_actions_are_refused_to_other_roles(login_as, make_user, client, app, role):
    target = make_user("gp")
    login_as(role)
    for url in (f"/admin/users/{target.id}/deactivate", f"/admin/users/{target.id}/reset-password"):
        assert client.post(url).status_code == 403
    assert client.post("/admin/settings", data={"practice_name": "Taken over"}).status_code == 403
    from tracker.extensions import db
    from tracker.settings.models import load_settings
    from tracker.staff.models import User

    with app.app_context():
        assert db.session.get(User, target.id).active is True
        assert load_settings().practice_name != "Taken over"


def test_unknown_page_shows_the_not_found_page(login_as, client):
    login_as("reception")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
