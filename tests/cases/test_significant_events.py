"""A case flagged as a significant event: its analysis reference, whether the duty of candour
applies and when the patient was told, shown on the case and kept in its history; GPs and the
practice manager record it at any stage, closed cases too; reception does not."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.cases.models import Case
from tracker.extensions import db


def test_a_significant_event_is_flagged_with_its_analysis_and_candour(
    app, staff, place_case, act, as_user, load_case, frozen_clock
):
    reference = place_case(
        received_on=date(2026, 10, 5),
        stage="closed",
        closed_at=datetime(2026, 11, 2, 9, tzinfo=UTC),
    )
    told_too_soon = act(
        staff.gp,
        reference,
        "record-significant-event",
        {
            "significant_event": "yes",
            "candour_applies": "no",
            "candour_told_on[day]": "10",
            "candour_told_on[month]": "11",
            "candour_told_on[year]": "2026",
        },
    )
    assert "A date the patient was told goes with the duty of candour applying" in text_of(
        told_too_soon
    )
    recorded = act(
        staff.gp,
        reference,
        "record-significant-event",
        {
            "significant_event": "yes",
            "sea_reference": "SEA-2026-07",
            "candour_applies": "yes",
            "candour_told_on[day]": "10",
            "candour_told_on[month]": "11",
            "candour_told_on[year]": "2026",
        },
    )
    assert recorded.status_code == 302, recorded.get_data(as_text=True)
    case = load_case(reference)
    assert (case.significant_event, case.sea_reference, case.candour_applies) == (
        True,
        "SEA-2026-07",
        True,
    )
    assert case.candour_told_on == date(2026, 11, 10)
    page = text_of(as_user(staff.reception).get(f"/cases/{reference}"))
    assert (
        "Significant event. Analysis reference SEA-2026-07. Duty of candour: applies; the patient "
        "was told on 10 November 2026." in page
    )
    assert "Record a significant event" not in page  # reception does not
    assert (
        as_user(staff.reception).get(f"/cases/{reference}/record-significant-event").status_code
        == 403
    )

    removed = act(staff.manager, reference, "record-significant-event", {"significant_event": "no"})
    assert removed.status_code == 302
    assert load_case(reference).significant_event is False
    with app.app_context():
        case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
        changes = [
            e.changes.get("significant_event")
            for e in db.session.scalars(
                select(Event)
                .where(Event.case_id == case_id, Event.kind == "significant_event_recorded")
                .order_by(Event.id)
            )
        ]
    assert changes == [[False, True], [True, False]]
