"""The load test: N signed-in staff for S seconds against gunicorn, reading and writing.

Each member of staff is a thread with its own browser (its own session), signed in as a
person does (two-factor code for the practice managers) and going round a realistic mix of
requests with no pause between them: home, the queue, a case page, the monthly report
(practice managers), adding a note, and taking a workflow action (a GP starts the review of a
case assigned to them; a practice manager assigns or hands on a case, with a reason). Notes
and actions go through the forms as a browser does: the form is opened, then submitted with
its CSRF token and the case version it showed.

It reports requests per second, p50/p95 per kind of request and the errors, and afterwards
checks that every write the server confirmed (a 302 after the POST) is in the database: each
note by its unique text, each action by its event.

    .venv/bin/python -m bench.load --n 10000 --staff 50 --seconds 60

Loopback only; stops by itself after S seconds (each request also times out after 30 s).
"""

import argparse
import contextlib
import random
import signal
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from sqlalchemy import bindparam, create_engine, inspect, text

from bench.client import Browser, sign_in
from bench.measure import percentile
from bench.report import log
from bench.server import build, engine_url, fresh_database, gunicorn

LOAD_WORKERS = 4  # gunicorn sync workers, as the throughput was first measured
TIMEOUT = 30  # seconds for one request
MANAGER = "practice_manager"
# How the staff divide between the roles, and what each does (weights).
ROLE_SHARE = {"reception": 0.4, "gp": 0.44, MANAGER: 0.16}
MIX = {
    "reception": {"home": 25, "queue": 30, "case": 30, "note": 15},
    "gp": {"home": 25, "queue": 20, "case": 30, "note": 13, "action": 12},
    MANAGER: {"home": 15, "queue": 20, "case": 25, "monthly": 15, "note": 10, "action": 15},
}
ACTION_EVENTS = {"start-review": ("review_started",), "assign": ("assigned", "reassigned")}


class FormFields(HTMLParser):
    """The hidden inputs of a page's forms and the options of its reviewer list."""

    def __init__(self):
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.options: list[tuple[str, bool]] = []
        self._in_reviewer = False

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "input" and found.get("type") == "hidden" and found.get("name"):
            self.hidden.setdefault(found["name"], found.get("value") or "")
        elif tag == "select":
            self._in_reviewer = found.get("name") == "reviewer"
        elif tag == "option" and self._in_reviewer:
            self.options.append((found.get("value") or "", "selected" in found))

    def handle_endtag(self, tag):
        if tag == "select":
            self._in_reviewer = False


def form_fields(html: bytes) -> FormFields:
    parser = FormFields()
    parser.feed(html.decode())
    parser.close()
    return parser


@dataclass
class Outcome:
    """The replies to each kind of request: times, and how many of each kind of answer."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    not_saved: Counter = field(default_factory=Counter)  # form shown again: someone else's change
    errors: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # confirmed notes' texts
    actions: Counter = field(default_factory=Counter)  # confirmed (reference, email, action)
    window: float = 0.0  # seconds the staff were sending requests, over every run
    in_window: int = 0  # answers received within that time: the throughput's numerator


@dataclass
class Member:
    """One member of staff: role, account, browser, and the cases they act on."""

    role: str
    email: str
    browser: Browser
    number: int
    rng: random.Random
    own_cases: list[str] = field(default_factory=list)
    written: int = 0


class Load:
    """Signed-in staff against one served app; run() may be called more than once (bench-compare
    alternates between two servers), and check() compares confirmed writes with the database."""

    def __init__(self, port: int, url: str, staff, members: int, seed: int = 24):
        self.port, self.url, self.staff = port, url, staff
        self.outcome = Outcome()
        self.lock = threading.Lock()
        self.stop = 0.0
        self.run_id = f"{datetime.now(UTC):%H%M%S}-{port}"
        self.members = self._members(members, seed)
        self._read_cases()

    def _members(self, count: int, seed: int) -> list[Member]:
        roles: list[str] = []
        for role, share in ROLE_SHARE.items():
            roles += [role] * round(count * share)
        while len(roles) < count:
            roles.append("reception")
        roles = roles[:count]
        taken: Counter = Counter()
        members = []
        for i, role in enumerate(roles):
            accounts = self.staff.accounts[role]
            email = accounts[taken[role] % len(accounts)]
            taken[role] += 1
            browser = Browser(self.port, timeout=TIMEOUT)
            members.append(Member(role, email, browser, i, random.Random(seed * 1000 + i)))
        return members

    def _read_cases(self) -> None:
        """The cases to open, to add notes to and to act on, from the generated data."""
        engine = create_engine(engine_url(self.url))
        with engine.connect() as connection:
            total = connection.execute(text("SELECT MAX(id) FROM cases")).scalar_one()
            ids = [1 + (total - 1) * i // 199 for i in range(200)]
            self.cases = list(
                connection.execute(
                    text("SELECT reference FROM cases WHERE id IN :ids").bindparams(
                        bindparam("ids", expanding=True)
                    ),
                    {"ids": ids},
                ).scalars()
            )
            open_cases = connection.execute(
                text(
                    "SELECT c.id, c.reference, c.stage, u.email FROM cases c "
                    "LEFT JOIN users u ON u.id = c.reviewer_id "
                    "WHERE c.stage != 'closed' ORDER BY c.id"
                )
            ).all()
            self.first_event = connection.execute(
                text("SELECT COALESCE(MAX(id), 0) FROM events")
            ).scalar_one()
        if "totp_last_step" in {c["name"] for c in inspect(engine).get_columns("users")}:
            # The bench's own sign-ins before the load used some time steps' codes: forget
            # them, so the staff's sign-ins may use any step the server accepts.
            with engine.begin() as connection:
                connection.execute(text("UPDATE users SET totp_last_step = NULL"))
        engine.dispose()
        self.open_cases = [row.reference for row in open_cases] or self.cases
        # Odd ids for the practice managers to assign, even ids for their GPs to start: one
        # person's action rarely meets another's on the same case.
        managers = [m for m in self.members if m.role == MANAGER]
        assignable = [
            r.reference
            for r in open_cases
            if r.id % 2 and r.stage in ("logged", "assigned", "in_review")
        ]
        for i, reference in enumerate(assignable):
            if managers:
                managers[i % len(managers)].own_cases.append(reference)
        by_gp = defaultdict(list)
        for r in open_cases:
            if r.id % 2 == 0 and r.stage == "assigned" and r.email:
                by_gp[r.email].append(r.reference)
        gps = defaultdict(list)
        for m in self.members:
            if m.role == "gp":
                gps[m.email].append(m)
        for email, references in by_gp.items():
            for i, reference in enumerate(references):
                if gps.get(email):
                    gps[email][i % len(gps[email])].own_cases.append(reference)

    # --- signing in ---------------------------------------------------------------------

    def sign_in_all(self) -> None:
        """Everyone signs in: those with two-factor sign-in one after another, as a code is
        accepted once per account and time step and the server accepts the steps either side
        of its own (so an account signs in at most three times a step, in order, waiting for
        the next step when it needs a fourth); the others eight at a time."""
        last_step: dict[str, int] = {}

        def step_for(email: str):
            def choose() -> int:
                while True:
                    now = time.time()
                    current = int(now // 30)
                    if 30 - now % 30 < 3:  # too close to the next step: wait for it
                        time.sleep(30 - now % 30 + 0.1)
                        continue
                    step = max(last_step.get(email, current - 2) + 1, current - 1)
                    if step <= current + 1:
                        last_step[email] = step
                        return step
                    time.sleep(30 - now % 30 + 0.1)

            return choose

        for member in self.members:
            if member.email in self.staff.two_factor:
                sign_in(member.browser, member.email, code_step=step_for(member.email))
        with ThreadPoolExecutor(8) as pool:
            others = [m for m in self.members if m.email not in self.staff.two_factor]
            list(pool.map(lambda m: sign_in(m.browser, m.email), others))

    # --- the requests ----------------------------------------------------------------------

    def _record(self, kind: str, reply, expected: tuple[int, ...], path: str) -> str:
        """'ok', 'not saved' (a form shown again, or refused: someone else's change came
        first) or 'error'; the time goes with its kind."""
        status = reply.status if reply is not None else 0
        if status in expected:
            result = "ok"
        elif status in (200, 403, 409) and kind in ("add note", "action", "action form"):
            result = "not saved"
        else:
            result = "error"
        with self.lock:
            if reply is not None:
                self.outcome.seconds[kind].append(reply.seconds)
                if time.monotonic() <= self.stop:
                    self.outcome.in_window += 1
            if result == "not saved":
                self.outcome.not_saved[kind] += 1
            elif result == "error":
                self.outcome.errors[kind] += 1
                if len(self.outcome.examples) < 5:
                    self.outcome.examples.append(f"{kind}: {path} answered {status or 'nothing'}")
        return result

    def _get(self, member: Member, kind: str, path: str, expected=(200,)):
        try:
            reply = member.browser.request("GET", path)
        except OSError as problem:
            self._record(kind, None, expected, f"{path} ({problem.__class__.__name__})")
            return None
        return reply if self._record(kind, reply, expected, path) == "ok" else None

    def _post(self, member: Member, kind: str, path: str, form: dict) -> bool:
        try:
            reply = member.browser.request("POST", path, form)
        except OSError as problem:
            self._record(kind, None, (302,), f"{path} ({problem.__class__.__name__})")
            return False
        return self._record(kind, reply, (302,), path) == "ok"

    def add_note(self, member: Member) -> None:
        reference = member.rng.choice(self.open_cases)
        page = self._get(member, "note form", f"/cases/{reference}/add-note")
        if page is None:
            return
        member.written += 1
        note = f"Bench load {self.run_id} {member.number}-{member.written}: called the patient."
        form = {**form_fields(page.body).hidden, "text": note}
        if self._post(member, "add note", f"/cases/{reference}/add-note", form):
            with self.lock:
                self.outcome.notes.append(note)

    def take_action(self, member: Member) -> None:
        """A GP starts the review of one of their assigned cases (each once); a practice
        manager assigns or hands on one of theirs, in turn. A note when there is none."""
        if not member.own_cases:
            return self.add_note(member)
        if member.role == MANAGER:
            reference = member.own_cases[member.written % len(member.own_cases)]
            action = "assign"
        else:
            reference, action = member.own_cases.pop(), "start-review"
        path = f"/cases/{reference}/{action}"
        page = self._get(member, "action form", path)
        if page is None:
            return None
        member.written += 1
        found = form_fields(page.body)
        form = dict(found.hidden)
        if action == "assign":
            others = [value for value, chosen in found.options if value and not chosen]
            if not others:
                return None
            form["reviewer"] = member.rng.choice(others)
            form["reason"] = f"Bench load {self.run_id} {member.number}-{member.written}: away."
        else:
            form["review_type"] = "notes"
        if self._post(member, "action", path, form):
            with self.lock:
                self.outcome.actions[(reference, member.email, action)] += 1
        return None

    def step(self, member: Member, month: str) -> None:
        mix = MIX[member.role]
        kind = member.rng.choices(list(mix), list(mix.values()))[0]
        if kind == "home":
            self._get(member, "home", "/")
        elif kind == "queue":
            self._get(member, "queue", "/queue")
        elif kind == "case":
            self._get(member, "case page", f"/cases/{member.rng.choice(self.cases)}")
        elif kind == "monthly":
            self._get(member, "monthly report", f"/reports/monthly?month={month}")
        elif kind == "note":
            self.add_note(member)
        else:
            self.take_action(member)

    def run(self, seconds: float) -> None:
        """Every member goes round the mix until the time is up (no new request after it).
        Throughput counts the answers received within the time, over the time: the requests
        still being answered when it ends are timed but not counted."""
        this_month = datetime.now(UTC).date().replace(day=1)
        month = f"{this_month - timedelta(days=1):%Y-%m}"
        self.stop = stop = time.monotonic() + seconds

        def work(member: Member) -> None:
            while time.monotonic() < stop:
                self.step(member, month)

        threads = [threading.Thread(target=work, args=(m,), daemon=True) for m in self.members]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 2 * TIMEOUT + 10)
        self.outcome.window += seconds

    # --- afterwards ------------------------------------------------------------------------

    def check(self) -> dict[str, int]:
        """Every confirmed write looked for in the database: notes by their text, actions by
        their events (by that person, on that case, since the load began)."""
        engine = create_engine(engine_url(self.url))
        with engine.connect() as connection:
            texts = set(
                connection.execute(
                    text("SELECT text FROM case_notes WHERE text LIKE :prefix"),
                    {"prefix": f"Bench load {self.run_id} %"},
                ).scalars()
            )
            kinds = {kind: action for action, ks in ACTION_EVENTS.items() for kind in ks}
            rows = connection.execute(
                text(
                    "SELECT c.reference, u.email, e.kind, COUNT(*) AS n FROM events e "
                    "JOIN cases c ON c.id = e.case_id JOIN users u ON u.id = e.actor_id "
                    "WHERE e.id > :first AND e.kind IN :kinds "
                    "GROUP BY c.reference, u.email, e.kind"
                ).bindparams(bindparam("kinds", expanding=True)),
                {"first": self.first_event, "kinds": list(kinds)},
            ).all()
        engine.dispose()
        events: Counter = Counter()
        for row in rows:
            events[(row.reference, row.email, kinds[row.kind])] += row.n
        notes = self.outcome.notes
        actions = self.outcome.actions
        return {
            "notes": len(notes),
            "notes_found": sum(1 for note in notes if note in texts),
            "actions": sum(actions.values()),
            "actions_found": sum(min(n, events[key]) for key, n in actions.items()),
        }


@dataclass
class LoadFigures:
    """What one load test measured, for the tables."""

    members: Counter
    seconds: float
    requests: int
    per_second: float
    kinds: dict[str, dict[str, float]]
    errors: int
    not_saved: int
    writes: dict[str, int]
    examples: list[str]

    @property
    def lost(self) -> int:
        w = self.writes
        return w["notes"] - w["notes_found"] + w["actions"] - w["actions_found"]


def figures(load: Load) -> LoadFigures:
    o = load.outcome
    kinds = {}
    for kind, seconds in sorted(o.seconds.items()):
        kinds[kind] = {
            "requests": len(seconds),
            "p50": statistics.median(seconds) * 1000,
            "p95": percentile(seconds, 0.95) * 1000,
            "errors": o.errors[kind],
            "not_saved": o.not_saved[kind],
        }
    for kind, n in o.errors.items():  # kinds that only failed
        kinds.setdefault(kind, {"requests": 0, "p50": 0, "p95": 0, "errors": n, "not_saved": 0})
    requests = sum(len(s) for s in o.seconds.values())
    return LoadFigures(
        members=Counter(m.role for m in load.members),
        seconds=o.window,
        requests=requests,
        per_second=o.in_window / o.window if o.window else 0.0,
        kinds=kinds,
        errors=sum(o.errors.values()),
        not_saved=sum(o.not_saved.values()),
        writes=load.check(),
        examples=list(o.examples),
    )


def staff_line(f: LoadFigures) -> str:
    m = f.members
    gps = f"{m['gp']} GP" + ("s" if m["gp"] != 1 else "")
    managers = f"{m[MANAGER]} practice manager" + ("s" if m[MANAGER] != 1 else "")
    return f"{sum(m.values())} staff ({m['reception']} reception, {gps}, {managers})"


def load_table(results: list[tuple[str, LoadFigures]]) -> str:
    """One row per kind of request for each database, then the totals and the writes."""
    lines = [
        "| database | request | requests | p50 ms | p95 ms | not saved | errors |",
        "|---|---|---|---|---|---|---|",
    ]
    for database, f in results:
        for kind, k in f.kinds.items():
            lines.append(
                f"| {database} | {kind} | {k['requests']:,} | {k['p50']:.0f} | {k['p95']:.0f} | "
                f"{k['not_saved']} | {k['errors']} |"
            )
        lines.append(
            f"| {database} | all: {f.per_second:.1f} requests/s | {f.requests:,} | - | - | "
            f"{f.not_saved} | {f.errors} |"
        )
    lines.append("")
    for database, f in results:
        w = f.writes
        lines.append(
            f"{database}: {staff_line(f)} for {f.seconds:.0f} s: {f.per_second:.1f} requests/s, "
            f"{f.errors} errors; confirmed writes {w['notes']} notes and {w['actions']} actions, "
            f"found {w['notes_found']} and {w['actions_found']}: "
            f"{'none lost' if f.lost == 0 else f'{f.lost} LOST'}"
        )
        lines.extend(f"  {example}" for example in f.examples)
    return "\n".join(lines)


def run_database(database: str, args) -> LoadFigures:
    with contextlib.ExitStack() as stack:
        log(f"{database}, N={args.n:,}: creating the database")
        url = stack.enter_context(fresh_database(database))
        generated, timings = build(url, args.n)
        log(
            f"  migrated in {timings['migrate']:.1f} s, generated {generated.cases:,} cases in "
            f"{timings['generate']:.1f} s"
        )
        port, _process = stack.enter_context(gunicorn(url, workers=args.workers))
        load = Load(port, url, generated.staff, args.staff)
        log(f"  signing in {args.staff} staff")
        load.sign_in_all()
        log(f"  {args.staff} staff for {args.seconds:.0f} s against {args.workers} workers")
        load.run(args.seconds)
        found = figures(load)
        log(f"  {found.per_second:.1f} requests/s, {found.errors} errors, {found.lost} lost")
        return found


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--staff", type=int, default=50, help="signed-in staff (default 50)")
    parser.add_argument(
        "--seconds", type=float, default=60, help="how long the load lasts (default 60)"
    )
    parser.add_argument(
        "--workers", type=int, default=LOAD_WORKERS, help="gunicorn workers (default 4)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="cases to generate (default 10,000)")
    parser.add_argument("--databases", default="sqlite,postgresql")
    arguments(parser)
    args = parser.parse_args(argv)
    if not 1 <= args.staff <= 500 or not 0 < args.seconds <= 900:
        parser.error("--staff from 1 to 500, --seconds up to 900")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = [(database, run_database(database, args)) for database in args.databases.split(",")]
    print()
    print(load_table(results))
    return 0 if all(f.errors == 0 and f.lost == 0 for _, f in results) else 1


if __name__ == "__main__":
    sys.exit(main())
