"""The database out of reach under a running app: staff get a 503 page drawn without the
database, with Retry-After and one log line (no traceback); /healthz answers 503 until the
database is back; then the same app, not restarted, serves as before.

SQLite: the file is moved away and a folder put in its place (a folder blocks even root, which
chmod does not). PostgreSQL (with TEST_DATABASE_URL): the app's connections are terminated and
new ones refused (ALLOW_CONNECTIONS false), on a database of this test's own."""

import logging
import os

import pytest
from flask import Flask, before_render_template, current_app, render_template, template_rendered
from flask_login import current_user, login_required
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

from tests import factories
from tests.helpers import set_practice, sign_in, text_of
from tracker import create_app
from tracker.cases import news
from tracker.cases.models import Case
from tracker.config import TestConfig, normalise_database_url
from tracker.extensions import db
from tracker.staff.models import User

HEADING = "The tracker cannot reach its database"
NOT_SAVED = "What you typed has not been saved. Try again in a minute."


class SQLiteOutage:
    """The database file moved away and a folder put where it was."""

    def __init__(self, tmp_path):
        self.path = tmp_path / "tracker.sqlite"
        self.moved = tmp_path / "tracker.sqlite.moved"
        self.url = f"sqlite:///{self.path}"

    def begin(self, app: Flask) -> None:
        self.path.rename(self.moved)
        self.path.mkdir()
        # A connection that has the file open keeps reading it, whatever happens to its name:
        # close the pooled ones, as a database restart closes a server's connections.
        with app.app_context():
            db.engine.dispose()

    def end(self) -> None:
        if self.moved.exists():
            self.path.rmdir()
            self.moved.rename(self.path)

    def close(self) -> None:
        self.end()


class PostgresOutage:
    """Every connection to the app's database terminated and new ones refused."""

    def __init__(self, url: str):
        self.url = url
        self.name = make_url(url).database
        self.admin = create_engine(
            make_url(normalise_database_url(url)).set(database="postgres"),
            isolation_level="AUTOCOMMIT",
        )

    def terminate_connections(self) -> int:
        with self.admin.connect() as connection:
            return len(
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": self.name},
                ).all()
            )

    def allow_connections(self, allowed: bool) -> None:
        with self.admin.connect() as connection:
            connection.execute(
                text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
            )

    def begin(self, app: Flask) -> None:
        self.allow_connections(False)
        self.terminate_connections()

    def end(self) -> None:
        self.allow_connections(True)

    def close(self) -> None:
        self.end()
        self.admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def outage(request, tmp_path):
    if request.param == "sqlite":
        made = SQLiteOutage(tmp_path)
    else:
        if not os.environ.get("TEST_DATABASE_URL"):
            pytest.skip("the PostgreSQL outage runs with TEST_DATABASE_URL set")
        made = PostgresOutage(request.getfixturevalue("scratch_database_url"))
    yield made
    made.close()


@pytest.fixture
def running(outage):
    """The app on the outage's own database, with a signed-in receptionist's client."""
    app = create_app(TestConfig(outage.url))
    app.add_url_rule("/test/lose-database-mid-request", view_func=lose_database_mid_request)
    app.add_url_rule("/test/fault-with-database-gone", view_func=fault_with_database_gone)
    app.add_url_rule("/test/lose-connection-after-the-page", view_func=lose_connection_late)
    app.add_url_rule("/test/page-after-a-commit", view_func=page_after_a_commit)
    app.extensions["test_outage"] = outage
    with app.app_context():
        upgrade(revision="heads")
        user = factories.create_user("reception", full_name="Rita Reception")
        first_gp = factories.create_user("gp", full_name="Dr Gina First")
        factories.create_user("gp", full_name="Dr Omar Second")
    client = app.test_client()
    assert sign_in(client, user.email, user.password).status_code == 302
    app.extensions["test_first_gp"] = first_gp.id
    yield app, client
    outage.end()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def running_on_postgres(outage, request):
    """The running app, for the tests that terminate PostgreSQL connections (skipped, before
    building anything, on SQLite)."""
    if not isinstance(outage, PostgresOutage):
        pytest.skip("terminating connections is a PostgreSQL test")
    return request.getfixturevalue("running")


@login_required
def lose_database_mid_request():
    """The signed-in person loaded, their row expired by a commit, then the database lost:
    drawing their name on any page now would read the database."""
    name = current_user.full_name
    db.session.commit()
    app = current_app._get_current_object()
    app.extensions["test_outage"].begin(app)
    db.session.scalar(select(func.count()).select_from(User))
    return name


@login_required
def fault_with_database_gone():
    """A fault in the code while the database is also gone: the ordinary 500 page."""
    db.session.commit()
    app = current_app._get_current_object()
    app.extensions["test_outage"].begin(app)
    raise RuntimeError("a fault in the code")


@login_required
def lose_connection_late():
    """The page drawn, its transaction still open, then PostgreSQL ends the connection."""
    page = current_user.full_name
    current_app.extensions["test_outage"].terminate_connections()
    return page


@login_required
def page_after_a_commit():
    """A page drawn after the request's work was committed (every row read so far expired)."""
    db.session.commit()
    return render_template("errors/404.jinja")


@pytest.fixture
def connection_attempts(running):
    """How many times the app has tried to open a database connection."""
    app, _ = running
    attempts = []
    with app.app_context():
        engine = db.engine

    def count(*args):
        attempts.append(1)

    event.listen(engine, "do_connect", count)
    yield attempts
    event.remove(engine, "do_connect", count)


def assert_outage_page(response):
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    page = text_of(response)
    assert HEADING in page
    assert NOT_SAVED in page
    assert "Rita Reception" not in page  # no one's name: that would read the database
    assert 'class="nhsuk-header' in response.get_data(as_text=True)


def outage_warnings(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_staff_get_the_outage_page_then_normal_service_without_a_restart(
    running, outage, connection_attempts, caplog
):
    app, client = running
    home = client.get("/")
    assert home.status_code == 200
    assert "Rita Reception" in text_of(home)

    outage.begin(app)
    for path in ("/", "/queue"):
        caplog.clear()
        attempts_before = len(connection_attempts)
        with caplog.at_level(logging.WARNING):
            response = client.get(path)
        assert_outage_page(response)
        # One try at the database (for the signed-in person); drawing the page made none.
        assert len(connection_attempts) - attempts_before == 1
        warnings = outage_warnings(caplog)
        assert len(warnings) == 1, [record.getMessage() for record in warnings]
        assert warnings[0].getMessage().startswith(f"Database unavailable: GET {path} answered 503")
        assert warnings[0].exc_info is None
        assert "Traceback" not in caplog.text

    typed = factories.intake_form(
        patient_name="Typed During Outage", original_gp=str(app.extensions["test_first_gp"])
    )
    assert_outage_page(client.post("/cases/new", data=typed))
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json == {"status": "unavailable", "database": "unreachable"}
    assert health.headers["Retry-After"] == "60"

    outage.end()
    assert client.get("/healthz").status_code == 200
    home = client.get("/")  # still signed in: the session was left as it was
    assert home.status_code == 200
    assert "Rita Reception" in text_of(home)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    logged = client.post("/cases/new", data=typed)
    assert logged.status_code == 302, text_of(logged)[:1500]
    with app.app_context():
        assert db.session.scalar(select(Case.patient_name)) == "Typed During Outage"


def test_losing_the_database_mid_request_after_loading_the_user(running, outage, caplog):
    app, client = running
    with caplog.at_level(logging.WARNING):
        response = client.get("/test/lose-database-mid-request")
    assert_outage_page(response)
    assert len(outage_warnings(caplog)) == 1
    outage.end()
    assert client.get("/").status_code == 200


def test_the_500_page_draws_without_the_database(running, outage):
    app, client = running
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the 500 page, not a raise
    response = client.get("/test/fault-with-database-gone")
    assert response.status_code == 500
    page = text_of(response)
    assert "Sorry, there is a problem with the service" in page
    assert "Rita Reception" not in page
    outage.end()
    assert client.get("/").status_code == 200


def test_a_terminated_connection_is_replaced_unseen(outage, running_on_postgres):
    """PostgreSQL restarted between requests: the pool's dead connections are found before use
    and the request is served on a new one."""
    _, client = running_on_postgres
    assert client.get("/").status_code == 200
    assert outage.terminate_connections() >= 1
    home = client.get("/")
    assert home.status_code == 200
    assert "Rita Reception" in text_of(home)


def test_a_pooled_connection_is_checked_without_asking_the_server(outage, running_on_postgres):
    """The check before a pooled connection is used (the test above) reads the driver's state
    and the socket: no ping goes to the server ahead of every request's statements."""
    app, client = running_on_postgres
    with app.app_context():
        assert db.engine.pool._pre_ping is False
    assert client.get("/").status_code == 200


def test_a_connection_lost_after_the_page_is_drawn_still_gives_the_page(
    outage, running_on_postgres, caplog
):
    """The connection ends between the page's last query and the end of the request: closing
    the session cannot roll back, and the page is still served, with one log line."""
    _, client = running_on_postgres
    with caplog.at_level(logging.WARNING):
        response = client.get("/test/lose-connection-after-the-page")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "Rita Reception"
    warnings = outage_warnings(caplog)
    assert [record.getMessage().split(" (")[0] for record in warnings] == [
        "Database connection lost at the end of a request"
    ]
    assert client.get("/").status_code == 200


def test_losing_the_database_as_the_header_is_read_gives_the_outage_page(
    running, outage, monkeypatch, caplog
):
    """The page's own reads succeed, then the database goes as the header's "New for you"
    count is read: the outage page, never a 500 from a page half drawn."""
    app, client = running
    with app.app_context():
        set_practice(practice_name="Riverside Surgery")
    assert "Riverside Surgery" in text_of(client.get("/queue"))
    counted = news.count_new

    def database_lost_first(user):
        db.session.commit()  # the page's work saved, its connection back in the pool
        outage.begin(app)
        return counted(user)

    monkeypatch.setattr(news, "count_new", database_lost_first)
    with caplog.at_level(logging.WARNING):
        response = client.get("/queue")
    assert_outage_page(response)
    assert [record.getMessage().split(" (")[0] for record in outage_warnings(caplog)] == [
        "Database unavailable: GET /queue answered 503"
    ]
    outage.end()
    monkeypatch.setattr(news, "count_new", counted)
    page = text_of(client.get("/queue"))
    assert "Rita Reception" in page and "Riverside Surgery" in page


@pytest.mark.parametrize(
    "path", ["/", "/queue", "/account/notifications", "/test/page-after-a-commit"]
)
def test_drawing_a_page_reads_nothing_from_the_database(running, path):
    """Everything the layout shows is read before the page is drawn: the templates make no
    query, even after a commit has expired the signed-in person's row."""
    app, client = running
    drawing = {"now": False, "statements": []}

    def started(sender, template, context, **extra):
        drawing["now"] = True

    def finished(sender, template, context, **extra):
        drawing["now"] = False

    def statement(conn, cursor, sql, *args):
        if drawing["now"]:
            drawing["statements"].append(sql)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", statement)
    # Connected after the app's own receiver, so the layout is read before "started".
    before_render_template.connect(started, app)
    template_rendered.connect(finished, app)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        before_render_template.disconnect(started, app)
        template_rendered.disconnect(finished, app)
    assert response.status_code == 200
    assert "Rita Reception" in text_of(response)
    assert drawing["statements"] == []
