"""make bench-practices: one install hosting many practices against a practice on its own.

PostgreSQL: 1,000,000 cases (about ten million events) across 200 practices whose list sizes
are skewed as real lists are (a few of 30,000 patients, most near 5,000), written with COPY in
batches (bounded memory), practices interleaved as their requests would arrive, served as the
app's own role with row-level security on. SQLite: 20 practices of 5,000 cases. The baseline is a
database of one practice with 5,000 cases. For the largest, a middle and the smallest practice,
every page's p95 must be within 1.5x of the same page in the baseline, with the same statements.
The PCN view: a PCN manager's page of the ten practices of the largest practice's network, each
practice's month and complaints year side by side, under 250 ms p95. The largest practice's
annual complaints return (KO41(b)) and learning report for the last whole year, each under
250 ms p95.

    .venv/bin/python -m bench.practices --databases postgresql
"""

import argparse
import contextlib
import math
import random
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import inspect
from werkzeug.security import generate_password_hash

from bench.client import Browser, csrf_token
from bench.generate import (
    BENCH_PASSWORD,
    CaseWriter,
    Generated,
    NextIds,
    PracticeToMake,
    Staff,
    _fit,
    _naive,
    _reflected,
    create_staff,
    move_sequences_on,
    write_cases,
    write_sequences,
)
from bench.measure import (
    MANAGER,
    Target,
    choose_pages,
    count_statements,
    emails_for,
    measure,
    percentile,
    signed_in_browsers,
    warm,
)
from bench.report import Figures, log
from bench.server import analyse, fill, fresh_database, gunicorn, loading_engine, migrate

BASELINE_CASES = 5_000
RATIO_LIMIT = 1.5
PER_PCN = 10  # practices in each network
PCN_VIEW_LIMIT_MS = 250.0  # the PCN manager's page of a ten-practice network, p95
YEARLY_LIMIT_MS = 250.0  # the largest practice's KO41(b) return and learning report, p95
PCN_MANAGER = "pcn.manager@bench.example"
ROUNDS = 10  # each practice's cases are written in this many turns, interleaved with the rest
STAFF_PER_PRACTICE = 20  # ids kept for each practice's accounts (create_staff makes 19)
SHAPES = {
    # database: (practices, cases in all, skewed list sizes)
    "postgresql": (200, 1_000_000, True),
    "sqlite": (20, 100_000, False),
}


@dataclass
class MadePractice:
    id: int
    cases: int
    list_size: int
    staff: Staff


@dataclass
class Install:
    """What was written: every practice, and the totals."""

    practices: list[MadePractice] = field(default_factory=list)
    totals: Generated = field(default_factory=Generated)
    seconds: float = 0.0
    pcn_id: int | None = None  # the network of the largest practice, with a PCN manager


def list_sizes(count: int, skewed: bool, rng: random.Random) -> list[int]:
    """Registered patients of each practice: with `skewed`, one in 50 has 30,000 and the rest
    spread around 5,000 (between 2,500 and 15,000); otherwise all 5,000."""
    if not skewed:
        return [5_000] * count
    large = max(1, count // 50)
    rest = [
        int(round(min(15_000, max(2_500, rng.lognormvariate(math.log(5_000), 0.35))), -2))
        for _ in range(count - large)
    ]
    return [30_000] * large + rest


def cases_for(sizes: list[int], total: int) -> list[int]:
    """Each practice's cases, in proportion to its list, adding up to `total`."""
    whole = sum(sizes)
    cases = [total * size // whole for size in sizes]
    for i in range(total - sum(cases)):
        cases[i % len(cases)] += 1
    return cases


def generate_install(
    connection, sizes: list[int], cases: list[int], now: datetime, seed: int = 11
) -> Install:
    """Write every practice (its network, staff and settings), then their cases in rounds, a
    part of each practice's in turn, as requests from all of them would arrive."""
    started = time.perf_counter()
    install = Install()
    writers = []
    for index, (size, n) in enumerate(zip(sizes, cases, strict=True)):
        practice_id = index + 1
        made = PracticeToMake(
            id=practice_id,
            pcn_id=index // PER_PCN + 1,
            new_pcn=index % PER_PCN == 0,
            name=f"Bench Practice {practice_id}",
            ods_code=f"B{80000 + practice_id:05d}",
            first_user_id=index * STAFF_PER_PRACTICE + 1,
            domain=f"p{practice_id}.bench.example",
        )
        staff = create_staff(connection, now, made)
        install.practices.append(MadePractice(practice_id, n, size, staff))
        result = Generated(staff=staff)
        writers.append((CaseWriter(random.Random(seed * 1000 + practice_id), staff, now), result))
    ids = NextIds()
    for turn in range(ROUNDS):
        for made, (writer, result) in zip(install.practices, writers, strict=True):
            share = made.cases * (turn + 1) // ROUNDS - made.cases * turn // ROUNDS
            write_cases(connection, writer, share, result, ids, made.id)
        log(f"  round {turn + 1} of {ROUNDS}: {ids.case - 1:,} cases, {ids.event - 1:,} events")
    for made, (writer, result) in zip(install.practices, writers, strict=True):
        write_sequences(connection, writer, made.id)
        install.totals.cases += result.cases
        install.totals.events += result.events
        install.totals.notes += result.notes
    largest = max(install.practices, key=lambda p: (p.cases, p.id))
    install.pcn_id = (largest.id - 1) // PER_PCN + 1
    add_pcn_manager(connection, now, install.pcn_id, len(sizes) * STAFF_PER_PRACTICE + 1)
    move_sequences_on(connection)
    install.seconds = time.perf_counter() - started
    return install


def add_pcn_manager(connection, now: datetime, pcn_id: int, user_id: int) -> None:
    """An account that oversees this network and works in no practice (where the checkout's
    schema has network roles)."""
    tables = set(inspect(connection).get_table_names())
    if "network_roles" not in tables:
        return
    users = _reflected(connection, "users")
    password_hash = generate_password_hash(BENCH_PASSWORD, method="pbkdf2:sha256:1000")
    row = {
        "id": user_id,
        "email": PCN_MANAGER,
        "full_name": "Pat Network",
        "active": True,
        "password_hash": password_hash,
        "must_change_password": False,
        "failed_signin_count": 0,
        "is_demo": False,
        "created_at": _naive(now),
    }
    connection.execute(users.insert(), _fit(users, [row]))
    connection.execute(
        _reflected(connection, "network_roles").insert(),
        [{"user_id": user_id, "pcn_id": pcn_id, "created_at": _naive(now)}],
    )


@dataclass
class PcnView:
    practices: int
    cases: int
    p50: float
    p95: float


def timed(browser: Browser, path: str, requests: int) -> tuple[float, float]:
    """p50 and p95 in milliseconds of this page, warmed through every worker first."""
    check = browser.request("GET", path)
    if check.status != 200:
        raise RuntimeError(f"{path} answered {check.status}")
    warm(browser, [path])
    seconds = [browser.request("GET", path).seconds for _ in range(requests)]
    return percentile(seconds, 0.5) * 1000, percentile(seconds, 0.95) * 1000


def yearly_pages(browser: Browser, requests: int) -> dict[str, tuple[float, float]]:
    """The largest practice's KO41(b) return and learning report for the last whole year from
    1 April (where the checkout has them), timed as its practice manager."""
    today = datetime.now(UTC).date()
    year = (today.year if today.month >= 4 else today.year - 1) - 1
    found = {}
    for name, path in (
        ("/reports/complaints (KO41(b) return)", f"/reports/complaints?year={year}"),
        ("/reports/learning (learning report)", f"/reports/learning?year={year}"),
    ):
        if browser.request("GET", path).status == 404:
            continue  # a checkout without it
        found[name] = timed(browser, path, requests)
    return found


def time_pcn_view(port: int, install: "Install", requests: int) -> PcnView | None:
    """The PCN manager's page of the largest practice's network, for last month, timed."""
    if install.pcn_id is None:
        return None
    browser = Browser(port)
    page = browser.request("GET", "/login")
    reply = browser.request(
        "POST",
        "/login",
        {"csrf_token": csrf_token(page.body), "email": PCN_MANAGER, "password": BENCH_PASSWORD},
    )
    if reply.status != 302:
        return None  # a checkout without network roles
    month = (datetime.now(UTC).replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    p50, p95 = timed(browser, f"/network/pcn/{install.pcn_id}?month={month}", requests)
    members = [p for p in install.practices if (p.id - 1) // PER_PCN + 1 == install.pcn_id]
    return PcnView(len(members), sum(p.cases for p in members), p50, p95)


def chosen(install: Install) -> dict[str, MadePractice]:
    """The largest, a middle and the smallest practice, by cases."""
    by_size = sorted(install.practices, key=lambda p: (p.cases, p.id))
    return {
        "largest": by_size[-1],
        "middle": by_size[len(by_size) // 2],
        "smallest": by_size[0],
    }


@dataclass
class Result:
    database: str
    practices: int
    cases: int
    events: int
    labels: list[str]
    sizes: dict[str, tuple[int, int]]  # label: (cases, list size)
    figures: dict[str, Figures]
    timings: dict[str, float]
    pcn_view: "PcnView | None" = None
    yearly: dict[str, tuple[float, float]] = field(default_factory=dict)


def run_database(database: str, args) -> Result:
    count, total, skewed = SHAPES[database]
    count = args.practices or count
    total = args.cases or total
    now = datetime.now(UTC)
    timings: dict[str, float] = {}
    with contextlib.ExitStack() as stack:
        log(f"{database}: the baseline, one practice of {BASELINE_CASES:,} cases")
        base_url = stack.enter_context(fresh_database(database))
        migrate(base_url)
        base_generated, _ = fill(base_url, BASELINE_CASES, now)
        log(f"{database}: {count} practices, {total:,} cases")
        url = stack.enter_context(fresh_database(database))
        timings["migrate"] = migrate(url)
        sizes = list_sizes(count, skewed, random.Random(5))
        engine = loading_engine(url)
        with engine.begin() as connection:
            install = generate_install(connection, sizes, cases_for(sizes, total), now)
        timings["generate"] = install.seconds
        started = time.perf_counter()
        analyse(engine)
        engine.dispose()
        timings["analyze"] = time.perf_counter() - started
        log(
            f"  wrote {install.totals.cases:,} cases, {install.totals.events:,} events in "
            f"{install.seconds:.0f} s; analysed in {timings['analyze']:.0f} s"
        )
        picked = chosen(install)
        labels = ["baseline", *picked]
        figures = {label: Figures() for label in labels}
        base_emails = emails_for(base_generated.staff)
        base_pages = choose_pages(base_url, now, viewer=base_emails[MANAGER])
        figures["baseline"].statements = count_statements(
            base_url, base_emails, base_pages, downloads=False
        )
        base_port, base_process = stack.enter_context(gunicorn(base_url))
        targets = [
            Target(
                base_port,
                base_process,
                base_pages,
                signed_in_browsers(base_port, base_emails),
                figures["baseline"],
            )
        ]
        port, process = stack.enter_context(gunicorn(url))
        for label, made in picked.items():
            emails = emails_for(made.staff)
            pages = choose_pages(url, now, made.id, viewer=emails[MANAGER])
            figures[label].statements = count_statements(url, emails, pages, downloads=False)
            browsers = signed_in_browsers(port, emails)
            targets.append(Target(port, process, pages, browsers, figures[label]))
            if label == "largest":
                largest_manager = browsers[MANAGER]
        started = time.perf_counter()
        log(f"{database}: measuring the baseline and the " + ", ".join(picked) + " side by side")
        measure(targets, args.requests, 0, args.budget)
        timings["measure"] = time.perf_counter() - started
        log(f"{database}: timing the PCN view and the largest practice's yearly reports")
        pcn_view = time_pcn_view(port, install, args.requests)
        yearly = yearly_pages(largest_manager, args.requests)
    return Result(
        database,
        count,
        install.totals.cases,
        install.totals.events,
        labels,
        {label: (made.cases, made.list_size) for label, made in picked.items()},
        figures,
        timings,
        pcn_view,
        yearly,
    )


def report(result: Result) -> str:
    """The table for one database: each page's p95 in the baseline and in each chosen
    practice, the ratios against the target, and the statements."""
    sizes = ", ".join(
        f"{label} {cases:,} cases ({patients:,} patients)"
        for label, (cases, patients) in result.sizes.items()
    )
    picked = result.labels[1:]
    lines = [
        f"{result.database}: {result.practices} practices, {result.cases:,} cases, "
        f"{result.events:,} events; {sizes}; baseline one practice of {BASELINE_CASES:,} cases.",
        "",
        "| page | baseline p95 ms | "
        + " | ".join(f"{label} p95 ms (x baseline)" for label in picked)
        + " | statements (baseline / "
        + " / ".join(picked)
        + ") | target |",
        "|---|---|" + "---|" * len(picked) + "---|---|",
    ]
    base = result.figures["baseline"]
    worst = 0.0
    differ = False
    for name, value in base.p95.items():
        cells, ok = [], True
        for label in picked:
            p95 = result.figures[label].p95[name]
            r = p95 / value
            worst = max(worst, r)
            ok = ok and r <= RATIO_LIMIT
            cells.append(f"{p95:.1f} ({r:.2f}x)")
        counts = [base.statements.get(name)] + [
            result.figures[label].statements.get(name) for label in picked
        ]
        same = len(set(counts)) == 1
        differ = differ or not same
        lines.append(
            f"| {name} | {value:.1f} | "
            + " | ".join(cells)
            + f" | {' / '.join(str(c) for c in counts)}{'' if same else ' DIFFER'} | "
            + ("met" if ok and same else "NOT MET")
            + " |"
        )
    lines.append("")
    lines.append(
        f"Worst p95 ratio {worst:.2f}x (target {RATIO_LIMIT}x): "
        + ("met" if worst <= RATIO_LIMIT else "NOT MET")
        + "; statements per page: "
        + ("the same" if not differ else "NOT the same")
        + "."
    )
    view = result.pcn_view
    if view is not None:
        lines.append(
            f"PCN view ({view.practices} practices, {view.cases:,} cases): p50 {view.p50:.1f} ms, "
            f"p95 {view.p95:.1f} ms (target under {PCN_VIEW_LIMIT_MS:.0f} ms): "
            + ("met" if view.p95 < PCN_VIEW_LIMIT_MS else "NOT MET")
            + "."
        )
    for name, (p50, p95) in result.yearly.items():
        lines.append(
            f"Largest practice, {name}, last whole year: p50 {p50:.1f} ms, p95 {p95:.1f} ms "
            f"(target under {YEARLY_LIMIT_MS:.0f} ms): "
            + ("met" if p95 < YEARLY_LIMIT_MS else "NOT MET")
            + "."
        )
    t = result.timings
    lines.append(
        f"Phases: migrate {t['migrate']:.0f} s, generate {t['generate']:.0f} s, analyse "
        f"{t['analyze']:.0f} s, measure {t['measure']:.0f} s."
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--practices", type=int, help="practices (default 200, SQLite 20)")
    parser.add_argument(
        "--cases", type=int, help="cases in all (default 1,000,000, SQLite 100,000)"
    )
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument(
        "--budget", type=float, default=300, help="at most this many seconds of page requests"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    reports = [report(run_database(database, args)) for database in args.databases.split(",")]
    print("\n\n".join(["", *reports, f"Whole run: {time.perf_counter() - started:.0f} s"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
