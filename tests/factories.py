"""Builders for test data, run inside an app context."""

import itertools
from dataclasses import dataclass

from tracker.extensions import db
from tracker.staff import services

DEFAULT_PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


@dataclass(frozen=True)
class MadeUser:
    id: int
    email: str
    full_name: str
    role: str
    password: str


def create_user(
    role="reception", *, password=DEFAULT_PASSWORD, must_change_password=False, **kwargs
) -> MadeUser:
    n = next(_sequence)
    kwargs.setdefault("email", f"{role}.{n}@practice.example")
    kwargs.setdefault("full_name", f"{role.replace('_', ' ').title()} Person {n}")
    user = services.create_user(
        role=role, password=password, must_change_password=must_change_password, **kwargs
    )
    db.session.commit()
    return MadeUser(user.id, user.email, user.full_name, user.role, password)


VALID_NHS_NUMBERS = ["9990000018", "9990000026", "9990000034", "9990000042", "9990000050"]


def intake_form(**overrides) -> dict:
    """A complete, valid intake form as the browser posts it."""
    data = {
        "nhs_number": "999 000 0018",
        "patient_name": "Alex Example",
        "date_of_birth[day]": "15",
        "date_of_birth[month]": "3",
        "date_of_birth[year]": "1984",
        "phone": "01632 960001",
        "email": "",
        "preferred_contact": "phone",
        "received_on[day]": "20",
        "received_on[month]": "11",
        "received_on[year]": "2026",
        "channel": "telephone",
        "original_gp": "other",
        "original_gp_other": "Dr Locum",
        "concern": "Still getting headaches after the last appointment.",
        "route_requested": "second_opinion_gp",
        "already_discussed_with_own_gp": "no",
        "formal_complaint": "no",
        "urgent": "no",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
