"""make bench-compare: the working tree against a base commit, on the same data, side by side.

The base (default: origin/main if there is one, else the merge base with main) is checked out
in a temporary worktree, removed afterwards. Each side migrates its own fresh database with its
own migrations and gets the same generated cases (same seed, same moment); both are served by
gunicorn at once, the page requests alternate between them, and then the load test runs
against each in turn, in alternating slices. One table: each page's p50/p95 and statements for
base and head with the ratio, and the load test's throughput for both.

    .venv/bin/python -m bench.compare --n 10000 --base 2b5e295 --databases sqlite
"""

import argparse
import contextlib
import dataclasses
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import Generated
from bench.load import Load, LoadFigures, figures, staff_line
from bench.load import arguments as load_arguments
from bench.measure import (
    Pages,
    Target,
    choose_pages,
    count_statements,
    emails_for,
    measure,
    signed_in_browsers,
)
from bench.report import Figures, log
from bench.server import ROOT, build, fresh_database, gunicorn, side_command

THROUGHPUT_TARGET = 1.7  # head's throughput against today's main (issue 24)


def git(*arguments: str, check: bool = True) -> str:
    done = subprocess.run(  # noqa: S603 - our own command line
        ["git", "-C", str(ROOT), *arguments],  # noqa: S607 - git from the PATH
        capture_output=True,
        text=True,
        check=False,
    )
    if check and done.returncode:
        raise RuntimeError(f"git {' '.join(arguments)} failed: {done.stderr.strip()}")
    return done.stdout.strip() if done.returncode == 0 else ""


def base_commit(base: str | None) -> str:
    """The commit to compare against: the one named, else origin/main, else the merge base
    of HEAD with main, else main."""
    if base:
        return git("rev-parse", "--verify", f"{base}^{{commit}}")
    if git("rev-parse", "--verify", "--quiet", "origin/main^{commit}", check=False):
        return git("rev-parse", "origin/main^{commit}")
    return git("merge-base", "HEAD", "main", check=False) or git("rev-parse", "main^{commit}")


def describe(commit: str) -> str:
    return git("log", "-1", "--format=%h %s", commit)


def head_description() -> str:
    changed = git("status", "--porcelain", "--untracked-files=no", check=False)
    return describe("HEAD") + (" + uncommitted changes" if changed else "")


@contextlib.contextmanager
def checkout(commit: str) -> Iterator[Path]:
    """The commit in a temporary detached worktree (with this tree's node_modules, for the
    design system's assets), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-base-"))
    try:
        git("worktree", "add", "--detach", "--quiet", str(folder), commit)
        modules = ROOT / "node_modules"
        if modules.exists():
            (folder / "node_modules").symlink_to(modules.resolve())
        yield folder
    finally:
        git("worktree", "remove", "--force", str(folder), check=False)
        shutil.rmtree(folder, ignore_errors=True)
        git("worktree", "prune", check=False)


@dataclass
class Side:
    label: str
    root: Path
    url: str
    generated: Generated
    timings: dict[str, float]
    figures: Figures = field(default_factory=Figures)
    pages: Pages | None = None
    load: LoadFigures | None = None


def statements(side: Side) -> dict[str, int]:
    """SQL statements per page, counted with the side's own app."""
    emails = emails_for(side.generated.staff)
    if side.root == ROOT:
        return count_statements(side.url, emails, side.pages, downloads=False)
    pages = dataclasses.asdict(side.pages)
    return side_command(side.root, "count", side.url, emails=emails, pages=pages, downloads=False)


def compare_database(database: str, roots: dict[str, Path], args, now: datetime) -> list[Side]:
    with contextlib.ExitStack() as stack:
        sides = []
        for label, root in roots.items():
            log(f"{database}, {label}: creating the database, N={args.n:,}")
            url = stack.enter_context(fresh_database(database))
            generated, timings = build(url, args.n, root=root, now=now)
            log(
                f"  migrated in {timings['migrate']:.1f} s, generated {generated.cases:,} "
                f"cases, {generated.events:,} events in {timings['generate']:.1f} s"
            )
            sides.append(Side(label, root, url, generated, timings))
        if len({(s.generated.cases, s.generated.events, s.generated.notes) for s in sides}) > 1:
            raise RuntimeError("The two sides were not given the same data")
        targets = []
        for side in sides:
            side.pages = choose_pages(side.url, now)
            started = time.perf_counter()
            side.figures.statements = statements(side)
            log(f"  {side.label}: statements counted in {time.perf_counter() - started:.1f} s")
            port, process = stack.enter_context(
                gunicorn(side.url, root=side.root, workers=args.workers)
            )
            browsers = signed_in_browsers(port, emails_for(side.generated.staff))
            targets.append(
                Target(port, process, side.pages, browsers, side.figures, workers=args.workers)
            )
        log(f"{database}: measuring the pages, base and head alternately")
        measure(targets, args.requests, 0, args.budget)
        if args.seconds > 0 and args.staff > 0:
            loads = []
            for side, target in zip(sides, targets, strict=True):
                load = Load(target.port, side.url, side.generated.staff, args.staff)
                log(f"  {side.label}: signing in {args.staff} staff for the load test")
                load.sign_in_all()
                loads.append(load)
            slices = max(1, round(args.seconds / 10))
            log(
                f"{database}: load test, {args.staff} staff for {args.seconds:.0f} s on each "
                f"side, in {slices} alternating slices"
            )
            for i in range(slices):
                for load in loads if i % 2 == 0 else loads[::-1]:
                    load.run(args.seconds / slices)
            for side, load in zip(sides, loads, strict=True):
                side.load = figures(load)
                log(
                    f"  {side.label}: {side.load.per_second:.1f} requests/s, "
                    f"{side.load.errors} errors, {side.load.lost} lost"
                )
    return sides


def ratio(head: float, base: float) -> str:
    return f"{head / base:.2f}x" if base else "-"


def table(results: dict[str, list[Side]]) -> str:
    lines = [
        "| database | page | base p50 ms | head p50 ms | head/base | base p95 ms | head p95 ms "
        "| head/base | statements base / head |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for database, (base, head) in results.items():
        for name in head.figures.p95:
            b, h = base.figures, head.figures
            st_b, st_h = b.statements.get(name), h.statements.get(name)
            mark = "" if st_b == st_h else (" fewer" if (st_h or 0) < (st_b or 0) else " MORE")
            lines.append(
                f"| {database} | {name} | {b.p50[name]:.1f} | {h.p50[name]:.1f} | "
                f"{ratio(h.p50[name], b.p50[name])} | {b.p95[name]:.1f} | {h.p95[name]:.1f} | "
                f"{ratio(h.p95[name], b.p95[name])} | {st_b} / {st_h}{mark} |"
            )
        if base.load and head.load:
            bl, hl = base.load, head.load
            lines.append(
                f"| {database} | load test requests/s | {bl.per_second:.1f} | "
                f"{hl.per_second:.1f} | {ratio(hl.per_second, bl.per_second)} | - | - | - | - |"
            )
            for kind in hl.kinds:
                if kind not in bl.kinds:
                    continue
                k_b, k_h = bl.kinds[kind], hl.kinds[kind]
                lines.append(
                    f"| {database} | load test: {kind} | {k_b['p50']:.0f} | {k_h['p50']:.0f} | "
                    f"{ratio(k_h['p50'], k_b['p50'])} | {k_b['p95']:.0f} | {k_h['p95']:.0f} | "
                    f"{ratio(k_h['p95'], k_b['p95'])} | - |"
                )
    return "\n".join(lines)


def load_lines(results: dict[str, list[Side]]) -> list[str]:
    lines = []
    for database, sides in results.items():
        for side in sides:
            f = side.load
            if f is None:
                continue
            w = f.writes
            lines.append(
                f"{database} {side.label}: {staff_line(f)}, {f.seconds:.0f} s, {f.requests:,} "
                f"requests, {f.per_second:.1f} requests/s, {f.errors} errors, {f.not_saved} not "
                f"saved (someone else's change first); confirmed writes {w['notes']} notes and "
                f"{w['actions']} actions, {'none' if f.lost == 0 else f.lost} lost"
            )
            lines.extend(f"  {example}" for example in f.examples)
        base, head = sides
        if base.load and head.load and base.load.per_second:
            r = head.load.per_second / base.load.per_second
            verdict = "met" if r >= THROUGHPUT_TARGET else "NOT MET"
            lines.append(
                f"{database}: head's throughput is {r:.2f}x the base's (target "
                f"{THROUGHPUT_TARGET}x against today's main: {verdict})"
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="commit to compare against (default: origin/main, else the merge base with main)")  # fmt: skip
    parser.add_argument("--n", type=int, default=10_000, help="cases to generate (default 10,000)")
    parser.add_argument("--databases", default="sqlite", help="sqlite, postgresql or both")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--budget", type=float, default=120, help="at most this many seconds of page requests a database")  # fmt: skip
    load_arguments(parser)
    args = parser.parse_args(argv)
    if not 0 <= args.staff <= 500 or not 0 <= args.seconds <= 900:
        parser.error("--staff from 0 to 500, --seconds from 0 to 900")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.perf_counter()
    commit = base_commit(args.base)
    heading = (
        f"bench-compare, N={args.n:,}: base {describe(commit)}; head {head_description()} "
        f"(the working tree)"
    )
    log(heading)
    now = datetime.now(UTC)
    results = {}
    with checkout(commit) as base_root:
        for database in args.databases.split(","):
            results[database] = compare_database(
                database, {"base": base_root, "head": ROOT}, args, now
            )
    print()
    print(heading)
    print(table(results))
    print()
    print("\n".join(load_lines(results)))
    print(f"Whole comparison: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
