"""Demo staff for trying the tracker on a laptop; never for a real practice."""

from sqlalchemy import func, select

from tracker.extensions import db
from tracker.settings.models import settings_to_change
from tracker.staff.models import Role, User, role_label
from tracker.staff.services import create_user

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


def seed_demo() -> list[User]:
    """Add the demo staff and practice name if they are not there yet; the caller commits."""
    added = []
    for email, name, role, senior in DEMO_STAFF:
        if db.session.scalar(select(func.count()).select_from(User).where(User.email == email)):
            continue
        added.append(
            create_user(
                email=email,
                full_name=name,
                role=role,
                password=DEMO_PASSWORD,
                is_senior_partner=senior,
                must_change_password=False,
                is_demo=True,
                job_title=DEMO_JOB_TITLES[email],
            )
        )
    settings = settings_to_change()
    if settings.practice_name == "Your GP practice":
        settings.practice_name = "Riverside Medical Practice (demo)"
        settings.ods_code = "Y00001"
        settings.practice_address = "1 River Lane\nRiverside\nRV1 2AB"
        settings.practice_phone = "01632 960000"
        db.session.add(settings)
    return added


def demo_sign_ins() -> list[tuple[str, str, str]]:
    """(role, email, name) of each demo account, for printing."""
    return [
        (role_label(role.value, senior), email, name) for email, name, role, senior in DEMO_STAFF
    ]
