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
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from bench.generate import Generated, generate

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = os.environ.get(
    "BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
WORKERS = 2  # gunicorn sync workers serving each database


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
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def app_environment(url: str) -> dict[str, str]:
    """Production settings on the bench database (a throwaway secret key)."""
    env = dict(os.environ)
    env.pop("TRACKER_ENV", None)
    env.update(
        TRACKER_ENV="production",
        DATABASE_URL=url,
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_hex(32),
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    env.pop("RATELIMIT_STORAGE", None)
    return env


def build(url: str, n: int) -> tuple[Generated, dict[str, float]]:
    """Migrate the empty database to every head, then write n cases."""
    timings = {}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade", "heads"],
        cwd=ROOT,
        env=app_environment(url),
        check=True,
        capture_output=True,
    )
    timings["migrate"] = time.perf_counter() - started
    engine = create_engine(engine_url(url))
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def bulk_load(dbapi_connection, _record):
            # A throwaway file: no need to wait for the disk during the load.
            dbapi_connection.execute("PRAGMA synchronous=OFF")
            dbapi_connection.execute("PRAGMA journal_mode=MEMORY")

    with engine.begin() as connection:
        generated = generate(connection, n)
    timings["generate"] = generated.seconds
    started = time.perf_counter()
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE")
            )
        else:
            connection.execute(text("ANALYZE"))
            connection.commit()
    timings["analyze"] = time.perf_counter() - started
    engine.dispose()
    return generated, timings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(url: str) -> Iterator[tuple[int, subprocess.Popen]]:
    """The app served by gunicorn on the database: (port, master process), stopped afterwards."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [
            sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}",
            "--timeout", "120", "--log-level", "warning", "wsgi:app",
        ],
        cwd=ROOT,
        env=app_environment(url),
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
