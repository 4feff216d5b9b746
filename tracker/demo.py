"""Demo staff for trying the tracker on a laptop; never for a real practice."""

from dataclasses import dataclass

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.practices.models import Practice
from tracker.practices.scope import in_practice
from tracker.practices.services import create_practice, find_practice, place_in_icb
from tracker.staff.models import Role, User, role_label
from tracker.staff.services import add_membership, add_network_role, create_user, practices_of

DEMO_PASSWORD = "second-opinion-demo"  # noqa: S105 - published demo sign-in, demo data only

DEMO_STAFF = (
    ("reception@demo.practice.example", "Rita Patel", Role.RECEPTION, False),
    ("dr.okafor@demo.practice.example", "Dr Ngozi Okafor", Role.GP, True),
    ("dr.hughes@demo.practice.example", "Dr Owen Hughes", Role.GP, False),
    ("dr.shah@demo.practice.example", "Dr Amira Shah", Role.GP, False),
    ("manager@demo.practice.example", "Helen Marsh", Role.PRACTICE_MANAGER, False),
)
# What each demo account's letters are signed as.
DEMO_JOB_TITLES = {
    "reception@demo.practice.example": "Senior receptionist",
    "dr.okafor@demo.practice.example": "Senior partner",
    "dr.hughes@demo.practice.example": "GP partner",
    "dr.shah@demo.practice.example": "Salaried GP",
    "manager@demo.practice.example": "Practice manager",
}


# The demo's primary care network: Riverside (the practice the five above work in) and
# Hillside, whose own staff are below. Dr Amira Shah is a GP of the network, working in both.
DEMO_PCN = "Riverside and Hillside PCN (demo)"


@dataclass(frozen=True)
class DemoPractice:
    ods_code: str
    name: str
    address: str
    phone: str
    short: str  # what the printed sign-ins call it


RIVERSIDE = DemoPractice(
    "Y00001", "Riverside Medical Practice (demo)", "1 River Lane\nRiverside\nRV1 2AB",
    "01632 960000", "Riverside",
)  # fmt: skip
HILLSIDE = DemoPractice(
    "Y00002", "Hillside Surgery (demo)", "4 Hill Road\nHillside\nRV8 4HS", "01632 960200",
    "Hillside",
)  # fmt: skip
HILLSIDE_STAFF = (
    ("reception@demo.hillside.example", "Sam Reed", Role.RECEPTION, False),
    ("dr.baker@demo.hillside.example", "Dr Tom Baker", Role.GP, True),
    ("manager@demo.hillside.example", "Priya Nair", Role.PRACTICE_MANAGER, False),
)
DEMO_JOB_TITLES |= {
    "reception@demo.hillside.example": "Receptionist",
    "dr.baker@demo.hillside.example": "Senior partner",
    "manager@demo.hillside.example": "Practice manager",
}
SHARED_GP = "dr.shah@demo.practice.example"
# Riverside lets the GPs of the PCN's other practices review its cases; Dr Tom Baker of
# Hillside has one of them.
OUTSIDE_REVIEWER = "dr.baker@demo.hillside.example"
# Who sees the network's practices in figures alone: the PCN's manager and the ICB's.
DEMO_ICB = "Riverside Valley ICB (demo)"
NETWORK_STAFF = (
    ("pcn@demo.network.example", "Jo Fielding", "pcn"),
    ("icb@demo.network.example", "Ravi Mehta", "icb"),
)
HILLSIDE_CASES = 15  # a smaller practice


def seed_demo() -> list[User]:
    """Add the demo network, its two practices and their staff where they are not there yet;
    the caller commits."""
    riverside = _demo_practice(RIVERSIDE)
    hillside = _demo_practice(HILLSIDE)
    added = []
    for practice, staff in ((riverside, DEMO_STAFF), (hillside, HILLSIDE_STAFF)):
        with in_practice(practice.id):
            added += [_demo_user(*person) for person in staff if not _exists(person[0])]
    shah = db.session.scalars(select(User.id).where(User.email == SHARED_GP)).first()
    if shah is not None and not any(p.id == hillside.id for p, _ in practices_of(shah)):
        add_membership(db.session.get(User, shah), practice_id=hillside.id, role=Role.GP)
    riverside.outside_reviewers_allowed = True
    icb = place_in_icb(riverside.pcn_id, DEMO_ICB)
    for email, name, level in NETWORK_STAFF:
        if not _exists(email):
            added.append(
                add_network_role(
                    email=email,
                    full_name=name,
                    password=DEMO_PASSWORD,
                    pcn_id=riverside.pcn_id if level == "pcn" else None,
                    icb_id=icb.id if level == "icb" else None,
                    must_change_password=False,
                    is_demo=True,
                )
            )
    return added


def _exists(email: str) -> bool:
    return bool(
        db.session.scalar(select(func.count()).select_from(User).where(User.email == email))
    )


def _demo_user(email: str, name: str, role: Role, senior: bool) -> User:
    return create_user(
        email=email,
        full_name=name,
        role=role,
        password=DEMO_PASSWORD,
        is_senior_partner=senior,
        must_change_password=False,
        is_demo=True,
        job_title=DEMO_JOB_TITLES[email],
    )


def _demo_practice(demo: DemoPractice) -> Practice:
    """The demo practice, made in the demo network (the install's first practice becomes
    Riverside)."""
    practice = find_practice(demo.ods_code) or create_practice(
        ods_code=demo.ods_code, name=demo.name, pcn_name=DEMO_PCN
    )
    if not practice.practice_address:
        practice.practice_address = demo.address
        practice.practice_phone = demo.phone
    db.session.flush()
    return practice


def demo_sign_ins() -> list[tuple[str, str, str, str]]:
    """(role, email, name, where they work) of each demo account, for printing."""
    found = []
    for demo, staff in ((RIVERSIDE, DEMO_STAFF), (HILLSIDE, HILLSIDE_STAFF)):
        for email, name, role, senior in staff:
            where = demo.short
            if email == SHARED_GP:
                where = f"{RIVERSIDE.short} and {HILLSIDE.short} (a GP of both)"
            if email == OUTSIDE_REVIEWER:
                where = f"{HILLSIDE.short} (reviews a {RIVERSIDE.short} case)"
            found.append((role_label(role.value, senior), email, name, where))
    for email, name, level in NETWORK_STAFF:
        label = "PCN manager" if level == "pcn" else "ICB manager"
        found.append((label, email, name, "Figures of every practice, no patient details"))
    return found
