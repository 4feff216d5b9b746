"""A consistent copy of the database while the app runs: SQLite's online backup, or pg_dump."""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL

from tracker.extensions import db
from tracker.practices.walls import ACROSS_SETTING


class BackupError(RuntimeError):
    """The backup could not be made, with a message for the operator."""


def backup_to(path: Path) -> str:
    """Write the backup to path (which must not exist); returns how it was made."""
    if path.exists():
        raise BackupError(f"{path} already exists. Choose a new file name.")
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        _sqlite_backup(path)
        return "SQLite online backup"
    if url.get_backend_name() == "postgresql":
        _pg_dump(url, path)
        return "pg_dump (custom format)"
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def _sqlite_backup(path: Path) -> None:
    source = db.engine.raw_connection()
    try:
        target = sqlite3.connect(path)
        try:
            # Copies page by page under SQLite's own locking, so writers may carry on.
            source.driver_connection.backup(target)
        finally:
            target.close()
    finally:
        source.close()


def _pg_dump(url: URL, path: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError("pg_dump is not installed. Install the PostgreSQL client tools.")
    env = dict(os.environ)
    # The app's role sees rows through row-level security (tracker/practices/walls.py): the
    # backup reads as the install's own tool, every practice's rows.
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c {ACROSS_SETTING}=on".strip()
    if url.password:
        env["PGPASSWORD"] = str(url.password)  # kept out of the command line
    plain = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from the app's own config
        [
            pg_dump,
            "--format=custom",
            "--no-owner",
            "--enable-row-security",
            "--file",
            str(path),
            "--dbname",
            plain,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        path.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
