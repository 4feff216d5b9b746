"""What is measured and how: the pages chosen from the generated data, SQL statements per page
counted in-process, page latency (p50, p95) on the served app, and the downloads' throughput
and the growth of the gunicorn workers' peak memory while they stream."""

import os
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, create_engine, event, text

from bench.client import Browser, TestClientBrowser, sign_in
from bench.report import Figures, log
from bench.server import WORKERS, app_environment, engine_url, workers

BASELINE = "/login"
MINIMAL = "/bench/minimal"  # bench/served/bench_pages.py, MINIMAL_PATH
ANONYMOUS = "anonymous"
MANAGER = "practice_manager"
# Who requests each page: signed out, or signed in with this role (the practice manager when
# not named here).
WHO = {
    "minimal Flask response": ANONYMOUS,
    "baseline (GET /login)": ANONYMOUS,
    "home (reception)": "reception",
    "home (GP)": "gp",
}
ROLES = (MANAGER, "reception", "gp")


def who(name: str) -> str:
    return WHO.get(name, MANAGER)


@dataclass
class Pages:
    """The paths measured, chosen from the generated data the same way at every N."""

    queue: str = "/queue"
    queue_filtered: str = "/queue?overdue=1&route=second_opinion_gp"
    searches: list[str] = field(default_factory=list)
    name_searches: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    monthly: str = ""
    home: str = "/"
    intake: str = "/cases/new"
    csv_cases: str = ""
    csv_summary: str = ""
    xlsx_cases: str = ""

    def downloads(self) -> dict[str, str]:
        return {
            "CSV cases, a year": self.csv_cases,
            "CSV summary, a year": self.csv_summary,
            "Excel cases, a year": self.xlsx_cases,
        }

    def latency(self) -> dict[str, list[str]]:
        return {
            "minimal Flask response": [MINIMAL],
            "baseline (GET /login)": [BASELINE],
            "home (practice manager)": [self.home],
            "home (reception)": [self.home],
            "home (GP)": [self.home],
            "/queue": [self.queue],
            "/queue filtered": [self.queue_filtered],
            "/queue NHS number search": self.searches,
            "/queue name search": self.name_searches,
            "/cases/<reference>": self.cases,
            "/cases/new intake form": [self.intake],
            "/reports/monthly": [self.monthly],
        }


def choose_pages(
    url: str, now: datetime, practice_id: int | None = None, viewer: str | None = None
) -> Pages:
    """The pages to time, from the generated cases (of one practice when several are there).
    With `viewer` (the email of whoever requests the case pages), the last case, the one whose
    statements are counted, is a closed case someone else reviewed, so that counts compared
    between practices are of the same kind of case."""
    engine = create_engine(engine_url(url))
    pages = Pages()
    of_practice = "" if practice_id is None else f"practice_id = {int(practice_id)} AND "
    with engine.connect() as connection:
        numbers = connection.execute(
            text(
                f"SELECT nhs_number FROM cases WHERE {of_practice}nhs_number IS NOT NULL "  # noqa: S608 - an int
                "ORDER BY id LIMIT 20"
            )
        ).scalars()
        # The first seven digits: a whole number with one case goes straight to the case.
        pages.searches = [f"/queue?q={n[:3]}+{n[3:6]}+{n[6]}" for n in numbers]
        # A patient's first and last name, typed last name first, as staff search for them.
        names = connection.execute(
            text(f"SELECT patient_name FROM cases WHERE {of_practice}1 = 1 ORDER BY id LIMIT 20")  # noqa: S608
        ).scalars()
        pages.name_searches = ["/queue?q=" + "+".join(reversed(name.split())) for name in names]
        # Spread over the practice's cases, so old and recent cases are both opened.
        all_ids = (
            connection.execute(
                text(f"SELECT id FROM cases WHERE {of_practice}1 = 1 ORDER BY id")  # noqa: S608
            )
            .scalars()
            .all()
        )
        ids = [all_ids[(len(all_ids) - 1) * i // 29] for i in range(30)]
        found = connection.execute(
            text("SELECT reference FROM cases WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": ids},
        ).scalars()
        pages.cases = [f"/cases/{ref}" for ref in found]
        if viewer is not None:
            like = connection.execute(
                text(
                    f"SELECT reference FROM cases WHERE {of_practice}stage = 'closed' "  # noqa: S608
                    "AND reviewer_id NOT IN (SELECT id FROM users WHERE email = :viewer) "
                    "ORDER BY id DESC LIMIT 1"
                ),
                {"viewer": viewer},
            ).scalar_one()
            pages.cases[-1] = f"/cases/{like}"
    engine.dispose()
    this_month = now.date().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    year_ago = (this_month - timedelta(days=365)).replace(day=1)
    pages.monthly = f"/reports/monthly?month={last_month:%Y-%m}"
    span = f"from={year_ago:%Y-%m}&to={last_month:%Y-%m}"
    pages.csv_cases = f"/reports/monthly.csv?{span}&kind=cases"
    pages.csv_summary = f"/reports/monthly.csv?{span}&kind=summary"
    pages.xlsx_cases = f"/reports/monthly.xlsx?{span}&kind=cases"
    return pages


def emails_for(staff) -> dict[str, str]:
    """The account each role's pages are requested as: the bench's practice manager, and the
    first of the generated reception staff and GPs."""
    return {
        MANAGER: staff.sign_in_email,
        "reception": staff.accounts["reception"][0],
        "gp": staff.accounts["gp"][0],
    }


def count_statements(
    url: str, emails: dict[str, str], pages: Pages, downloads: bool = True
) -> dict[str, int]:
    """SQL statements per page (and download), counted in-process with the Flask test client
    (the app of the checkout first on the path, with the bench's minimal page added)."""
    from bench.served.bench_pages import add_bench_pages

    saved = dict(os.environ)
    os.environ.update(app_environment(url))
    try:
        from tracker import create_app
        from tracker.extensions import db

        app = create_app()
        add_bench_pages(app)
        # What a worker reads now and then rather than every request (the settings row,
        # whether demo data exists, a person's "New for you" count) is read at the warm-up and
        # not again, so every count is a steady request's and the same each run.
        app.config["SETTINGS_CHECKED_EVERY"] = 3600.0
        app.config["NEWS_COUNT_KEPT_SECONDS"] = 3600.0
    finally:
        os.environ.clear()
        os.environ.update(saved)
    counted = {"n": 0}
    with app.app_context():
        engine = db.engine

        def before(*_args, **_kwargs):
            counted["n"] += 1

        event.listen(engine, "before_cursor_execute", before)
    browsers = {ANONYMOUS: TestClientBrowser(app)}
    for role in ROLES:
        browsers[role] = TestClientBrowser(app)
        sign_in(browsers[role], emails[role], step_offset=-1)
    found = {}
    paths = {name: paths[-1] for name, paths in pages.latency().items()}
    if downloads:
        paths.update(pages.downloads())
    for name, path in paths.items():
        browser = browsers[who(name)]
        warm = pages.latency().get(name, [path])[0]
        browser.request("GET", warm)  # first use of a page (a view event, caches) not counted
        counted["n"] = 0
        reply = browser.request("GET", path)
        if reply.status != 200:
            raise RuntimeError(f"{path} answered {reply.status} in-process")
        found[name] = counted["n"]
    with app.app_context():
        db.engine.dispose()
    return found


def memory_kb(pid: int, field_name: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1])
    return 0


def reset_peak(pid: int) -> None:
    """Set the process's peak resident memory (VmHWM) back to what it holds now."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


@dataclass
class Target:
    """One served database: its port, gunicorn master, chosen pages and signed-in browsers."""

    port: int
    process: subprocess.Popen
    pages: Pages
    browsers: dict[str, Browser]  # signed out, and signed in as each role
    figures: Figures = field(default_factory=Figures)
    workers: int = WORKERS

    @property
    def client(self) -> Browser:
        return self.browsers[MANAGER]


def signed_in_browsers(port: int, emails: dict[str, str]) -> dict[str, Browser]:
    """A browser signed out and one signed in as each role, on the served app."""
    browsers = {ANONYMOUS: Browser(port)}
    for role in ROLES:
        browsers[role] = Browser(port)
        sign_in(browsers[role], emails[role])
    return browsers


def warm(browser: Browser, paths: list[str], workers: int = WORKERS) -> None:
    """Each path through every worker before timing, so no worker's first use of a page
    (compiling its templates, filling caches) is timed: requests sent at once go to different
    sync workers, as a busy one cannot accept."""
    with ThreadPoolExecutor(workers) as pool:
        for path in paths:
            for _ in range(2):
                list(pool.map(lambda p: browser.request("GET", p), [path] * workers))


# The pages every other page is measured against: a few milliseconds each, so a single pause
# of the machine moves their p95 by a quarter (4.1 to 6.6 ms for the same page in one run).
# Each is requested REFERENCE_SAMPLES times a round, at the start, a third of the way through
# and two thirds of the way through, so their p95 is read from that many more samples taken
# across the whole round.
REFERENCE_PAGES = ("minimal Flask response", "baseline (GET /login)")
REFERENCE_SAMPLES = 3


def round_of(names: list[str]) -> list[str]:
    """One round's pages in the order requested: every page once, the reference pages
    REFERENCE_SAMPLES times, spread through the round."""
    references = [name for name in names if name in REFERENCE_PAGES]
    pages = [name for name in names if name not in REFERENCE_PAGES]
    sequence = []
    for turn in range(REFERENCE_SAMPLES):
        sequence += references
        part = pages[
            turn * len(pages) // REFERENCE_SAMPLES : (turn + 1) * len(pages) // REFERENCE_SAMPLES
        ]
        sequence += part
    return sequence


def measure(targets: list[Target], requests: int, downloads: int, budget: float) -> None:
    """Latency of each page and the downloads' throughput and memory.

    The page requests go in rounds: each round asks for every page once from every server
    (the reference pages three times, `round_of`), the servers in turn (the other way round
    every other round). So every page's samples,
    the baseline's among them, are spread over the whole measurement, and a spell of the
    machine running slow or fast falls on every page and every N (or checkout) alike: the
    ratios between pages compare like with like, where a page measured in its own few
    seconds took whatever speed the machine had then."""
    deadline = time.monotonic() + budget
    names = list(targets[0].pages.latency())
    samples = {name: [[] for _ in targets] for name in names}
    for name in names:
        for target in targets:
            paths = target.pages.latency()[name]
            warm(target.browsers[who(name)], paths[:4], target.workers)
    sequence = round_of(names)
    for i in range(requests):
        if time.monotonic() > deadline and i >= 10:
            break
        order = targets if i % 2 == 0 else targets[::-1]
        for name in sequence:
            for target in order:
                paths = target.pages.latency()[name]
                path = paths[i % len(paths)]
                reply = target.browsers[who(name)].request("GET", path)
                if reply.status != 200:
                    raise RuntimeError(f"{path} answered {reply.status}")
                samples[name][targets.index(target)].append(reply.seconds)
    for name in names:
        for target, seconds in zip(targets, samples[name], strict=True):
            target.figures.p50[name] = statistics.median(seconds) * 1000
            target.figures.p95[name] = percentile(seconds, 0.95) * 1000
        log(
            f"  {name}: p95 "
            + ", ".join(f"{t.figures.p95[name]:.1f} ms" for t in targets)
            + f" ({len(samples[name][0])} requests each)"
        )
    for name in targets[0].pages.downloads() if downloads else ():
        runs: list[list[tuple]] = [[] for _ in targets]
        for target in targets:
            path = target.pages.downloads()[name]
            target.client.download(path)
            target.client.download(path)  # both workers have served it once
        for _ in range(downloads):
            for index, target in enumerate(targets):
                path = target.pages.downloads()[name]
                pids = workers(target.process.pid)
                base = {}
                for pid in pids:
                    reset_peak(pid)
                    base[pid] = memory_kb(pid, "VmRSS")
                status, size, lines, seconds = target.client.download(path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
                growth = max(memory_kb(pid, "VmHWM") - base[pid] for pid in pids)
                runs[index].append((seconds, size, lines - 1, growth))
        for target, found in zip(targets, runs, strict=True):
            seconds = statistics.median(r[0] for r in found)
            size, rows = found[0][1], found[0][2]
            target.figures.downloads[name] = d = {
                "seconds": seconds,
                "rows": rows,
                "mb": size / 1e6,
                "rows_per_s": rows / seconds,
                "mb_per_s": size / 1e6 / seconds,
                "memory_mb": max(r[3] for r in found) / 1024,
            }
            log(
                f"  {name}: {rows} rows, {d['mb']:.2f} MB in {seconds * 1000:.0f} ms, "
                f"{d['rows_per_s']:.0f} rows/s, peak memory +{d['memory_mb']:.1f} MB"
            )
