"""Fixtures: a fresh database per run (SQLite file or a new PostgreSQL database),
the app built on it by the migrations, a test client, login_as(role) and a clock."""

import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from tests import factories
from tests.helpers import sign_in, version_on
from tracker import clock, create_app
from tracker.cases.models import Case
from tracker.config import TestConfig, normalise_database_url
from tracker.extensions import db
from tracker.practices.walls import make_app_role

# Every test node id this run collected, before any were deselected: the hazard log's check
# that each test it names exists (tests/safety/test_hazard_log.py).
COLLECTED = pytest.StashKey[set]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    config.stash[COLLECTED] = {item.nodeid for item in items}


def new_database(sqlite_file):
    """SQLite by default; with TEST_DATABASE_URL, a new PostgreSQL database dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{sqlite_file}"
        return
    server = make_url(normalise_database_url(base))
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        make_app_role(connection, TestConfig().DATABASE_APP_ROLE)
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The database every test of the run shares (tables emptied after each test)."""
    yield from new_database(tmp_path_factory.mktemp("db") / "tracker-test.sqlite")


@pytest.fixture
def scratch_database_url(tmp_path):
    """An empty database of the same kind, for one test that builds its own schema."""
    yield from new_database(tmp_path / "scratch.sqlite")


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(TestConfig(database_url))
    with app.app_context():
        upgrade(revision="heads")
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


@dataclass
class Staff:
    reception: factories.MadeUser
    gp: factories.MadeUser
    other_gp: factories.MadeUser
    senior: factories.MadeUser
    manager: factories.MadeUser


@pytest.fixture
def staff(make_user):
    return Staff(
        reception=make_user("reception", full_name="Rita Reception"),
        gp=make_user("gp", full_name="Dr Gina First"),
        other_gp=make_user("gp", full_name="Dr Omar Second"),
        senior=make_user("gp", full_name="Dr Sena Senior", is_senior_partner=True),
        manager=make_user("practice_manager", full_name="Mo Manager"),
    )


@pytest.fixture
def as_user(app):
    """A signed-in test client for this person (one client each, as on separate PCs)."""
    clients = {}

    def client_for(user):
        if user.id not in clients:
            client = app.test_client()
            response = sign_in(client, user.email, user.password)
            assert response.status_code == 302
            clients[user.id] = client
        return clients[user.id]

    return client_for


@pytest.fixture
def log_case(as_user, staff, app):
    """Log a request through the intake form as reception; returns its reference."""

    def log(by=None, **overrides):
        overrides.setdefault("original_gp", str(staff.gp.id))
        response = as_user(by or staff.reception).post(
            "/cases/new", data=factories.intake_form(**overrides)
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return response.headers["Location"].rsplit("/", 1)[1]

    return log


@pytest.fixture
def place_case(app, staff):
    """Insert a case with chosen fields and dates (factories.create_case); returns its reference.
    Unless given, Dr Gina First gave the first opinion and Rita Reception logged it."""

    def place(**fields):
        fields.setdefault("original_gp_id", staff.gp.id)
        fields.setdefault("created_by_id", staff.reception.id)
        with app.app_context():
            return factories.create_case(**fields)

    return place


@pytest.fixture
def load_case(app):
    """The case as the database holds it now, with its events and notes loaded."""

    def load(reference):
        with app.app_context():
            case = db.session.query(Case).filter_by(reference=reference).one()
            db.session.expunge(case)
            return case

    return load


@pytest.fixture
def act(as_user):
    """Open an action's form as this person, then submit it with the version it showed."""

    def perform(user, reference, action, data=None, follow=False):
        client = as_user(user)
        page = client.get(f"/cases/{reference}/{action}")
        assert page.status_code == 200, page.get_data(as_text=True)
        form = {"version": version_on(page.get_data(as_text=True)), **(data or {})}
        return client.post(f"/cases/{reference}/{action}", data=form, follow_redirects=follow)

    return perform


@pytest.fixture
def events_of(app):
    """(kind, actor name, from stage, to stage) for each event of a case, oldest first
    (leaving out "viewed" events, which opening the case page writes)."""

    def events(reference):
        from tracker.audit.models import Event

        with app.app_context():
            case = db.session.query(Case).filter_by(reference=reference).one()
            rows = (
                db.session.query(Event)
                .filter(Event.case_id == case.id, Event.kind != "viewed")
                .order_by(Event.id)
                .all()
            )
            return [(e.kind, e.actor.full_name, e.from_stage, e.to_stage, e.changes) for e in rows]

    return events


@pytest.fixture(scope="session")
def oidc_provider():
    """A certified OpenID provider on loopback (tests/oidc), started once for the run."""
    from tests.oidc import TestProvider

    provider = TestProvider()
    yield provider
    provider.stop()


@pytest.fixture
def statements(app):
    """A context manager collecting the SQL run while it is open."""

    @contextmanager
    def collect():
        seen: list[str] = []

        def statement(conn, cursor, sql, *args):
            seen.append(sql)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", statement)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", statement)

    return collect
