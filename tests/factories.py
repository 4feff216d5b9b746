"""Builders for test data, run inside an app context."""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from tracker.cases.models import Case, CaseSequence
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


def _next_sequence(year: int) -> int:
    """Take the next number of the year from the table the intake form numbers from, so a case
    made here and a case logged through the form never share a reference."""
    row = db.session.scalars(select(CaseSequence).where(CaseSequence.year == year)).first()
    if row is None:
        row = CaseSequence(year=year, last_value=0)
        db.session.add(row)
    row.last_value += 1
    return row.last_value


def create_case(*, original_gp_id: int | None, created_by_id: int, **fields) -> str:
    """Insert a case as it would stand after its recorded events (none are written), with the
    fields given over plain defaults; returns its reference, SO-<year received>-<next number>.

    Nothing is filled in for the stage: a case at a later stage gets its reviewer, dates and
    outcome only from the caller, so each test states what its cases hold.
    """
    received = fields.get("received_on", date(2026, 11, 2))
    sequence = _next_sequence(received.year)
    logged_at = datetime(received.year, received.month, received.day, 10, tzinfo=UTC)
    values = {
        "reference": f"SO-{received.year}-{sequence:04d}",
        "year": received.year,
        "sequence": sequence,
        "stage": "logged",
        "nhs_number": None,
        "nhs_number_unknown": True,
        "patient_name": f"Patient {sequence}",
        "date_of_birth": date(1980, 1, 1),
        "preferred_contact": "letter",
        "received_on": received,
        "channel": "letter",
        "original_gp_id": original_gp_id,
        "concern": "Concern",
        "route_requested": "second_opinion_gp",
        "created_by_id": created_by_id,
        "updated_by_id": created_by_id,
        "created_at": logged_at,
        "updated_at": logged_at,
    }
    values.update(fields)
    db.session.add(Case(**values))
    db.session.commit()
    return values["reference"]


def count_cases() -> int:
    """How many cases the database holds (inside an app context)."""
    return db.session.query(Case).count()


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


def settings_form(**changes) -> dict:
    """The practice settings form as the browser posts it: the defaults, with these changes."""
    data = {
        "practice_name": "Brookside",
        "ods_code": "",
        "assign_target_days": "2",
        "acknowledge_target_days": "3",
        "outcome_target_days": "10",
        "bank_holiday_region": "england",
    }
    return {**data, **changes}
