"""Queue fixtures: staff, and cases placed directly with known dates."""

from datetime import UTC, date, datetime

import pytest

from tracker.cases.models import Case
from tracker.extensions import db


@pytest.fixture
def place_case(app, staff):
    """Insert a case as it would stand after its recorded events, with chosen dates."""
    counter = iter(range(1, 100_000))

    def place(**fields) -> str:
        n = next(counter)
        values = {
            "reference": f"SO-2026-{n:04d}",
            "year": 2026,
            "sequence": n,
            "stage": "logged",
            "nhs_number": None,
            "nhs_number_unknown": True,
            "patient_name": f"Patient {n}",
            "date_of_birth": date(1980, 1, 1),
            "preferred_contact": "letter",
            "received_on": date(2026, 11, 2),
            "channel": "letter",
            "original_gp_id": staff.gp.id,
            "concern": "Concern",
            "route_requested": "second_opinion_gp",
            "created_by_id": staff.reception.id,
            "updated_by_id": staff.reception.id,
            "created_at": datetime(2026, 11, 2, 10, 0, tzinfo=UTC),
            "updated_at": datetime(2026, 11, 2, 10, 0, tzinfo=UTC),
        }
        values.update(fields)
        with app.app_context():
            db.session.add(Case(**values))
            db.session.commit()
        return values["reference"]

    return place
