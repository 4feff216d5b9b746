"""make bench: generate N cases on SQLite and PostgreSQL, serve them with gunicorn on loopback,
and print how fast the pages and downloads are, at N and at 1,000 cases for the ratios.

    .venv/bin/python -m bench.run --n 100000
"""

import argparse
import contextlib
import signal
import sys
import time
from datetime import UTC, datetime

from bench.measure import (
    Target,
    choose_pages,
    count_statements,
    emails_for,
    measure,
    signed_in_browsers,
)
from bench.report import BASE_N, Figures, Pass, built, log, summary
from bench.server import build, fresh_database, gunicorn


def run_database(database: str, sizes: list[int], args) -> list[Pass]:
    """Build a fresh database for each N, count statements, then serve them all at once and
    measure them side by side."""
    with contextlib.ExitStack() as stack:
        passes, urls = [], []
        for n in sizes:
            log(f"{database}, N={n:,}: creating the database")
            url = stack.enter_context(fresh_database(database))
            generated, timings = build(url, n)
            log(built(generated, timings))
            passes.append(Pass(database, n, generated, timings, Figures()))
            urls.append(url)
        now = datetime.now(UTC)
        targets = []
        for p, url in zip(passes, urls, strict=True):
            pages = choose_pages(url, now)
            started = time.perf_counter()
            emails = emails_for(p.generated.staff)
            p.figures.statements = count_statements(url, emails, pages)
            p.timings["count"] = time.perf_counter() - started
            log(f"  N={p.n:,}: statements counted in {p.timings['count']:.1f} s")
            port, process = stack.enter_context(gunicorn(url))
            browsers = signed_in_browsers(port, emails)
            targets.append(Target(port, process, pages, browsers, p.figures))
        started = time.perf_counter()
        log(f"{database}: measuring N=" + " and N=".join(f"{n:,}" for n in sizes) + " side by side")
        measure(targets, args.requests, args.downloads, args.budget)
        for p in passes:
            p.timings["measure"] = time.perf_counter() - started
    return passes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=100_000, help="cases to generate (default 100,000)"
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
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
    print(summary(passes, args.n, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
