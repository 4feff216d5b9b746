"""Operator commands: the retention purge and backups (added to `flask tracker` by tracker.cli)."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker import clock
from tracker.extensions import db
from tracker.practices.scope import in_practice
from tracker.practices.services import practice_ids
from tracker.security.backup import BackupError, backup_to
from tracker.security.retention import purge_expired
from tracker.settings.models import load_settings
from tracker.staff.sessions import SESSION_RECORDS_KEPT, forget_old_sessions


@click.command("purge-expired")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="List what would change and change nothing.")
def purge_expired_command(dry_run):
    """Remove patient identifiers, free text and documents from cases closed longer ago than the
    retention period (each practice's own setting, 10 years by default)."""
    verb = "Would remove" if dry_run else "Removed"
    practices = practice_ids()
    for practice_id in practices:
        with in_practice(practice_id):
            settings = load_settings()
            if len(practices) > 1:
                click.echo(f"{settings.practice_name}:")
            _purge_in_practice(settings.retention_years, verb, dry_run=dry_run)
    sessions = forget_old_sessions(dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    click.echo(
        f"{verb} the records of {sessions} signed-in session(s) last used more than "
        f"{SESSION_RECORDS_KEPT.days} days ago."
    )


def _purge_in_practice(years: int, verb: str, *, dry_run: bool) -> None:
    found = purge_expired(dry_run=dry_run)
    for item in found:
        closed = clock.format_date(item.closed_at)
        fields = ", ".join(item.fields) or "no identifiers left"
        click.echo(
            f"{item.reference} (closed {closed}): {verb.lower()} {fields}; {item.notes} note(s), "
            f"{item.documents} document(s), {item.letters} letter(s)"
        )
    if found:
        click.echo(
            f"{verb} identifiers and free text from {len(found)} case(s) closed more than "
            f"{years} years ago."
        )
    else:
        click.echo(f"No case closed more than {years} years ago still holds identifiers.")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path):
    """Make a consistent copy of the database at PATH while the app runs."""
    try:
        how = backup_to(path)
    except BackupError as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"Backup written to {path} ({how}).")
