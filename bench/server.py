"""The bench's databases and servers: a fresh database for each pass, migrated and filled with
generated cases, and gunicorn serving the app on it at a free loopback port."""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from bench.generate import Generated, generate

ROOT = Path(__file__).resolve().parent.parent
# The bench's own wrapper around the measured checkout's app (bench/served/bench_app.py).
SERVED = ROOT / "bench" / "served"
POSTGRES_SERVER = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
WORKERS = 2  # gunicorn sync workers serving each database
# On PostgreSQL the app is served as its own role, which row-level security applies to; the
# bench's server role owns the tables, migrates and writes the generated cases.
APP_ROLE = "tracker_app"


def as_app_role(url: str) -> str:
    """The database as the app's role sees it (PostgreSQL); SQLite's as it is."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return url
    return parsed.set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


def engine_url(url: str) -> str:
    """The database URL with the psycopg driver named, as SQLAlchemy needs it."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


@contextlib.contextmanager
def fresh_database(kind: str) -> Iterator[str]:
    """A new, empty database for one pass, removed afterwards."""
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
        try:
            yield f"sqlite:///{folder / 'bench.sqlite'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    server = make_url(engine_url(POSTGRES_SERVER))
    name = f"tracker_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # Imported here: bench/side.py imports this module under an older checkout's app too.
        from tracker.practices.walls import make_app_role

        make_app_role(connection, APP_ROLE)
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_environment(url: str, root: Path = ROOT, owner: bool = False) -> dict[str, str]:
    """Production settings on the bench database (a throwaway secret key), importing the app
    from the checkout at root: as the app's own role, or as the tables' owner (migrating, and
    writing the generated cases)."""
    env = dict(os.environ)
    env.pop("TRACKER_ENV", None)
    env.pop("TRACKER_MIGRATING", None)
    env.pop("MIGRATION_DATABASE_URL", None)
    if owner:
        env["TRACKER_MIGRATING"] = "1"
    env.update(
        TRACKER_ENV="production",
        DATABASE_URL=url if owner else as_app_role(url),
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_hex(32),
        PYTHONPATH=os.pathsep.join([str(root), str(SERVED)]),
    )
    env.pop("REDIS_URL", None)
    env.pop("RATELIMIT_STORAGE", None)
    return env


def build(
    url: str, n: int, root: Path = ROOT, now: datetime | None = None
) -> tuple[Generated, dict[str, float]]:
    """Migrate the empty database to every head with the migrations of the checkout at root,
    then write n cases (bench/side.py writes them with that checkout's models)."""
    timings = {"migrate": migrate(url, root)}
    if root != ROOT:
        from bench.side import generated_from_dict

        generated = generated_from_dict(side_command(root, "generate", url, n=n, now=now))
        timings["generate"] = generated.seconds
        timings["analyze"] = generated.analyse_seconds
        return generated, timings
    generated, timings["analyze"] = fill(url, n, now)
    timings["generate"] = generated.seconds
    return generated, timings


def migrate(url: str, root: Path = ROOT) -> float:
    """Migrate the empty database to every head as its owner, with the migrations of the
    checkout at root, and grant the app's role its part; returns the seconds it took."""
    started = time.perf_counter()
    migrated = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade", "heads"],
        cwd=root,
        env=app_environment(url, root, owner=True),
        check=False,
        capture_output=True,
        text=True,
    )
    if migrated.returncode:
        raise RuntimeError(f"Migrating {root} failed:\n{migrated.stderr[-3000:]}")
    grant_to_the_app(url)
    return time.perf_counter() - started


def grant_to_the_app(url: str) -> None:
    """What the app's role may do, granted here as well as by the migrations, so that a
    checkout from before the app had its own role is served the same way."""
    # Imported here: bench/side.py imports this module under an older checkout's app too.
    from tracker.practices.walls import grant_to_app_role

    engine = create_engine(engine_url(url))
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            grant_to_app_role(connection, APP_ROLE)
    engine.dispose()


def loading_engine(url: str):
    """An engine for a bulk load into the bench's database, as its owner."""
    engine = create_engine(engine_url(url))
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def bulk_load(dbapi_connection, _record):
            # A throwaway file: no need to wait for the disk during the load.
            dbapi_connection.execute("PRAGMA synchronous=OFF")
            dbapi_connection.execute("PRAGMA journal_mode=MEMORY")

    return engine


def fill(url: str, n: int, now: datetime | None = None) -> tuple[Generated, float]:
    """Write n cases into the migrated database, then analyse it: (what was written, seconds
    the analysis took)."""
    engine = loading_engine(url)
    with engine.begin() as connection:
        generated = generate(connection, n, now=now)
    started = time.perf_counter()
    analyse(engine)
    engine.dispose()
    return generated, time.perf_counter() - started


def analyse(engine) -> None:
    """Fresh planner statistics after the bulk load."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE")
            )
        else:
            connection.execute(text("ANALYZE"))
            connection.commit()


def side_command(root: Path, command: str, url: str, **arguments):
    """Run one of bench/side.py's commands in a process that imports the app from the
    checkout at root (and this bench's own code), and return what it answers."""
    from bench import side

    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, str(ROOT / "bench" / "side.py"), str(root), command, url,
         side.dumps(arguments)],
        cwd=root,
        # The cases are written as the owner; statements are counted as the app's role.
        env=app_environment(url, root, owner=command == "generate"),
        check=False,
        capture_output=True,
        text=True,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"bench/side.py {command} on {root} failed:\n{done.stderr[-3000:]}")
    return side.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(
    url: str, root: Path = ROOT, workers: int = WORKERS
) -> Iterator[tuple[int, subprocess.Popen]]:
    """The app of the checkout at root served by gunicorn on the database, with the bench's
    minimal page added (bench/served/bench_app.py): (port, master process), stopped
    afterwards."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [
            sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
            "--timeout", "120", "--log-level", "warning", "bench_app:app",
        ],
        cwd=root,
        env=app_environment(url, root),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError("gunicorn stopped while starting")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start within a minute") from None
                time.sleep(0.2)
        yield port, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def workers(master: int) -> list[int]:
    """The process ids of a gunicorn master's workers."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]
