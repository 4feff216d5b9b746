"""A practice with its letterhead and PALS office set, and cases that can have letters."""

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from tests.helpers import set_practice

PRACTICE = {
    "practice_name": "Brookside Surgery",
    "practice_address": "12 High Street\nLeeds",
    "practice_phone": "0113 496 0000",
    "pals_office_name": "PALS – West Yorkshire ICB",
    "pals_phone": "0113 496 0999",
    "pals_email": "pals.wy@nhs.net",
    "pals_web_address": "https://pals.example.nhs.uk",
    "pals_postal_address": "White Rose House, Wakefield WF1 1LT",
}
ADDRESS = {"address_lines": "4 Mill Lane\nHeadingley\nLeeds", "postcode": "LS6 3AA"}


@pytest.fixture
def practice(app):
    with app.app_context():
        set_practice(**PRACTICE)
    return PRACTICE


def pdf_text(data: bytes) -> str:
    """Every page's text, whitespace collapsed, as a reader of the PDF would find it."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def letter_case(place_case, staff):
    """A formal complaint with an address, at the stage asked for, reviewed by Dr Omar Second."""

    def make(stage="logged", **fields):
        at = datetime(2026, 11, 3, 10, tzinfo=UTC)
        values = {
            "patient_name": "Ann O'Brien",
            "nhs_number": "9990000018",
            "nhs_number_unknown": False,
            "formal_complaint": True,
            "received_on": date(2026, 11, 2),
            **ADDRESS,
        }
        if stage != "logged":
            values.update(
                reviewer_id=staff.other_gp.id,
                first_assigned_at=at,
                assigned_at=at,
                outcome_clock_from=at,
            )
        if stage == "in_review":
            values.update(
                review_started_at=at, appointment_at=datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
            )
        if stage == "outcome_recorded":
            values.update(
                review_started_at=at,
                review_of_notes=True,
                outcome="first_opinion_confirmed",
                outcome_summary="Migraine; no red flags.",
                patient_response="satisfied",
                outcome_recorded_at=at,
            )
        values.update(fields)
        return place_case(stage=stage, **values)

    return make
