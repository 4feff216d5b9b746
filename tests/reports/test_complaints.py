"""The annual return of written complaints, April to March."""

from datetime import UTC, date, datetime

import pytest

from tests.helpers import text_of
from tracker.reports.figures import complaints_year


def utc(*parts):
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def complaints(place_case):
    formal = {"formal_complaint": True}
    place_case(
        received_on=date(2025, 3, 10),
        stage="closed",
        closed_at=utc(2025, 5, 1, 9),
        complaint_finding="upheld",
        **formal,
    )
    place_case(
        received_on=date(2025, 6, 1),
        stage="closed",
        closed_at=utc(2026, 4, 10, 9),
        complaint_finding="not_upheld",
        **formal,
    )
    place_case(
        received_on=date(2025, 12, 1),
        stage="closed",
        closed_at=utc(2026, 2, 1, 9),
        complaint_finding="partially_upheld",
        **formal,
    )
    place_case(received_on=date(2026, 3, 30), stage="assigned", **formal)
    # Closed at 23:30 UTC on 31 March 2025: 00:30 BST on 1 April, so resolved in 2025-26.
    place_case(
        received_on=date(2024, 12, 1),
        stage="closed",
        closed_at=utc(2025, 3, 31, 23, 30),
        complaint_finding="not_upheld",
        **formal,
    )
    place_case(
        received_on=date(2025, 7, 1), stage="closed", closed_at=utc(2025, 7, 2, 9)
    )  # not a formal complaint


def test_the_year_counts_by_hand(app, complaints, manager_client):
    page = text_of(manager_client.get("/reports/complaints?year=2025"))
    assert "April 2025 to March 2026" in page
    for line in (
        "Total brought forward 2",
        "Total new 3",
        "Total resolved 3",
        "Number upheld 1",
        "Number partially upheld 1",
        "Number not upheld 1",
        "Total carried forward 2",
    ):
        assert line in page


def test_carried_forward_is_brought_forward_plus_new_less_resolved(app, complaints):
    with app.app_context():
        years = {year: complaints_year(year) for year in range(2023, 2028)}
    for year, figures in years.items():
        assert (
            figures.carried_forward == figures.brought_forward + figures.new - figures.resolved
        ), year
        assert figures.resolved == figures.upheld + figures.partially_upheld + figures.not_upheld, (
            year
        )
        if year + 1 in years:
            assert years[year + 1].brought_forward == figures.carried_forward, year
    assert (years[2024].new, years[2024].resolved, years[2024].carried_forward) == (2, 0, 2)
    assert (years[2026].brought_forward, years[2026].resolved, years[2026].carried_forward) == (
        2,
        1,
        1,
    )
