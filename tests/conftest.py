"""Fixtures: a fresh database per run (SQLite file or a new PostgreSQL database),
the app built on it by the migrations, a test client, login_as(role) and a clock."""

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests import factories
from tests.helpers import sign_in
from tracker import clock, create_app
from tracker.config import TestConfig, normalise_database_url
from tracker.extensions import db


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """SQLite by default; with TEST_DATABASE_URL, a new PostgreSQL database dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker-test.sqlite'}"
        return
    server = make_url(normalise_database_url(base))
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(TestConfig(database_url))
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Every test starts from empty tables (the schema stays from the migrations)."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_user(app):
    """Create a staff account; returns a detached snapshot with its id, email and password."""

    def make(role="reception", **kwargs):
        with app.app_context():
            return factories.create_user(role=role, **kwargs)

    return make


@pytest.fixture
def login_as(app, client, make_user):
    """Sign the test client in as a new account of this role and return that account."""

    def login(role="reception", **kwargs):
        user = make_user(role, **kwargs)
        response = sign_in(client, user.email, user.password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return login


class Clock:
    """A controllable now(): tests move it instead of sleeping."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now = self.now + timedelta(**delta)


@pytest.fixture
def frozen_clock(monkeypatch):
    fake = Clock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    monkeypatch.setattr(clock, "now_utc", fake)
    return fake
