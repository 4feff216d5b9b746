"""Security headers on every page and download, and no inline script without the nonce."""

import re
import secrets
from pathlib import Path

import nhsuk_frontend_jinja
import pytest

from tracker import create_app
from tracker.config import PROJECT_ROOT, Config, TestConfig

SAMPLES = {
    "user_id": None,
    "reference": None,
    "action_name": "add-note",
    "topic_key": "intake",
    "kind": "pals",
}


def check_headers(response, url, patient_data=True):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, url
    assert re.search(r"script-src 'self' 'nonce-[A-Za-z0-9_-]{20,}'", csp), url
    assert "unsafe-inline" not in csp, url
    assert "object-src 'none'" in csp and "base-uri 'none'" in csp, url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") == "no-referrer", url
    assert headers.get("X-Frame-Options") == "DENY", url
    if patient_data:
        assert headers.get("Cache-Control") == "no-store", url
    assert "Strict-Transport-Security" not in headers, url  # HSTS in production only


def every_get_url(app, reference, user_id):
    samples = {**SAMPLES, "reference": reference, "user_id": user_id}
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static", "assets.nhsuk"):
            continue
        if not set(rule.arguments) <= set(samples):
            continue
        urls.add(rule.build({arg: samples[arg] for arg in rule.arguments})[1])
    return sorted(urls)


def test_every_page_and_download_carries_the_headers(app, staff, log_case, as_user):
    reference = log_case()
    manager = as_user(staff.manager)
    urls = every_get_url(app, reference, staff.gp.id)
    assert {"/admin/audit.csv", "/admin/audit", f"/cases/{reference}"} <= set(urls)
    for url in urls:
        response = manager.get(url)
        assert response.status_code in (200, 302, 400, 404), url  # 400: a CSV needs a month
        check_headers(response, url)
    downloads = [
        ("GET", "/admin/audit.csv", None),
        ("GET", "/reports/monthly.csv?month=2026-11&kind=cases", None),
        ("POST", "/admin/subject-access", {"nhs_number": "999 000 0018"}),
    ]
    for method, url, data in downloads:
        response = manager.open(url, method=method, data=data)
        assert response.status_code == 200 and response.get_data()
        assert response.headers["Content-Disposition"].startswith("attachment")
        check_headers(response, response.request.path)
    anonymous = app.test_client()
    for url in ("/login", "/healthz", "/static/css/app.css"):
        check_headers(anonymous.get(url), url, patient_data=url != "/static/css/app.css")
    check_headers(anonymous.post("/login", data={"email": "x@y.z", "password": "p"}), "/login")


def test_the_nonce_is_new_each_time_and_matches_the_inline_script(client):
    nonces = []
    for _ in range(2):
        response = client.get("/login")
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        html = response.get_data(as_text=True)
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_production_sends_hsts(monkeypatch, app):
    monkeypatch.setenv("SECRET_KEY", secrets.token_hex(32))
    # The app's own role on PostgreSQL: production refuses the server's superuser.
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    app = create_app(Config())
    response = app.test_client().get("/login", base_url="https://tracker.example")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert Config.TWO_FACTOR_ENFORCED and not Config.TWO_FACTOR_DEMO_SKIP
    assert not TestConfig.SEND_HSTS


TEMPLATE_DIRS = [
    PROJECT_ROOT / "templates",
    Path(nhsuk_frontend_jinja.__file__).parent / "templates",
]
TEMPLATES = sorted(path for folder in TEMPLATE_DIRS for path in folder.rglob("*.jinja"))


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_template_has_an_inline_script_without_the_nonce(path):
    text = path.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
        if re.search(r"\bsrc=", tag):
            continue  # a file from our own origin, which the policy allows
        assert "nonce=" in tag and "cspNonce" in tag, f"{path}: {tag}"
    # No inline event handlers or javascript: links either: the policy would block them.
    assert not re.search(r"\son[a-z]+\s*=", text), path
    assert "javascript:" not in text.lower(), path


def test_the_scan_sees_templates_at_all():
    names = {path.name for path in TEMPLATES}
    assert {"base.jinja", "template.jinja", "show.jinja"} <= names
