"""What the bench prints: progress lines while it runs, then the table of each database's
figures at N against the baseline page and against the same at 1,000 cases, and each phase's
timings."""

import time
from dataclasses import dataclass, field

from bench.generate import Generated

BASE_N = 1_000
BASELINE_NAME = "baseline (GET /login)"
MINIMAL_NAME = "minimal Flask response"
TARGET_N = 100_000
PAGE_LIMIT = 4.0  # every page's p95 within 4x the baseline's
BASELINE_LIMIT = 2.5  # the baseline's p95 within 2.5x the minimal response's


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class Figures:
    """What was measured on one served database: page latency in milliseconds, SQL statements
    per page, and each download's time, size, throughput and memory growth."""

    p50: dict[str, float] = field(default_factory=dict)
    p95: dict[str, float] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)
    downloads: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass
class Pass:
    """One database at one N: what was generated, how long each phase took, and the figures."""

    database: str
    n: int
    generated: Generated
    timings: dict[str, float]
    figures: Figures


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
        base_p95 = big.figures.p95[BASELINE_NAME]
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


def met(value: float, limit: float) -> str:
    return "met" if value <= limit else "NOT MET"


def absolute_targets(passes: list[Pass], n: int) -> str:
    """The absolute targets, as ratios measured in the same run at N: every page's p95 within
    4x the baseline's, and the baseline's within 2.5x the minimal Flask response's."""
    heading = f"Targets at N={n:,}"
    if n != TARGET_N:
        heading += f" (they are set at N={TARGET_N:,})"
    lines = [
        heading + ":",
        "| database | target | p95 ratio | |",
        "|---|---|---|---|",
    ]
    for p in passes:
        if p.n != n:
            continue
        p95 = p.figures.p95
        base = p95[BASELINE_NAME]
        if MINIMAL_NAME in p95:
            r = base / p95[MINIMAL_NAME]
            lines.append(
                f"| {p.database} | baseline p95 within {BASELINE_LIMIT}x the minimal Flask "
                f"response | {r:.2f}x | {met(r, BASELINE_LIMIT)} |"
            )
        for name, value in p95.items():
            if name in (BASELINE_NAME, MINIMAL_NAME):
                continue
            r = value / base
            lines.append(
                f"| {p.database} | {name} p95 within {PAGE_LIMIT:g}x the baseline | {r:.2f}x | "
                f"{met(r, PAGE_LIMIT)} |"
            )
    return "\n".join(lines)


def built(generated: Generated, timings: dict[str, float]) -> str:
    """The progress line for a database just migrated, filled and analysed."""
    rows = generated.cases + generated.events + generated.notes
    return (
        f"  migrated in {timings['migrate']:.1f} s; wrote {generated.cases:,} cases, "
        f"{generated.events:,} events, {generated.notes:,} notes in "
        f"{timings['generate']:.1f} s ({rows / timings['generate']:,.0f} rows/s); "
        f"analysed in {timings['analyze']:.1f} s"
    )


def phases(p: Pass) -> str:
    """How long each phase of one pass took."""
    t = p.timings
    return (
        f"{p.database} N={p.n:,}: migrate {t['migrate']:.1f} s, generate {t['generate']:.1f} s "
        f"({p.generated.events:,} events), analyse {t['analyze']:.1f} s, count statements "
        f"{t['count']:.1f} s, measure {t['measure']:.1f} s"
    )


def summary(passes: list[Pass], n: int, seconds: float) -> str:
    """The end of the run: the table, each pass's phases and the whole bench's time."""
    return "\n".join(
        [
            "",
            table(passes, n),
            "",
            absolute_targets(passes, n),
            "",
            *(phases(p) for p in passes),
            f"Whole bench: {seconds:.0f} s",
        ]
    )
