"""The bench's tooling: staff accounts for the load test, the generator's fit to an older app's
tables, the forms the load test fills in, the targets' verdicts and the base commit."""

import threading
from collections import Counter
from datetime import UTC, datetime

import pyotp
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, select
from werkzeug.serving import make_server

import bench.load
from bench.compare import base_commit, git
from bench.generate import BENCH_PASSWORD, BENCH_TOTP_SECRET, _fit, generate
from bench.load import MANAGER, Load, figures, form_fields
from bench.report import Figures, Pass, absolute_targets
from tests.helpers import as_owner
from tracker.cases.models import Case, CaseNote
from tracker.extensions import db
from tracker.staff.models import Membership, User

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def make_practice(app, n=120):
    with app.app_context(), as_owner(app) as connection:
        return generate(connection, n, now=NOW)


def sign_in(app, email, now):
    client = app.test_client()
    reply = client.post("/login", data={"email": email, "password": BENCH_PASSWORD})
    assert reply.status_code == 302
    if "/login/code" in reply.headers["Location"]:
        reply = client.post("/login/code", data={"code": pyotp.TOTP(BENCH_TOTP_SECRET).at(now)})
        assert reply.status_code == 302 and "/login" not in reply.headers["Location"]
    return client


def test_generated_staff_include_several_accounts_per_role_that_sign_in(app, frozen_clock):
    made = make_practice(app)
    accounts = made.staff.accounts
    assert len(accounts["reception"]) == 5
    assert len(accounts["gp"]) == 9  # the GP who left has no account to sign in with
    assert len(accounts["practice_manager"]) == 3
    assert made.staff.two_factor == set(accounts["practice_manager"])
    with app.app_context():
        roles = Counter(
            db.session.scalars(
                select(Membership.role).join(User).where(User.active.is_(True))
            ).all()
        )
        assert roles == {"reception": 5, "gp": 9, "practice_manager": 3}
    for role, emails in accounts.items():
        client = sign_in(app, emails[-1], frozen_clock.now)
        assert client.get("/queue").status_code == 200, role


def test_rows_for_an_older_table_leave_out_the_columns_it_lacks():
    older = Table("cases", MetaData(), Column("id", Integer), Column("reference", String))
    rows = [{"id": 1, "reference": "SO-2026-0001", "outcome_target_days": 10}]
    assert _fit(older, rows) == [{"id": 1, "reference": "SO-2026-0001"}]
    assert _fit(older, [{"id": 2}]) == [{"id": 2}]


def test_the_load_test_reads_the_assign_form_it_will_submit(app, frozen_clock):
    made = make_practice(app, 300)
    with app.app_context():
        case = db.session.scalars(
            select(Case)
            .where(Case.stage.in_(("logged", "assigned", "in_review")))
            .order_by(Case.id)
            .limit(1)
        ).one()
        reference, version, reviewer = case.reference, case.version, case.reviewer_id
    client = sign_in(app, made.staff.sign_in_email, frozen_clock.now)
    page = client.get(f"/cases/{reference}/assign")
    assert page.status_code == 200
    found = form_fields(page.get_data())
    assert found.hidden["version"] == str(version)
    offered = [value for value, _ in found.options if value]
    assert len(offered) >= 2
    others = [value for value, chosen in found.options if value and not chosen]
    form = {
        **found.hidden,
        "reviewer": next(v for v in others if v != str(reviewer)),
        "reason": "Bench load test: away.",
    }
    reply = client.post(f"/cases/{reference}/assign", data=form)
    assert reply.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Case.version).where(Case.reference == reference)) > version


def test_the_absolute_targets_are_marked_met_or_not_met():
    figures = Figures(
        p95={
            "minimal Flask response": 4.0,
            "baseline (GET /login)": 9.0,
            "/queue": 40.0,
            "/cases/new intake form": 90.0,
        }
    )
    printed = absolute_targets([Pass("sqlite", 100_000, None, {}, figures)], 100_000)
    lines = printed.splitlines()
    assert lines[0] == "Targets at N=100,000:"
    assert "| sqlite | baseline p95 within 2.5x the minimal Flask response | 2.25x | met |" in lines
    assert "| sqlite | /queue p95 within 4x the baseline | 4.44x | NOT MET |" in lines
    assert (
        "| sqlite | /cases/new intake form p95 within 4x the baseline | 10.00x | NOT MET |" in lines
    )
    smaller = absolute_targets([Pass("sqlite", 2_000, None, {}, figures)], 2_000)
    assert smaller.splitlines()[0] == "Targets at N=2,000 (they are set at N=100,000):"


def test_the_base_commit_named_is_resolved_to_its_hash():
    head = git("rev-parse", "HEAD")
    assert len(head) == 40
    assert base_commit("HEAD") == head
    assert base_commit(head[:10]) == head


@pytest.fixture
def served(app):
    """The test app served on a loopback port by a threaded server, stopped afterwards."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join()


def test_the_load_test_finds_every_write_the_server_confirmed(
    app, served, database_url, monkeypatch
):
    """A short load (a bounded number of seconds, nothing timed) of seven staff: everyone
    signs in, goes round the mix, and every note and action the server confirmed is found.
    The forms carry CSRF tokens, as in production."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    # Mostly writes, so a short run takes actions as well as adding notes.
    monkeypatch.setitem(bench.load.MIX, "reception", {"note": 1, "case": 1, "queue": 1})
    monkeypatch.setitem(bench.load.MIX, "gp", {"action": 1, "home": 1})
    monkeypatch.setitem(bench.load.MIX, MANAGER, {"action": 2, "monthly": 1})
    made = make_practice(app, 300)
    load = Load(served, database_url, made.staff, 7, seed=3)
    assert Counter(m.role for m in load.members) == {"reception": 3, "gp": 3, MANAGER: 1}
    load.sign_in_all()
    load.run(3)
    found = figures(load)
    assert found.errors == 0, found.examples
    assert found.requests > 0
    assert found.writes["notes"] > 0
    assert found.writes["notes_found"] == found.writes["notes"]
    assert found.writes["actions_found"] == found.writes["actions"]
    assert found.lost == 0
    assert found.writes["actions"] > 0
    with app.app_context():
        written = db.session.scalar(
            select(func.count(CaseNote.id)).where(CaseNote.text.like("Bench load %"))
        )
    assert written == found.writes["notes"]


def test_each_round_asks_every_page_once_and_the_reference_pages_across_it():
    """The pages the targets are ratios of are sampled more, through the whole round; every
    other page once a round, as before."""
    from itertools import pairwise

    from bench.measure import REFERENCE_PAGES, REFERENCE_SAMPLES, Pages, round_of

    names = list(Pages().latency())
    sequence = round_of(names)
    counts = Counter(sequence)
    for name in names:
        assert counts[name] == (REFERENCE_SAMPLES if name in REFERENCE_PAGES else 1), name
    baseline = [i for i, name in enumerate(sequence) if name == "baseline (GET /login)"]
    assert baseline[0] < 2 and baseline[-1] > len(sequence) // 2  # spread, not in a row
    assert all(later - earlier > 2 for earlier, later in pairwise(baseline))
