"""Operator commands: the retention purge and backups (added to `flask tracker` by tracker.cli)."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker import clock
from tracker.extensions import db
from tracker.practices.scope import in_practice
from tracker.practices.services import practice_ids
from tracker.security import moving
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
@click.option(
    "--practice",
    "ods_code",
    help="Export only this practice's records (its ODS code), to move it to an install of its "
    "own with `flask tracker import-practice`.",
)
def backup_command(path, ods_code):
    """Make a consistent copy of the database at PATH while the app runs; with --practice, one
    practice's records in a file another install of the same version can import."""
    if ods_code:
        try:
            exported = moving.export_practice(ods_code, path)
        except moving.MoveProblem as problem:
            raise click.ClickException(str(problem)) from problem
        rows = sum(exported.counts.values())
        click.echo(f"Practice {ods_code} exported to {path}: {rows} rows.")
        return
    try:
        how = backup_to(path)
    except BackupError as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(f"Backup written to {path} ({how}).")


@click.command("import-practice")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_practice_command(path):
    """Read a practice's export (`flask tracker backup --practice`) into this empty install."""
    try:
        counts = moving.import_practice(path)
    except moving.MoveProblem as problem:
        db.session.rollback()
        raise click.ClickException(str(problem)) from problem
    db.session.commit()
    manifest = moving.read_manifest(path)
    click.echo(
        f"Practice {manifest['practice']['ods_code']} ({manifest['practice']['name']}) imported: "
        f"{sum(counts.values())} rows, {counts.get('cases', 0)} cases."
    )


@click.command("remove-practice")
@with_appcontext
@click.argument("ods_code")
@click.option(
    "--export",
    "export",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The practice's export, checked to hold every one of its records before any is removed.",
)
def remove_practice_command(ods_code, export):
    """Remove a practice that has left, with all its records, from this install."""
    try:
        removed = moving.remove_practice(ods_code, export)
    except moving.MoveProblem as problem:
        db.session.rollback()
        raise click.ClickException(str(problem)) from problem
    db.session.commit()
    click.echo(
        f"Practice {ods_code} removed: {sum(removed.values())} rows "
        f"({removed.get('cases', 0)} cases). Its export {export} is now its only copy."
    )
