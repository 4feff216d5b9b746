"""The app factory, configuration and health check."""

import pytest

from tracker import create_app
from tracker.config import Config, DemoConfig, TestConfig, normalise_database_url


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app(Config())


def test_production_reads_secret_key_and_database_from_environment(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.internal/practice")
    config = Config()
    assert config.SECRET_KEY == "from-the-environment"
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://someone@db.internal/practice"
    assert config.SESSION_COOKIE_SECURE is True


def test_default_database_is_a_sqlite_file_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    uri = Config().SQLALCHEMY_DATABASE_URI
    assert uri.startswith("sqlite:///") and uri.endswith("instance/tracker.sqlite")


def test_demo_has_a_secret_key_without_environment(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert DemoConfig().SECRET_KEY


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:///x.sqlite", "sqlite:///x.sqlite"),
    ],
)
def test_database_urls_use_psycopg_3(given, expected):
    assert normalise_database_url(given) == expected


def test_healthz_answers_ok_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable():
    app = create_app(TestConfig("sqlite:////nonexistent-folder/for/sure/tracker.sqlite"))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_nhsuk_stylesheet_and_script_are_served(client):
    css = client.get("/assets/nhsuk-frontend.min.css")
    assert css.status_code == 200
    assert b".nhsuk-header" in css.data
    # No font rule the Content Security Policy would block: nothing asks assets.nhs.uk.
    assert b"@font-face" not in css.data and b"assets.nhs.uk" not in css.data
    assert b"Frutiger W01" in css.data  # the font families stay, falling back to Arial
    again = client.get(
        "/assets/nhsuk-frontend.min.css", headers={"If-None-Match": css.headers["ETag"]}
    )
    assert again.status_code == 304
    assert client.get("/assets/nhsuk-frontend.min.js").status_code == 200
    assert client.get("/assets/images/favicon.svg").status_code == 200
    assert client.get("/assets/../package.json").status_code == 404


def test_sign_in_page_links_the_stylesheet(client):
    html = client.get("/login").get_data(as_text=True)
    assert '<link rel="stylesheet" href="/assets/nhsuk-frontend.min.css">' in html
    assert 'href="#maincontent"' in html  # skip link
