"""make bench: generate N cases on SQLite and PostgreSQL, serve them with gunicorn on loopback,
and print how fast the pages and downloads are, at N and at 1,000 cases for the ratios.

    .venv/bin/python -m bench.run --n 100000
"""

import argparse
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, create_engine, event, text

from bench.client import Browser, TestClientBrowser, sign_in
from bench.generate import Generated
from bench.server import WORKERS, app_environment, build, fresh_database, gunicorn, workers

BASE_N = 1_000
BASELINE = "/login"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- what is measured -------------------------------------------------------------------------


@dataclass
class Pages:
    """The paths measured, chosen from the generated data the same way at every N."""

    queue: str = "/queue"
    queue_filtered: str = "/queue?overdue=1&route=second_opinion_gp"
    searches: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    monthly: str = ""
    csv_cases: str = ""
    csv_summary: str = ""

    def downloads(self) -> dict[str, str]:
        return {"CSV cases, a year": self.csv_cases, "CSV summary, a year": self.csv_summary}

    def latency(self) -> dict[str, list[str]]:
        return {
            "baseline (GET /login)": [BASELINE],
            "/queue": [self.queue],
            "/queue filtered": [self.queue_filtered],
            "/queue NHS number search": self.searches,
            "/cases/<reference>": self.cases,
            "/reports/monthly": [self.monthly],
        }


def choose_pages(url: str, now: datetime) -> Pages:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    pages = Pages()
    with engine.connect() as connection:
        numbers = connection.execute(
            text("SELECT nhs_number FROM cases WHERE nhs_number IS NOT NULL ORDER BY id LIMIT 20")
        ).scalars()
        pages.searches = [f"/queue?q={n[:3]}+{n[3:6]}+{n[6:]}" for n in numbers]
        # Spread over the ids, so old and recent cases are both opened.
        total = connection.execute(text("SELECT MAX(id) FROM cases")).scalar_one()
        ids = [1 + (total - 1) * i // 29 for i in range(30)]
        found = connection.execute(
            text("SELECT reference FROM cases WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": ids},
        ).scalars()
        pages.cases = [f"/cases/{ref}" for ref in found]
    engine.dispose()
    this_month = now.date().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    year_ago = (this_month - timedelta(days=365)).replace(day=1)
    pages.monthly = f"/reports/monthly?month={last_month:%Y-%m}"
    span = f"from={year_ago:%Y-%m}&to={last_month:%Y-%m}"
    pages.csv_cases = f"/reports/monthly.csv?{span}&kind=cases"
    pages.csv_summary = f"/reports/monthly.csv?{span}&kind=summary"
    return pages


def count_statements(url: str, staff_email: str, pages: Pages) -> dict[str, int]:
    """SQL statements per page, counted in-process with the Flask test client."""
    saved = dict(os.environ)
    os.environ.update(app_environment(url))
    try:
        from tracker import create_app
        from tracker.extensions import db

        app = create_app()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    counted = {"n": 0}
    with app.app_context():
        engine = db.engine

        def before(*_args, **_kwargs):
            counted["n"] += 1

        event.listen(engine, "before_cursor_execute", before)
    client, anonymous = TestClientBrowser(app), TestClientBrowser(app)
    sign_in(client, staff_email, step_offset=-1)
    found = {}
    paths = {name: paths[-1] for name, paths in pages.latency().items()}
    paths["CSV cases, a year"] = pages.csv_cases
    paths["CSV summary, a year"] = pages.csv_summary
    for name, path in paths.items():
        browser = anonymous if path == BASELINE else client
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
class Figures:
    p50: dict[str, float] = field(default_factory=dict)
    p95: dict[str, float] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)
    downloads: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class Target:
    """One served database: its port, gunicorn master, chosen pages and signed-in browsers."""

    port: int
    process: subprocess.Popen
    pages: Pages
    client: Browser
    anonymous: Browser
    figures: Figures = field(default_factory=Figures)


def warm(browser: Browser, paths: list[str]) -> None:
    """Each path through every worker before timing, so no worker's first use of a page
    (compiling its templates, filling caches) is timed: requests sent at once go to different
    sync workers, as a busy one cannot accept."""
    with ThreadPoolExecutor(WORKERS) as pool:
        for path in paths:
            for _ in range(2):
                list(pool.map(lambda p: browser.request("GET", p), [path] * WORKERS))


def measure(targets: list[Target], requests: int, downloads: int, budget: float) -> None:
    """Latency of each page and the downloads' throughput and memory. Requests alternate
    between the servers, so each N sees the same background load on the machine."""
    deadline = time.monotonic() + budget
    names = list(targets[0].pages.latency())
    for name in names:
        samples: list[list[float]] = [[] for _ in targets]
        for target in targets:
            paths = target.pages.latency()[name]
            browser = target.anonymous if paths == [BASELINE] else target.client
            warm(browser, paths[:4])
        for i in range(requests):
            if time.monotonic() > deadline and i >= 10:
                break
            order = targets if i % 2 == 0 else targets[::-1]
            for target in order:
                paths = target.pages.latency()[name]
                browser = target.anonymous if paths == [BASELINE] else target.client
                path = paths[i % len(paths)]
                reply = browser.request("GET", path)
                if reply.status != 200:
                    raise RuntimeError(f"{path} answered {reply.status}")
                samples[targets.index(target)].append(reply.seconds)
        for target, seconds in zip(targets, samples, strict=True):
            target.figures.p50[name] = statistics.median(seconds) * 1000
            target.figures.p95[name] = percentile(seconds, 0.95) * 1000
        log(
            f"  {name}: p95 "
            + ", ".join(f"{t.figures.p95[name]:.1f} ms" for t in targets)
            + f" ({len(samples[0])} requests each)"
        )
    for name in ("CSV cases, a year", "CSV summary, a year"):
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


# --- one pass and the table ----------------------------------------------------------------


@dataclass
class Pass:
    database: str
    n: int
    generated: Generated
    timings: dict[str, float]
    figures: Figures


def run_database(database: str, sizes: list[int], args) -> list[Pass]:
    """Build a fresh database for each N, count statements, then serve them all at once and
    measure them side by side."""
    with contextlib.ExitStack() as stack:
        passes, urls = [], []
        for n in sizes:
            log(f"{database}, N={n:,}: creating the database")
            url = stack.enter_context(fresh_database(database))
            generated, timings = build(url, n)
            log(
                f"  migrated in {timings['migrate']:.1f} s; wrote {generated.cases:,} cases, "
                f"{generated.events:,} events, {generated.notes:,} notes in "
                f"{timings['generate']:.1f} s ({(generated.cases + generated.events + generated.notes) / timings['generate']:,.0f} rows/s); "
                f"analysed in {timings['analyze']:.1f} s"
            )
            passes.append(Pass(database, n, generated, timings, Figures()))
            urls.append(url)
        now = datetime.now(UTC)
        targets = []
        for p, url in zip(passes, urls, strict=True):
            pages = choose_pages(url, now)
            started = time.perf_counter()
            p.figures.statements = count_statements(url, p.generated.staff.sign_in_email, pages)
            p.timings["count"] = time.perf_counter() - started
            log(f"  N={p.n:,}: statements counted in {p.timings['count']:.1f} s")
            port, process = stack.enter_context(gunicorn(url))
            client, anonymous = Browser(port), Browser(port)
            sign_in(client, p.generated.staff.sign_in_email)
            targets.append(Target(port, process, pages, client, anonymous, p.figures))
        started = time.perf_counter()
        log(f"{database}: measuring N=" + " and N=".join(f"{n:,}" for n in sizes) + " side by side")
        measure(targets, args.requests, args.downloads, args.budget)
        for p in passes:
            p.timings["measure"] = time.perf_counter() - started
    return passes


def ratio(value: float, other: float | None) -> str:
    return f"{value / other:.2f}x" if other else "-"


def table(passes: list[Pass], n: int) -> str:
    """One table: each figure at N, its ratio to the baseline page and to the same at 1,000."""
    lines = [
        f"| database | figure | N={n:,} | x baseline p95 | x same at N={BASE_N:,} | statements (N={BASE_N:,} / N={n:,}) |",
        "|---|---|---|---|---|---|",
    ]
    for database in dict.fromkeys(p.database for p in passes):
        big = next(p for p in passes if p.database == database and p.n == n)
        small = next(p for p in passes if p.database == database and p.n == BASE_N)
        base_p95 = big.figures.p95["baseline (GET /login)"]
        for name in big.figures.p95:
            st_small, st_big = small.figures.statements.get(name), big.figures.statements.get(name)
            same = "equal" if st_small == st_big else "DIFFER"
            for label, values, other in (
                ("p50 ms", big.figures.p50, small.figures.p50),
                ("p95 ms", big.figures.p95, small.figures.p95),
            ):
                lines.append(
                    f"| {database} | {name} {label} | {values[name]:.1f} | "
                    f"{ratio(values[name], base_p95) if label.startswith('p95') else '-'} | "
                    f"{ratio(values[name], other.get(name))} | "
                    f"{st_small} / {st_big} {same} |"
                )
        for name, d in big.figures.downloads.items():
            s = small.figures.downloads[name]
            st_small, st_big = small.figures.statements.get(name), big.figures.statements.get(name)
            same = "equal" if st_small == st_big else "DIFFER"
            lines.append(
                f"| {database} | {name}: {d['rows']:,} rows, {d['mb']:.2f} MB | "
                f"{d['rows_per_s']:,.0f} rows/s, {d['mb_per_s']:.2f} MB/s | - | "
                f"{ratio(d['seconds'], s['seconds'])} time | {st_small} / {st_big} {same} |"
            )
            lines.append(
                f"| {database} | {name} peak memory growth MB | {d['memory_mb']:.1f} | - | "
                f"{ratio(d['memory_mb'], s['memory_mb'])} | |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=100_000, help="cases to generate (default 100,000)"
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=60, help="timed requests per page")
    parser.add_argument("--downloads", type=int, default=3, help="timed downloads of each CSV")
    parser.add_argument(
        "--budget",
        type=float,
        default=240,
        help="at most this many seconds of page requests a pass",
    )
    args = parser.parse_args(argv)
    # Stopped from outside: unwind, so the servers stop and the databases are dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    passes = []
    sizes = [BASE_N] if args.n == BASE_N else [BASE_N, args.n]
    for database in args.databases.split(","):
        passes.extend(run_database(database, sizes, args))
    print()
    print(table(passes, args.n))
    print()
    for p in passes:
        t = p.timings
        print(
            f"{p.database} N={p.n:,}: migrate {t['migrate']:.1f} s, generate {t['generate']:.1f} s "
            f"({p.generated.events:,} events), analyse {t['analyze']:.1f} s, count statements "
            f"{t['count']:.1f} s, measure {t['measure']:.1f} s"
        )
    print(f"Whole bench: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
