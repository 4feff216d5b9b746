"""`flask --app wsgi tracker ...` commands for operators."""

import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import func, select

from tracker.cases.working_days import recount_working_days
from tracker.demo import DEMO_PASSWORD, demo_sign_ins, seed_demo
from tracker.demo_cases import seed_demo_cases
from tracker.extensions import db
from tracker.security.cli import backup_command, purge_expired_command
from tracker.staff.models import Role, User
from tracker.staff.services import StaffError, create_user

tracker_cli = AppGroup("tracker", help="Second Opinion Tracker administration.")


@tracker_cli.command("create-user")
@click.option("--email", required=True, help="The address they sign in with.")
@click.option("--name", "full_name", required=True, help="Their full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--senior-partner", is_flag=True, help="Mark a GP as the senior partner.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--no-change-at-first-sign-in",
    "keep_password",
    is_flag=True,
    help="Let them keep this password instead of choosing a new one at first sign-in.",
)
def create_user_command(email, full_name, role, senior_partner, password_stdin, keep_password):
    """Create a staff account (the first practice manager, for example)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(
            email=email,
            full_name=full_name,
            role=role,
            password=password,
            is_senior_partner=senior_partner,
            must_change_password=not keep_password,
        )
    except StaffError as problem:
        raise click.ClickException(str(problem)) from problem
    db.session.commit()
    click.echo(f"Created {user.role_label} account for {user.full_name} <{user.email}>")


@tracker_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no staff yet.")
def seed_demo_command(if_empty):
    """Add demo staff and about sixty demo cases for trying the tracker."""
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database already has staff; demo data not added.")
        return
    added = seed_demo()
    db.session.flush()
    cases = seed_demo_cases()
    db.session.commit()
    click.echo(f"Demo data ready ({len(added)} staff and {cases} cases added).")


@tracker_cli.command("demo-sign-ins")
def demo_sign_ins_command():
    """Print the demo accounts and their password."""
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
    for role, email, name in demo_sign_ins():
        click.echo(f"  {role:<20} {email:<36} {name}")


@tracker_cli.command("recount-working-days")
def recount_working_days_command():
    """Count every case's due dates and working days again, after a newly announced bank
    holiday (each case with the region it was logged under)."""
    changed = recount_working_days()
    db.session.commit()
    click.echo(
        f"Due dates and working days counted again with each case's bank holidays: "
        f"{changed} cases changed."
    )


tracker_cli.add_command(purge_expired_command)
tracker_cli.add_command(backup_command)


def register_cli(app: Flask) -> None:
    app.cli.add_command(tracker_cli)
