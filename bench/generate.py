"""Ten years of a large practice's second-opinion requests, written by bulk insert.

Each case is simulated from the day it was received: assignment, review, outcome, PALS and
closure each take a random time, and the case's stage is the last step reached by today. The
spreads over stages, routes and outcomes therefore come out as a real practice's would: almost
every old case closed, a few weeks' intake open. About ten events per case (logged, each
action, notes, views) go into the append-only events table.

Rows go in with one multi-row statement per batch (SQLAlchemy Core), or COPY on PostgreSQL.
"""

import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import Connection, MetaData, Table, inspect, text
from werkzeug.security import generate_password_hash

from tracker import clock
from tracker.audit.models import Event
from tracker.cases.models import Case, CaseNote, CaseSequence
from tracker.staff.models import User
from tracker.workdays import DEFAULT_REGION, WorkingCalendar

# bench-compare runs this generator against older checkouts of the app too, so that both sides
# get the same cases from the same seed: what an older app lacks is left out.
try:
    from tracker.cases.models import CLOCK_DATES, keep_clock_dates
except ImportError:  # before due dates were kept on each case
    from tracker.cases.models import count_working_days as keep_clock_dates

    CLOCK_DATES = ("working_days_to_assign", "working_days_to_outcome")
try:
    from tracker.cases.models import CaseNameWord
    from tracker.names import name_words
except ImportError:  # before the name search's word index
    CaseNameWord = name_words = None

YEARS = 10
BATCH_CASES = 2_000
# The one practice every generated row belongs to, in a network of its own.
PRACTICE_ID = PCN_ID = 1
PRACTICES = "practices"


def _naive(moment: datetime) -> datetime:
    """UTC without its zone, as the app stores it (for tables written without its models)."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def _reflected(connection: Connection, name: str) -> Table:
    return Table(name, MetaData(), autoload_with=connection)


BENCH_PASSWORD = "bench-password-long-enough"  # noqa: S105 - bench database only
# A fixed authenticator secret for the bench accounts, used only when two-factor sign-in exists.
BENCH_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - bench database only

ROUTES = {
    "discuss_again_own_gp": 14,
    "second_opinion_gp": 38,
    "senior_partner": 12,
    "practice_manager": 8,
    "pals": 9,
    "register_elsewhere": 5,
    "unsure": 14,
}
CHANNELS = {"in_person": 30, "telephone": 35, "letter": 5, "email": 15, "online": 15}
OUTCOMES = {
    "first_opinion_confirmed": 38,
    "different_opinion": 18,
    "referred_onward": 12,
    "tests_arranged": 14,
    "returned_to_own_gp": 8,
    "withdrawn": 5,
    "no_contact": 5,
}
RESPONSES = {"satisfied": 62, "still_concerned": 23, "not_known": 15}
FIRST_NAMES = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Sophia",
    "Grace",
    "Freya",
    "Noah",
    "Oliver",
    "George",
    "Arthur",
    "Leo",
    "Muhammad",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Jack",
    "Charlie",
    "Aisha",
    "Priya",
    "Zara",
    "Fatima",
    "Kwame",
    "Tomasz",
    "Ewa",
    "Siobhan",
    "Rhys",
    "Dylan",
    "Megan",
    "Bethan",
    "Connor",
    "Amir",
    "Yusuf",
    "Mei",
    "Chen",
    "Ana",
]  # noqa: SIM905 - a list of words, easier to read
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Robinson",
    "Wood",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Thomas",
    "Clarke",
    "Jackson",
    "Wright",
    "Hughes",
    "Khan",
    "Ali",
    "Begum",
    "Nowak",
    "Kowalski",
    "Murphy",
    "O'Brien",
    "Okafor",
    "Mensah",
    "Singh",
    "Kaur",
    "Chen",
    "Wong",
    "Ahmed",
    "Hussain",
]  # noqa: SIM905
# The rest of the names, made from parts: 600 given names and 1,000 family names.
GIVEN_NAME_PARTS = (
    "Al Bea Car Dor El Fen Gil Hel Is Jo Kat Lu Ma Nor Os Pen Ros Sam Tes Vi Wen Ar Cel Dan Ed Fi Han Ja Lor Mi".split(),  # noqa: SIM905, E501
    "a ie en ina on ia el is ey an ette o ara ton ine ius ell y er ana".split(),  # noqa: SIM905
)
FAMILY_NAME_PARTS = (
    "Ash Brad Brook Cal Crom Dun Elm Fair Hale Hart Hol Kings Lang Mar Mid Nor Pem Ray Red Ring Sal Stan Thorn Wal West Whit Wil Win Ack Bar Bel Chap Cres Dal Fen Gar Hay Kel Lin Mor".split(),  # noqa: SIM905, E501
    "ford ley ton field well by wick ham worth more wood stead bury cott den hurst ridge combe dale shaw thwaite stone gate bridge marsh".split(),  # noqa: SIM905, E501
)


class NamePicker:
    """Names as a practice's list has them: a few common names shared by many patients (the
    commonest family name by about one patient in fifty, as Smith is in England) and a long
    tail of names each shared by few. `common_share` of the picks come from the common names,
    the first the commonest (Zipf-like weights with exponent `skew`); the rest from the names
    made of parts, evenly. A name search's cost follows how many patients share the words
    typed, so ten years of a practice must not have only the common names."""

    def __init__(
        self, rng: random.Random, common: list[str], parts, common_share: float, skew: float
    ):
        self.rng, self.common, self.common_share = rng, common, common_share
        self.weights = [1 / (rank + 1) ** skew for rank in range(len(common))]
        self.tail = [start + end for start in parts[0] for end in parts[1]]

    def __call__(self) -> str:
        if self.rng.random() < self.common_share:
            return self.rng.choices(self.common, self.weights)[0]
        return self.rng.choice(self.tail)


CONCERNS = (
    "Was told the headaches are tension-related and would like another view.",
    "Worried the knee pain was not examined properly and wants a second opinion.",
    "Disagrees with the decision not to refer to a specialist for the skin lesion.",
    "Would like another GP to look again at the blood test results.",
    "Feels the medication change was not explained and wants to discuss it with someone else.",
    "Concerned that the breathlessness has not been investigated.",
    "Asks whether the diagnosis of irritable bowel syndrome is right.",
    "Wants a different doctor to review the child's recurring ear infections.",
)
NOTES = (
    "Called the patient to confirm the appointment.",
    "Patient asked for a female GP if possible.",
    "Letter sent explaining the options, including PALS.",
    "Reviewed the records before the appointment.",
    "Left a voicemail; will try again tomorrow.",
)


@dataclass
class Staff:
    reception: list[int] = field(default_factory=list)
    gps: list[int] = field(default_factory=list)
    seniors: list[int] = field(default_factory=list)
    managers: list[int] = field(default_factory=list)
    leaver_gp: int = 0
    sign_in_email: str = ""
    # Every active account's email by role, for the load test's signed-in staff; all have
    # BENCH_PASSWORD, and those in `two_factor` sign in with a code from BENCH_TOTP_SECRET.
    accounts: dict[str, list[str]] = field(default_factory=dict)
    two_factor: set[str] = field(default_factory=set)


@dataclass
class Generated:
    cases: int = 0
    events: int = 0
    notes: int = 0
    stages: Counter = field(default_factory=Counter)
    routes: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    reviewers: Counter = field(default_factory=Counter)
    years: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    staff: Staff = field(default_factory=Staff)


def _weighted(rng: random.Random, weights: dict[str, int]):
    keys, values = list(weights), list(weights.values())
    return lambda: rng.choices(keys, values)[0]


def nhs_number(rng: random.Random) -> str:
    """A random NHS number that passes the Modulus 11 check."""
    while True:
        digits = [rng.randrange(10) for _ in range(9)]
        if digits[0] == 0:
            continue
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def _at_work(day: date, rng: random.Random) -> datetime:
    """A moment in the working day (08:00 to 18:00 UTC) of this date."""
    return datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(10 * 3600)
    )


def _later(moment: datetime, rng: random.Random, low: int, high: int) -> datetime:
    """Some working days later (weekends skipped), at a working hour."""
    day = moment.date() + timedelta(days=rng.randint(low, high))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    found = _at_work(day, rng)
    return found if found > moment else moment + timedelta(minutes=rng.randint(5, 240))


@dataclass
class PracticeToMake:
    """Where one generated practice's rows go: its id and network, the first id its accounts
    take, and the domain of their emails."""

    id: int = PRACTICE_ID
    pcn_id: int = PCN_ID
    name: str = "Bench Medical Centre"
    ods_code: str = "B99999"
    first_user_id: int = 1
    domain: str = "bench.example"
    new_pcn: bool = True


def create_staff(
    connection: Connection, now: datetime, practice: PracticeToMake | None = None
) -> Staff:
    """Reception, ten GPs (two senior partners, one who has left) and the practice manager."""
    practice_made = practice or PracticeToMake()
    domain = practice_made.domain
    has_two_factor = "totp_secret" in {c["name"] for c in inspect(connection).get_columns("users")}
    password_hash = generate_password_hash(BENCH_PASSWORD, method="pbkdf2:sha256:1000")
    staff, rows = Staff(), []

    def add(role, name, email, *, senior=False, active=True, two_factor=False):
        user_id = practice_made.first_user_id + len(rows)
        row = {
            "id": user_id,
            "email": email,
            "full_name": name,
            "role": role,
            "is_senior_partner": senior,
            "active": active,
            "password_hash": password_hash,
            "must_change_password": False,
            "failed_signin_count": 0,
            "is_demo": False,
            "created_at": now - timedelta(days=YEARS * 366),
            "deactivated_at": None if active else now - timedelta(days=3 * 365),
        }
        if has_two_factor:
            row["totp_secret"] = BENCH_TOTP_SECRET if two_factor else None
            row["totp_enabled_at"] = now if two_factor else None
        rows.append(row)
        if active:
            staff.accounts.setdefault(role, []).append(email)
        if two_factor:
            staff.two_factor.add(email)
        return user_id

    for i, name in enumerate(["Rita Reid", "Sam Osei", "Jo Parry", "Kim Lowe", "Ade Bello"]):
        staff.reception.append(add("reception", name, f"reception{i}@{domain}"))
    gp_names = [
        "Dr Asha Rao", "Dr Ben Carter", "Dr Cara Doyle", "Dr Dev Mistry", "Dr Ellen Fox",
        "Dr Femi Ade", "Dr Grace Lin", "Dr Huw Morgan", "Dr Iris Kaur",
    ]  # fmt: skip
    for i, name in enumerate(gp_names):
        gp = add("gp", name, f"gp{i}@{domain}", senior=i < 2)
        staff.gps.append(gp)
        if i < 2:
            staff.seniors.append(gp)
    staff.leaver_gp = add("gp", "Dr Jon Left", f"left@{domain}", active=False)
    # The bench signs in as the practice manager, enrolled for two-factor sign-in as a real
    # practice manager must be, so "my cases" holds a reviewer's real share of the work.
    staff.managers.append(
        add("practice_manager", "Mo Manager", f"manager@{domain}", two_factor=True)
    )
    staff.sign_in_email = f"manager@{domain}"
    # A deputy and an operations manager share the manager's work in the load test (no case
    # is theirs); like every manager they sign in with a code.
    for name, local in (("Pat Deputy", "deputy"), ("Lee Ops", "ops")):
        add("practice_manager", name, f"{local}@{domain}", two_factor=True)
    connection.execute(User.__table__.insert(), _fit(User.__table__, rows))
    # What the checkout's schema holds (an older app has one settings row and one role on
    # each account; its models may not be the ones imported here).
    tables = set(inspect(connection).get_table_names())
    practice = {
        "id": practice_made.id,
        "practice_name": practice_made.name,
        "ods_code": practice_made.ods_code,
    }
    if "pcns" in tables:
        if practice_made.new_pcn:
            connection.execute(
                _reflected(connection, "pcns").insert(),
                [
                    {
                        "id": practice_made.pcn_id,
                        "name": f"Bench PCN {practice_made.pcn_id}",
                        "created_at": _naive(now),
                    }
                ],
            )
        practice["pcn_id"] = practice_made.pcn_id
    practices = _reflected(connection, PRACTICES if PRACTICES in tables else "practice_settings")
    connection.execute(practices.insert(), _fit(practices, [practice]))
    if "memberships" in tables:
        connection.execute(
            _reflected(connection, "memberships").insert(),
            [
                {
                    "user_id": row["id"],
                    "practice_id": practice_made.id,
                    "role": row["role"],
                    "is_senior_partner": row["is_senior_partner"],
                    "created_at": _naive(row["created_at"]),
                }
                for row in rows
            ],
        )
    return staff


class CaseWriter:
    """Simulates one case at a time and collects its rows."""

    def __init__(self, rng: random.Random, staff: Staff, now: datetime):
        self.rng, self.staff, self.now = rng, staff, now
        self.today = now.date()
        self.route = _weighted(rng, ROUTES)
        self.channel = _weighted(rng, CHANNELS)
        self.outcome = _weighted(rng, OUTCOMES)
        self.response = _weighted(rng, RESPONSES)
        self.sequences: Counter = Counter()
        self.cases: list[dict] = []
        self.notes: list[dict] = []
        self.words: list[dict] = []
        self.events: list[dict] = []
        self.calendar = WorkingCalendar(DEFAULT_REGION)
        self.given_name = NamePicker(rng, FIRST_NAMES, GIVEN_NAME_PARTS, common_share=0.3, skew=0.5)
        self.family_name = NamePicker(
            rng, LAST_NAMES, FAMILY_NAME_PARTS, common_share=0.15, skew=0.7
        )

    def received_on(self) -> date:
        rng = self.rng
        u = rng.random()
        # Half spread evenly, half growing towards today: a practice gets busier over ten years.
        fraction = u if rng.random() < 0.5 else u**0.5
        day = self.today - timedelta(days=int((1 - fraction) * YEARS * 365.25))
        if day.weekday() >= 5 and rng.random() < 0.8:
            day -= timedelta(days=day.weekday() - 4)
        return min(day, self.today)

    def event(self, case_id, kind, actor, at, from_stage=None, to_stage=None, changes=None):
        self.events.append(
            {
                "occurred_at": at,
                "actor_id": actor,
                "case_id": case_id,
                "kind": kind,
                "from_stage": from_stage,
                "to_stage": to_stage,
                "changes": changes or {},
                "detail": None,
            }
        )

    def add(self, case_id: int) -> dict:
        rng, staff, now = self.rng, self.staff, self.now
        received = self.received_on()
        route = self.route()
        logged_at = _at_work(received, rng)
        if logged_at > now:
            logged_at = now - timedelta(minutes=rng.randint(1, 60))
        by = rng.choice(staff.reception)
        old = received < self.today - timedelta(days=3 * 365)
        # Only the past year's cases may have stalled: nothing older is still open.
        self.recent = received >= self.today - timedelta(days=365)
        gps = staff.gps + ([staff.leaver_gp] if old else [])
        original = rng.choice(gps) if rng.random() < 0.9 else None
        self.sequences[received.year] += 1
        sequence = self.sequences[received.year]
        row = {
            "id": case_id,
            "reference": f"SO-{received.year}-{sequence:04d}",
            "year": received.year,
            "sequence": sequence,
            "version": 1,
            "stage": "logged",
            "nhs_number": nhs_number(rng) if rng.random() < 0.97 else None,
            # A given name, a middle name and a family name (see NamePicker).
            "patient_name": (f"{self.given_name()} {self.given_name()} {self.family_name()}"),
            "date_of_birth": date(1930, 1, 1) + timedelta(days=rng.randrange(32000)),
            "phone": f"07{rng.randrange(10**9):09d}",
            "email": None,
            "preferred_contact": rng.choice(("phone", "phone", "email", "letter")),
            "received_on": received,
            "channel": self.channel(),
            "original_gp_id": original,
            "original_gp_other": None if original else "Dr Locum Cover",
            "concern": rng.choice(CONCERNS),
            "route_requested": route,
            "already_discussed_with_own_gp": rng.random() < 0.3,
            "formal_complaint": rng.random() < 0.08,
            "urgent": rng.random() < 0.04,
            "created_at": logged_at,
            "created_by_id": by,
        }
        row["nhs_number_unknown"] = row["nhs_number"] is None
        self.event(case_id, "case_logged", by, logged_at, to_stage="logged")
        steps = self.simulate(row, logged_at, route, old)
        stage, last_actor, last_at = "logged", by, logged_at
        for at, kind, actor, to_stage, fields in steps:
            if at > now:
                break
            row.update(fields)
            self.event(case_id, kind, actor, at, stage, to_stage or stage)
            stage, last_actor, last_at = to_stage or stage, actor, at
        row["stage"] = stage
        # Bring the case up to about ten events with notes and views, before today.
        span = max(60, int((min(now, last_at + timedelta(days=30)) - logged_at).total_seconds()))
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            at = logged_at + timedelta(seconds=rng.randrange(span))
            at = min(at, now)
            author = rng.choice(staff.reception + staff.gps[:3])
            self.notes.append(
                {
                    "case_id": case_id,
                    "author_id": author,
                    "created_at": at,
                    "text": rng.choice(NOTES),
                    "clinical": author in staff.gps,
                }
            )
            self.event(case_id, "note_added", author, at)
        for _ in range(max(0, rng.randint(8, 12) - len(steps) - 2)):
            at = min(now, logged_at + timedelta(seconds=rng.randrange(span)))
            self.event(case_id, "viewed", rng.choice(staff.reception + staff.gps), at)
        row.setdefault("version", 1)
        row["version"] = 1 + len([s for s in steps if s[0] <= now])
        row["updated_at"] = last_at
        row["updated_by_id"] = last_actor
        for name in (
            "acknowledged_on", "acknowledgement_method", "reviewer_id", "first_assigned_at",
            "assigned_at", "outcome_clock_from", "review_started_at", "appointment_at",
            "outcome", "outcome_summary", "patient_response", "outcome_recorded_at",
            "pals_referred_on", "pals_referred_by", "pals_service", "pals_response_on",
            "pals_response_summary", "closed_at", "closure_reason", "registered_elsewhere_on",
        ):  # fmt: skip
            row.setdefault(name, None)
        row.setdefault("review_of_notes", False)
        # What the model keeps for every case written through it: the targets in force when it
        # was logged (the practice's defaults), its due dates and its working days.
        row.update(
            assign_target_days=2,
            acknowledge_target_days=3,
            outcome_target_days=10,
            pals_chase_working_days=10,
            bank_holiday_region=DEFAULT_REGION,
        )
        counted = SimpleNamespace(**row)
        keep_clock_dates(counted, self.calendar)
        for name in CLOCK_DATES:
            row[name] = getattr(counted, name)
        if name_words is not None:
            self.words.extend(
                {"word": w, "case_id": case_id} for w in sorted(name_words(row["patient_name"]))
            )
        self.cases.append(row)
        return row

    def reviewer_for(self, route: str, original: int | None, old: bool) -> int:
        staff, rng = self.staff, self.rng
        if route == "senior_partner":
            return rng.choice([g for g in staff.seniors if g != original] or staff.seniors)
        if route == "practice_manager" or rng.random() < 0.05:
            return staff.managers[0]
        pool = [g for g in staff.gps + ([staff.leaver_gp] if old else []) if g != original]
        return rng.choice(pool)

    def simulate(self, row: dict, logged_at: datetime, route: str, old: bool) -> list[tuple]:
        """The case's steps: (when, event kind, actor, stage after, fields set)."""
        rng, staff = self.rng, self.staff
        manager = staff.managers[0]
        steps: list[tuple] = []
        at = logged_at
        if row["formal_complaint"]:
            ack = _later(logged_at, rng, 0, 4)
            steps.append(
                (
                    ack,
                    "acknowledged",
                    manager,
                    None,
                    {"acknowledged_on": ack.date(), "acknowledgement_method": "letter"},
                )
            )
        if rng.random() < 0.06:  # returned to own GP or withdrawn before assignment
            closed = _later(at, rng, 0, 3)
            reason = "returned_to_own_gp" if route == "discuss_again_own_gp" else "withdrawn"
            steps.append(
                (closed, "closed", rng.choice(staff.reception), "closed", {"closed_at": closed})
            )
            steps[-1][4]["closure_reason"] = reason
            return sorted(steps, key=lambda s: s[0])
        if route == "pals" and rng.random() < 0.5:  # straight to PALS from the front desk
            referred = _later(at, rng, 0, 3)
            steps.append(self.pals_referral(referred, rng.choice(staff.reception), "patient"))
            steps.extend(self.after_pals(referred, route))
            return sorted(steps, key=lambda s: s[0])
        stalled = rng.random() < 0.01 and self.recent
        assigned = _later(at, rng, 0, 2 if rng.random() < 0.85 else 9)
        reviewer = self.reviewer_for(route, row["original_gp_id"], old)
        steps.append(
            (
                assigned,
                "assigned",
                manager,
                "assigned",
                {
                    "reviewer_id": reviewer,
                    "first_assigned_at": assigned,
                    "assigned_at": assigned,
                    "outcome_clock_from": assigned,
                },
            )
        )
        if stalled:
            return sorted(steps, key=lambda s: s[0])
        at = assigned
        if rng.random() < 0.08:  # handed on to another reviewer
            at = _later(at, rng, 1, 4)
            reviewer = self.reviewer_for(route, row["original_gp_id"], old)
            steps.append(
                (
                    at,
                    "reassigned",
                    manager,
                    "assigned",
                    {"reviewer_id": reviewer, "assigned_at": at},
                )
            )
        if rng.random() < 0.8:
            at = _later(at, rng, 1, 6)
            notes_only = rng.random() < 0.25
            steps.append(
                (
                    at,
                    "review_started",
                    reviewer,
                    "in_review",
                    {
                        "review_started_at": at,
                        "review_of_notes": notes_only,
                        "appointment_at": None if notes_only else _later(at, rng, 1, 5),
                    },
                )
            )
        if rng.random() < 0.01 and self.recent:
            return sorted(steps, key=lambda s: s[0])
        outcome_at = _later(at, rng, 1, 12)
        outcome = self.outcome()
        response = self.response()
        steps.append(
            (
                outcome_at,
                "outcome_recorded",
                reviewer,
                "outcome_recorded",
                {
                    "outcome": outcome,
                    "outcome_summary": "Discussed the concern and the findings with the patient.",
                    "patient_response": response,
                    "outcome_recorded_at": outcome_at,
                },
            )
        )
        if (route == "pals" or response == "still_concerned") and rng.random() < 0.3:
            referred = _later(outcome_at, rng, 0, 5)
            steps.append(self.pals_referral(referred, reviewer, "practice"))
            steps.extend(self.after_pals(referred, route))
            return sorted(steps, key=lambda s: s[0])
        closed = _later(outcome_at, rng, 0, 10)
        reason = {
            "withdrawn": "withdrawn",
            "no_contact": "no_contact",
            "returned_to_own_gp": "returned_to_own_gp",
        }.get(outcome, "resolved_in_practice")
        fields = {"closed_at": closed, "closure_reason": reason}
        if route == "register_elsewhere" and rng.random() < 0.3:
            fields["closure_reason"] = "registered_elsewhere"
            fields["registered_elsewhere_on"] = closed.date()
        steps.append((closed, "closed", manager, "closed", fields))
        return sorted(steps, key=lambda s: s[0])

    def pals_referral(self, at: datetime, actor: int, by: str) -> tuple:
        return (
            at,
            "referred_to_pals",
            actor,
            "referred_to_pals",
            {
                "pals_referred_on": at.date(),
                "pals_referred_by": by,
                "pals_service": "Bench ICB PALS",
            },
        )

    def after_pals(self, referred: datetime, route: str) -> list[tuple]:
        rng, manager = self.rng, self.staff.managers[0]
        if rng.random() < 0.02 and self.recent:
            return []  # still with PALS
        response = _later(referred, rng, 10, 60)
        closed = _later(response, rng, 0, 7)
        return [
            (
                response,
                "pals_response_recorded",
                manager,
                None,
                {
                    "pals_response_on": response.date(),
                    "pals_response_summary": "PALS spoke to the patient.",
                },
            ),
            (
                closed,
                "closed",
                manager,
                "closed",
                {"closed_at": closed, "closure_reason": "resolved_after_pals"},
            ),
        ]


def _copy(connection: Connection, table, rows: list[dict]) -> None:
    """COPY rows into a PostgreSQL table (naive UTC datetimes, JSON as text)."""
    if not rows:
        return
    columns = list(rows[0])
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:
        sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"  # noqa: S608 - our names
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(v)
                        if isinstance(v, dict)
                        else v.astimezone(UTC).replace(tzinfo=None)
                        if isinstance(v, datetime)
                        else v
                        for v in (row[c] for c in columns)
                    ]
                )


def _fit(table, rows: list[dict]) -> list[dict]:
    """The rows without the columns an older app's table does not have yet."""
    missing = set(rows[0]) - set(table.c.keys()) if rows else set()
    if not missing:
        return rows
    return [{k: v for k, v in row.items() if k not in missing} for row in rows]


def _in_the_practice(table, rows: list[dict], practice_id: int = PRACTICE_ID) -> list[dict]:
    """The rows, each naming its practice where the table keeps one."""
    if not rows or "practice_id" not in table.c or "practice_id" in rows[0]:
        return rows
    return [{**row, "practice_id": practice_id} for row in rows]


def _write(connection: Connection, table, rows: list[dict], practice_id: int = PRACTICE_ID) -> None:
    if not rows:
        return
    rows = _in_the_practice(table, _fit(table, rows), practice_id)
    if connection.dialect.name == "postgresql":
        _copy(connection, table, rows)
    else:
        connection.execute(table.insert(), rows)


@dataclass
class NextIds:
    """The next id of each table written with explicit ids, across every practice generated."""

    case: int = 1
    event: int = 1
    note: int = 1


def generate(
    connection: Connection, n: int, *, seed: int = 9, now: datetime | None = None
) -> Generated:
    """Write n cases with their notes and events, the staff and the settings; commit is the
    caller's. Returns counts of what was written and the spreads."""
    started = time.perf_counter()
    now = now or clock.now_utc()
    result = Generated()
    result.staff = create_staff(connection, now)
    writer = CaseWriter(random.Random(seed), result.staff, now)
    write_cases(connection, writer, n, result, NextIds())
    write_sequences(connection, writer)
    move_sequences_on(connection)
    result.seconds = time.perf_counter() - started
    return result


def write_cases(
    connection: Connection,
    writer: "CaseWriter",
    n: int,
    result: Generated,
    ids: NextIds,
    practice_id: int = PRACTICE_ID,
) -> None:
    """Write the writer's next n cases (one practice's), with their notes and events, in
    batches (bounded memory), counting them into result; ids continue from `ids`."""
    end = ids.case + n
    for first in range(ids.case, end, BATCH_CASES):
        for case_id in range(first, min(end, first + BATCH_CASES)):
            row = writer.add(case_id)
            result.stages[row["stage"]] += 1
            result.routes[row["route_requested"]] += 1
            result.years[row["received_on"].year] += 1
            if row["outcome"]:
                result.outcomes[row["outcome"]] += 1
            if row["reviewer_id"]:
                result.reviewers[row["reviewer_id"]] += 1
        # Each case's newest event that is news ("New for you" starts from it).
        last_change: dict[int, datetime] = {}
        for event in writer.events:
            event["id"] = ids.event
            ids.event += 1
            if event["kind"] not in ("viewed", "email_sent"):  # news (tracker/cases/news.py)
                case_id, at = event["case_id"], event["occurred_at"]
                last_change[case_id] = max(last_change.get(case_id, at), at)
        for case in writer.cases:
            case["last_change_at"] = last_change.get(case["id"])
        for note in writer.notes:
            note["id"] = ids.note
            ids.note += 1
        _write(connection, Case.__table__, writer.cases, practice_id)
        if CaseNameWord is not None:
            _write(connection, CaseNameWord.__table__, writer.words, practice_id)
        _write(connection, CaseNote.__table__, writer.notes, practice_id)
        _write(connection, Event.__table__, writer.events, practice_id)
        result.cases += len(writer.cases)
        result.notes += len(writer.notes)
        result.events += len(writer.events)
        writer.cases, writer.notes, writer.events, writer.words = [], [], [], []
    ids.case = end


def write_sequences(
    connection: Connection, writer: "CaseWriter", practice_id: int = PRACTICE_ID
) -> None:
    """The practice's reference counters, past the references the writer gave."""
    connection.execute(
        CaseSequence.__table__.insert(),
        _in_the_practice(
            CaseSequence.__table__,
            [{"year": y, "last_value": v} for y, v in sorted(writer.sequences.items())],
            practice_id,
        ),
    )


def move_sequences_on(connection: Connection) -> None:
    """On PostgreSQL, explicit ids were written: move each table's id sequence past them."""
    if connection.dialect.name != "postgresql":
        return
    tables = set(inspect(connection).get_table_names())
    written = ("users", "cases", "case_notes", "events", PRACTICES, "pcns")
    for table in (name for name in written if name in tables):
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
        )
