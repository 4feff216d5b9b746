"""SQL statements per page, on a small generated practice, held to a committed budget.

Each page is requested once to warm it (a case's first view writes its "viewed" event), then
counted with a `before_cursor_execute` listener on the engine, as bench/measure.py does. The
budget (statement_budget.json) is today's count: a change that makes a page read more fails
here; one that makes it read less lowers the budget in the same commit.
"""

import json
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import event, select

from bench.generate import BENCH_PASSWORD, BENCH_TOTP_SECRET, generate
from tests.helpers import as_owner
from tracker.cases.models import Case
from tracker.extensions import db

BUDGET = json.loads((Path(__file__).with_name("statement_budget.json")).read_text())
# A case opened for the first time: the page's reads, and writing its "viewed" event.
FIRST_VIEW_BUDGET = 9


def signed_in(app, email: str, now) -> object:
    """A test client signed in with the bench password, and the authenticator code at the
    frozen clock's time when the account has two-factor sign-in."""
    client = app.test_client()
    reply = client.post("/login", data={"email": email, "password": BENCH_PASSWORD})
    assert reply.status_code == 302, reply.get_data(as_text=True)
    if "/login/code" in reply.headers["Location"]:
        code = pyotp.TOTP(BENCH_TOTP_SECRET).at(now)
        reply = client.post("/login/code", data={"code": code})
        assert reply.status_code == 302
        assert "/login" not in reply.headers["Location"]
    return client


@pytest.fixture
def practice(app, frozen_clock):
    """200 generated cases, their staff signed in (one client per role) and a counter."""
    with app.app_context():
        with as_owner(app) as connection:
            made = generate(connection, 200, now=frozen_clock.now)
        case = db.session.scalar(
            select(Case.reference).where(Case.stage == "in_review").order_by(Case.id).limit(1)
        )
        counted = {"n": 0}

        def count(*_args, **_kwargs):
            counted["n"] += 1

        event.listen(db.engine, "before_cursor_execute", count)
    accounts = made.staff.accounts
    clients = {
        "anonymous": app.test_client(),
        "reception": signed_in(app, accounts["reception"][0], frozen_clock.now),
        "gp": signed_in(app, accounts["gp"][0], frozen_clock.now),
        "practice_manager": signed_in(app, made.staff.sign_in_email, frozen_clock.now),
    }
    yield clients, counted, case
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", count)


def pages(case: str) -> dict[str, tuple[str, str]]:
    """Each budgeted page: (who asks, path)."""
    return {
        "baseline GET /login": ("anonymous", "/login"),
        "home, reception": ("reception", "/"),
        "home, GP": ("gp", "/"),
        "home, practice manager": ("practice_manager", "/"),
        "/queue": ("practice_manager", "/queue"),
        "/queue filtered": ("practice_manager", "/queue?overdue=1&route=second_opinion_gp"),
        "/queue name search": ("practice_manager", "/queue?q=a"),
        "case page": ("practice_manager", f"/cases/{case}"),
        "/cases/new intake form": ("reception", "/cases/new"),
        "/reports/monthly": ("practice_manager", "/reports/monthly?month=2026-10"),
        "/admin/settings": ("practice_manager", "/admin/settings"),
    }


def count_pages(practice) -> dict[str, int]:
    clients, counted, case = practice
    assert case is not None
    found = {}
    for name, (who, path) in pages(case).items():
        client = clients[who]
        assert client.get(path).status_code == 200, f"{name} while warming"
        counted["n"] = 0
        reply = client.get(path)
        assert reply.status_code == 200, name
        found[name] = counted["n"]
    return found


def test_every_budgeted_page_is_counted(practice):
    assert set(pages("x")) == set(BUDGET)


def test_no_page_reads_more_than_its_budget(practice):
    found = count_pages(practice)
    over = {name: f"{n} > {BUDGET[name]}" for name, n in found.items() if n > BUDGET[name]}
    assert not over, (
        f"More SQL statements than the budget (tests/bench/statement_budget.json): {over}"
    )
    assert all(n > 0 for n in found.values())  # the listener saw each page's reads


def test_the_count_is_the_same_every_time(practice):
    """Counted twice over, the same: the budget does not depend on timing or caches."""
    assert count_pages(practice) == count_pages(practice)


def test_a_cases_first_view_stays_within_its_budget(app, practice):
    """Opening a case for the first time writes its view and shows the page from what was
    read, without reading the case again."""
    clients, counted, seen = practice
    with app.app_context():
        unseen = db.session.scalar(
            select(Case.reference)
            .where(Case.stage != "closed", Case.reference != seen)
            .order_by(Case.id.desc())
            .limit(1)
        )
    client = clients["practice_manager"]
    counted["n"] = 0
    reply = client.get(f"/cases/{unseen}")
    assert reply.status_code == 200
    assert unseen in reply.get_data(as_text=True)
    first = counted["n"]
    assert first <= FIRST_VIEW_BUDGET, f"{first} statements > {FIRST_VIEW_BUDGET}"
