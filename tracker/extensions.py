"""Flask extensions, created here and initialised by the app factory."""

import re
import select
import time
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Session

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


def kept_a_while(name: str, key: Hashable, seconds: float, read: Callable[[], Any]) -> Any:
    """What `read()` answers, kept in this worker for `seconds` under (name, key) and read
    again after that: for what every page shows and changes rarely (whether demo data exists,
    a person's "New for you" count). Each name keeps at most 2,000 keys; when full, it starts
    again. With seconds 0, read every time."""
    if seconds <= 0:
        return read()
    now = time.monotonic()
    found = recalled(name, key)
    if found is not None and now - found[1] < seconds:
        return found[0]
    value = read()
    remember(name, key, (value, now))
    return value


def keep_now(name: str, key: Hashable, value: Any) -> None:
    """Keep a value just read, as `kept_a_while` keeps what it reads: given again under
    (name, key) for its seconds from now."""
    remember(name, key, (value, time.monotonic()))


def recalled(name: str, key: Hashable) -> Any:
    """What this worker remembered under (name, key), or None."""
    return current_app.extensions.get(name, {}).get(key)


def remember(name: str, key: Hashable, value: Any) -> None:
    """Keep a value in this worker under (name, key); each name keeps at most 2,000 keys, and
    starts again when full."""
    kept = current_app.extensions.setdefault(name, {})
    if len(kept) >= 2000:
        kept.clear()
    kept[key] = value


def share_sqlite_between_workers(engine: Engine) -> None:
    """SQLite in write-ahead-log mode: the app's workers (and the mail sender) read while
    another writes, instead of waiting for its commit, and a commit writes to one file. Each
    commit still waits for the disk (synchronous=FULL, SQLite's default), so a saved change is
    kept through a power cut. The mode stays with the database file; backups use SQLite's online
    backup, which copies what the log holds too."""
    if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
        return

    @event.listens_for(engine, "connect")
    def write_ahead_log(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


def engine_options(database_url: str, options: dict) -> dict:
    """The engine's options for this database. On PostgreSQL a connection taken from the pool
    is checked without asking the server (`notice_closed_connections`) instead of with a ping,
    which would be a round trip on every request."""
    if database_url.startswith("postgresql"):
        return {**options, "pool_pre_ping": False}
    return options


def notice_closed_connections(engine: Engine) -> None:
    """Replace a pooled PostgreSQL connection the server has closed before it is used. A
    connection sitting idle in the pool has nothing to read unless the server has said goodbye
    (a restart, an idle timeout, an ended backend) or closed it: one that is readable, or that
    the driver knows is broken, is discarded and a fresh one taken, as the ping did, without
    the ping's round trip on every request."""
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "checkout")
    def _still_open(dbapi_connection, _record, _proxy) -> None:
        if dbapi_connection.closed or dbapi_connection.broken:
            raise DisconnectionError("The database connection is closed")
        waiting = select.poll()
        waiting.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
        if waiting.poll(0):
            raise DisconnectionError("The database closed this connection while it was idle")


_WROTE = "tracker_wrote"  # in a connection's info: its transaction ran a statement that writes
_WITH = re.compile(r"WITH\b")
_WRITING_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE|REPLACE)\b", re.IGNORECASE)


def only_reads(statement: str) -> bool:
    """Whether a statement only reads: a SELECT, or a WITH query none of whose parts writes
    (a part that might: any of the writing words in it, even as a name, which costs the
    transaction no more than its COMMIT)."""
    first = statement.lstrip()[:7].upper()
    if first.startswith("SELECT"):
        return True
    return _WITH.match(first) is not None and not _WRITING_WORD.search(statement)


def note_writes(engine: Engine) -> None:
    """Remember whether each transaction on this engine ran anything but a query that only
    reads (`only_reads`), so that `end_quietly` can tell a transaction that only read."""

    @event.listens_for(engine, "begin")
    def _began(conn) -> None:
        conn.info.pop(_WROTE, None)

    @event.listens_for(engine, "before_cursor_execute")
    def _maybe_writes(conn, cursor, statement, parameters, context, executemany) -> None:
        if not only_reads(statement):
            conn.info[_WROTE] = True


def end_quietly(session: Session) -> None:
    """End a request's transaction that only read with COMMIT rather than ROLLBACK: the two
    are the same for a transaction that changed nothing, but the PostgreSQL driver forgets its
    prepared statements at every rollback, so every page's statements would be planned afresh
    on every request. A transaction that wrote anything, or holds changes not yet flushed, is
    left to be rolled back as before."""
    if not session.in_transaction() or wrote_in_transaction(session):
        return
    # Objects read stay as they were, as after the rollback (a commit would expire them).
    commit_keeping_loaded(session)


def wrote_in_transaction(session: Session) -> bool:
    """Whether the session's transaction has run a statement that writes (`note_writes`), or
    the session holds changes not yet flushed."""
    if session.new or session.dirty or session.deleted:
        return True
    return session.in_transaction() and bool(session.connection().info.get(_WROTE))


def commit_keeping_loaded(session: Session) -> None:
    """Commit without expiring what the session has loaded: for a transaction that changed
    none of the loaded objects (it only added rows), which the request goes on showing
    without reading them again."""
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring
