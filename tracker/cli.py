"""`flask --app wsgi tracker ...` commands for operators."""

import http.client
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import nullcontext

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import delete, func, select
from sqlalchemy.orm import lazyload
from werkzeug.serving import make_server

from tracker.cases.models import Case
from tracker.cases.working_days import recount_working_days
from tracker.demo import (
    DEMO_PASSWORD,
    HILLSIDE,
    HILLSIDE_CASES,
    OUTSIDE_REVIEWER,
    RIVERSIDE,
    demo_sign_ins,
    seed_demo,
)
from tracker.demo_cases import give_a_case_outside, seed_demo_cases, seed_demo_learning
from tracker.extensions import db
from tracker.mail.digests import send_digests
from tracker.mail.reminders import send_reminders
from tracker.mail.sender import send_pending, where_mail_goes
from tracker.mail.worker import MAX_WAIT_SECONDS, run_worker
from tracker.outbox.models import OutboxMessage
from tracker.outbox.write import mail_enabled
from tracker.practices.models import Icb, Pcn, Practice
from tracker.practices.scope import across_practices, in_practice
from tracker.practices.services import (
    PracticeError,
    create_practice,
    find_practice,
    for_each_practice,
    place_in_icb,
)
from tracker.security.cli import (
    backup_command,
    import_practice_command,
    purge_expired_command,
    remove_practice_command,
)
from tracker.staff.models import STAFF_ROLES, Membership, User, role_label
from tracker.staff.services import (
    StaffError,
    add_membership,
    add_network_role,
    create_user,
    normalise_email,
)

tracker_cli = AppGroup("tracker", help="Second Opinion Tracker administration.")


@tracker_cli.command("create-practice")
@click.option("--ods", "ods_code", required=True, help="The practice's ODS code, like A81001.")
@click.option("--name", required=True, help="The practice's name, as its letters show it.")
@click.option("--pcn", "pcn_name", help="The primary care network or federation it belongs to.")
@click.option("--icb", "icb_name", help="The integrated care board the network answers to.")
def create_practice_command(ods_code, name, pcn_name, icb_name):
    """Add a practice to this install (in a network, made if it is new, of an ICB if named)."""
    try:
        practice = create_practice(ods_code=ods_code, name=name, pcn_name=pcn_name)
        if icb_name:
            place_in_icb(practice.pcn_id, icb_name)
    except PracticeError as problem:
        raise click.ClickException(str(problem)) from problem
    db.session.commit()
    network = db.session.get(Pcn, practice.pcn_id)
    click.echo(f"Created {practice.practice_name} ({practice.ods_code}) in {network.name}")


@tracker_cli.command("add-network-manager")
@click.option("--email", required=True, help="The address they sign in with.")
@click.option("--name", "full_name", required=True, help="Their full name.")
@click.option("--pcn", "pcn_name", help="The PCN whose practices they see (a PCN manager).")
@click.option("--icb", "icb_name", help="The ICB whose practices they see (an ICB manager).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add_network_manager_command(email, full_name, pcn_name, icb_name, password_stdin):
    """Let someone see every practice of a PCN or an ICB in figures without patient identifiers
    (their account is made, with no role in any practice, if they have none)."""
    if bool(pcn_name) == bool(icb_name):
        raise click.ClickException("Name one PCN (--pcn) or one ICB (--icb)")
    if pcn_name:
        network = db.session.scalars(select(Pcn).where(Pcn.name == pcn_name.strip())).first()
    else:
        network = db.session.scalars(select(Icb).where(Icb.name == icb_name.strip())).first()
    if network is None:
        raise click.ClickException(
            f"No {'PCN' if pcn_name else 'ICB'} here is called {pcn_name or icb_name}"
        )
    existing = db.session.scalar(
        select(func.count(User.id)).where(User.email == normalise_email(email))
    )
    password = None
    if not existing:
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = add_network_role(
            email=email,
            full_name=full_name,
            password=password,
            pcn_id=network.id if pcn_name else None,
            icb_id=network.id if icb_name else None,
        )
    except StaffError as problem:
        raise click.ClickException(str(problem)) from problem
    db.session.commit()
    click.echo(f"{user.full_name} <{user.email}> now sees the figures of {network.name}")


@tracker_cli.command("practices")
def practices_command():
    """List the install's networks and practices: ODS code, name, staff and cases (counts
    only: the install administrator sees no patient's details)."""
    with across_practices("the install administrator's list of practices"):
        staff = dict(
            db.session.execute(
                select(Membership.practice_id, func.count(Membership.id)).group_by(
                    Membership.practice_id
                )
            ).all()
        )
        cases = dict(
            db.session.execute(
                select(Case.practice_id, func.count(Case.id)).group_by(Case.practice_id)
            ).all()
        )
        networks = {pcn.id: pcn.name for pcn in db.session.scalars(select(Pcn))}
        practices = db.session.scalars(select(Practice).order_by(Practice.pcn_id, Practice.id))
        current = None
        for practice in practices:
            if practice.pcn_id != current:
                current = practice.pcn_id
                click.echo(networks.get(current, "No network"))
            click.echo(
                f"  {practice.ods_code or '(no ODS code)':<10} {practice.practice_name}: "
                f"{staff.get(practice.id, 0)} staff, {cases.get(practice.id, 0)} cases"
            )


@tracker_cli.command("create-user")
@click.option("--email", required=True, help="The address they sign in with.")
@click.option("--name", "full_name", required=True, help="Their full name.")
@click.option("--role", type=click.Choice([r.value for r in STAFF_ROLES]), required=True)
@click.option("--senior-partner", is_flag=True, help="Mark a GP as the senior partner.")
@click.option(
    "--practice",
    "ods_code",
    help="The ODS code of the practice they work in (needed once the install has several). "
    "For someone who already has an account, this adds a role in another practice.",
)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--no-change-at-first-sign-in",
    "keep_password",
    is_flag=True,
    help="Let them keep this password instead of choosing a new one at first sign-in.",
)
def create_user_command(
    email, full_name, role, senior_partner, ods_code, password_stdin, keep_password
):
    """Create a staff account (the first practice manager, for example), or give someone who
    has one a role in another practice."""
    practice = _practice_named(ods_code)
    # Read without a role: someone working in several practices has one in each.
    existing = db.session.scalars(
        select(User).where(User.email == normalise_email(email)).options(lazyload(User.membership))
    ).first()
    try:
        if existing is not None and practice is not None:
            add_membership(
                existing, practice_id=practice.id, role=role, is_senior_partner=senior_partner
            )
            db.session.commit()
            click.echo(
                f"{existing.full_name} <{existing.email}> now also works in "
                f"{practice.practice_name} as {role_label(role, senior_partner)}"
            )
            return
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        with in_practice(practice.id) if practice is not None else nullcontext():
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


def _practice_named(ods_code: str | None):
    """The practice --practice names; None on an install of one practice (or none yet) when
    it names none."""
    if ods_code:
        practice = find_practice(ods_code)
        if practice is None:
            raise click.ClickException(
                f"No practice here has the ODS code {ods_code.strip().upper()}: "
                "add it first with create-practice"
            )
        return practice
    if db.session.scalar(select(func.count(Practice.id))) > 1:
        raise click.ClickException(
            "This install hosts several practices: say which with --practice and its ODS code"
        )
    return None


@tracker_cli.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no staff yet.")
def seed_demo_command(if_empty):
    """Add demo staff and about sixty demo cases for trying the tracker (TRACKER_ENV=demo)."""
    if not current_app.config.get("DEMO_ACCOUNTS_ALLOWED"):
        raise click.ClickException(
            "Demo data is only for the demo: its accounts share a published password. "
            "Run this with TRACKER_ENV=demo on a copy for trying the tracker, never on the "
            "practice's own."
        )
    if if_empty and db.session.scalar(select(func.count()).select_from(User)):
        click.echo("The database already has staff; demo data not added.")
        return
    added = seed_demo()
    db.session.flush()
    cases = seed_demo_cases(find_practice(RIVERSIDE.ods_code).id)
    cases += seed_demo_cases(find_practice(HILLSIDE.ods_code).id, HILLSIDE_CASES, seed=20261205)
    give_a_case_outside(find_practice(RIVERSIDE.ods_code).id, OUTSIDE_REVIEWER)
    seed_demo_learning(find_practice(RIVERSIDE.ods_code).id)
    # The demo's history is made up: the emails it would have caused are not sent.
    db.session.execute(delete(OutboxMessage))
    db.session.commit()
    click.echo(f"Demo data ready ({len(added)} staff and {cases} cases added).")


@tracker_cli.command("demo-sign-ins")
def demo_sign_ins_command():
    """Print the demo accounts and their password."""
    click.echo(f"Demo sign-ins (password for all: {DEMO_PASSWORD})")
    for role, email, name, where in demo_sign_ins():
        click.echo(f"  {role:<20} {email:<36} {name:<18} {where}")


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


@tracker_cli.command("send-mail")
def send_mail_command():
    """Send the email waiting in the outbox once (for cron or a systemd timer)."""
    click.echo(where_mail_goes())
    if not mail_enabled():
        return
    result = send_pending()
    click.echo(f"{result.sent} sent, {result.failed} failed.")
    for error in result.errors[:5]:
        click.echo(f"  {error}", err=True)


@tracker_cli.command("send-reminders")
def send_reminders_command():
    """Queue today's reminders (acknowledgements and outcomes due, PALS without a response);
    once per case and kind a day, and none on a weekend or bank holiday."""
    queued = for_each_practice(send_reminders)
    db.session.commit()
    click.echo(f"{queued} reminders queued.")


@tracker_cli.command("send-digests")
def send_digests_command():
    """Queue today's daily summaries: one per person per day, none for a person with nothing
    due, overdue or new, and none on a weekend or bank holiday."""
    queued = for_each_practice(send_digests)
    db.session.commit()
    click.echo(f"{queued} daily summaries queued.")


@tracker_cli.command("mail-worker")
@click.option(
    "--interval",
    default=30,
    show_default=True,
    type=click.IntRange(1, MAX_WAIT_SECONDS),
    help="Seconds to wait between passes.",
)
@click.option("--passes", type=click.IntRange(1), help="Stop after this many passes.")
def mail_worker_command(interval, passes):
    """Send mail, reminders and the daily summaries in a loop until stopped (SIGTERM or Ctrl+C)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    stop = threading.Event()

    def request_stop(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    click.echo(f"Mail worker started. {where_mail_goes()}")
    made = run_worker(stop, interval=interval, max_passes=passes)
    click.echo(f"Mail worker stopped after {made} passes.")


def answers(host: str, port: int, path: str = "/healthz") -> bool:
    """True when the server at host:port answers this path with 200."""
    connection = http.client.HTTPConnection(host, port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def wait_until_answering(host: str, port: int, timeout: float) -> bool:
    """Ask until the server answers, for at most `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answers(host, port):
            return True
        time.sleep(0.2)
    return False


def start_mail_worker(interval: int) -> subprocess.Popen:
    """The mail worker beside the server: this same app, in a process of its own."""
    app_path = os.environ.get("FLASK_APP") or "wsgi"
    command = [sys.executable, "-m", "flask", "--app", app_path, "tracker", "mail-worker"]
    return subprocess.Popen([*command, "--interval", str(interval)])  # noqa: S603


def stop_on_signal(signum, frame):
    """Ctrl+C or SIGTERM: stop the server, and the mail worker with it."""
    raise KeyboardInterrupt


@tracker_cli.command("serve-demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--mail-interval",
    default=10,
    show_default=True,
    type=click.IntRange(1, MAX_WAIT_SECONDS),
    help="Seconds between the mail worker's passes.",
)
@click.option(
    "--wait",
    default=60,
    show_default=True,
    type=click.IntRange(1),
    help="Seconds to wait for the server to answer before giving up.",
)
def serve_demo_command(host, port, mail_interval, wait):
    """Serve the demo with its mail worker beside it, and print the address and the demo
    sign-ins once the address answers (Ctrl+C stops both)."""
    address = f"http://{host}:{port}"
    if not current_app.config.get("APP_BASE_URL"):
        current_app.config["APP_BASE_URL"] = address  # the links in the demo's email
    os.environ.setdefault("APP_BASE_URL", address)  # and the worker's
    try:
        server = make_server(host, port, current_app._get_current_object(), threaded=True)
    except OSError as problem:
        raise click.ClickException(f"Cannot serve on {address}: {problem}") from problem
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGINT, stop_on_signal)
    serving = threading.Thread(target=server.serve_forever, name="demo-server", daemon=True)
    serving.start()
    worker = start_mail_worker(mail_interval)
    try:
        if not wait_until_answering(host, port, wait):
            raise click.ClickException(f"{address} did not answer within {wait} seconds.")
        demo_sign_ins_command.callback()
        click.echo(f"{where_mail_goes()} The mail worker (process {worker.pid}) writes it.")
        click.echo(f"Serving on {address}/ (Ctrl+C to stop)")
        while serving.is_alive():
            serving.join(0.5)
    except KeyboardInterrupt:
        click.echo("Stopping.")
    finally:
        server.shutdown()
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        click.echo("The server and the mail worker have stopped.")


tracker_cli.add_command(purge_expired_command)
tracker_cli.add_command(backup_command)
tracker_cli.add_command(import_practice_command)
tracker_cli.add_command(remove_practice_command)


def register_cli(app: Flask) -> None:
    app.cli.add_command(tracker_cli)
