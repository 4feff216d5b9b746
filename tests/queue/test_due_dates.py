"""Due dates and overdue flags for each target, from recorded times, with a controlled clock."""

from datetime import UTC, date, datetime

import pytest

from tests import factories
from tests.helpers import text_of, version_on
from tracker.cases import clocks
from tracker.cases.models import Case, keep_clock_dates
from tracker.extensions import db
from tracker.settings.models import load_settings
from tracker.workdays import WorkingCalendar

TODAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday


def kept(case: Case) -> Case:
    """The case with the due dates it keeps, under targets of 2, 3 and 10 working days."""
    case.assign_target_days, case.acknowledge_target_days, case.outcome_target_days = 2, 3, 10
    keep_clock_dates(case, WorkingCalendar("england"))
    return case


@pytest.mark.parametrize(
    ("received", "status"),
    [
        (date(2026, 11, 19), "overdue"),
        (date(2026, 11, 20), "due today"),
        (date(2026, 11, 21), "due today"),
        (date(2026, 11, 23), "due"),
    ],
)
def test_assignment_target_runs_from_the_day_received(received, status):
    due = clocks.due_dates(kept(Case(stage="logged", received_on=received)), TODAY.date())[0]
    assert due.name == "Assign a reviewer" and due.status == status


def test_assignment_met_or_late_by_the_first_assignment_time():
    on_time = clocks.due_dates(
        kept(
            Case(
                stage="assigned",
                received_on=date(2026, 11, 19),
                first_assigned_at=datetime(2026, 11, 23, 16, 0, tzinfo=UTC),
            )
        ),
        TODAY.date(),
    )[0]
    assert (on_time.due_on, on_time.status) == (date(2026, 11, 23), "met")
    late = clocks.due_dates(
        kept(
            Case(
                stage="assigned",
                received_on=date(2026, 11, 19),
                first_assigned_at=datetime(2026, 11, 24, 8, 0, tzinfo=UTC),
            )
        ),
        TODAY.date(),
    )[0]
    assert late.status == "met late"


def test_outcome_target_runs_from_the_outcome_clock():
    case = Case(
        stage="in_review",
        received_on=date(2026, 11, 2),
        first_assigned_at=datetime(2026, 11, 9, 10, tzinfo=UTC),
        outcome_clock_from=datetime(2026, 11, 9, 10, tzinfo=UTC),
    )
    outcome = {d.name: d for d in clocks.due_dates(kept(case), TODAY.date())}["Record the outcome"]
    assert (outcome.due_on, outcome.status) == (date(2026, 11, 23), "overdue")
    case.outcome_clock_from = datetime(2026, 11, 10, 10, tzinfo=UTC)
    outcome = {d.name: d for d in clocks.due_dates(kept(case), TODAY.date())}["Record the outcome"]
    assert outcome.status == "due today"
    case.stage, case.outcome_recorded_at = "outcome_recorded", datetime(2026, 11, 24, 8, tzinfo=UTC)
    outcome = {d.name: d for d in clocks.due_dates(kept(case), TODAY.date())}["Record the outcome"]
    assert outcome.status == "met"


def test_case_page_shows_a_formal_complaint_acknowledged_late(
    app, staff, place_case, act, as_user, frozen_clock
):
    frozen_clock.now = TODAY
    reference = place_case(
        formal_complaint=True, received_on=date(2026, 11, 18)
    )  # due Monday 23 November
    page = text_of(as_user(staff.manager).get(f"/cases/{reference}"))
    assert "Acknowledge the complaint 23 November 2026 Overdue" in page
    assert "Formal complaint not yet acknowledged" in page

    act(staff.reception, reference, "acknowledge", {
        "acknowledged_on[day]": "24", "acknowledged_on[month]": "11", "acknowledged_on[year]": "2026", "method": "letter",
    })  # fmt: skip
    page = text_of(as_user(staff.manager).get(f"/cases/{reference}"))
    assert "Acknowledge the complaint 23 November 2026 Met late Done 24 November 2026" in page
    assert "acknowledged 24 November 2026 by letter" in page
    # Once acknowledged, the action is no longer offered, and a second try is refused.
    assert as_user(staff.reception).get(f"/cases/{reference}/acknowledge").status_code == 403
    with app.app_context():
        case = db.session.query(Case).filter_by(reference=reference).one()
        assert (case.acknowledged_on, case.acknowledgement_method) == (date(2026, 11, 24), "letter")


def test_acknowledgement_cannot_be_dated_before_the_request(
    staff, place_case, as_user, frozen_clock
):
    frozen_clock.now = TODAY
    reference = place_case(formal_complaint=True, received_on=date(2026, 11, 18))
    client = as_user(staff.manager)
    version = version_on(client.get(f"/cases/{reference}/acknowledge").get_data(as_text=True))
    response = client.post(
        f"/cases/{reference}/acknowledge",
        data={
            "version": version,
            "acknowledged_on[day]": "17",
            "acknowledged_on[month]": "11",
            "acknowledged_on[year]": "2026",
            "method": "email",
        },
    )
    assert "cannot be before the request was received" in text_of(response)


def queue_references(response) -> list[str]:
    import re

    html = response.get_data(as_text=True)
    html = html[html.index('id="practice-queue"') :]
    return re.findall(r'href="/cases/(SO-\d{4}-\d{4})"', html)


def test_a_change_of_target_applies_to_cases_logged_after_it(
    app, staff, place_case, as_user, frozen_clock
):
    frozen_clock.now = TODAY
    late = place_case(received_on=date(2026, 11, 19))  # due 23 Nov with 2 days, 24 Nov with 3
    place_case(received_on=date(2026, 11, 23))
    client = as_user(staff.manager)
    assert queue_references(client.get("/queue?overdue=1")) == [late]
    assert queue_references(client.get("/queue?due_today=1")) == []

    response = client.post("/admin/settings", data=factories.settings_form(assign_target_days="3"))
    assert response.status_code == 302
    with app.app_context():
        assert load_settings().assign_target_days == 3
    settings_page = text_of(client.get("/admin/settings"))
    assert "Cases already logged keep the targets and bank holidays they were logged under" in (
        settings_page
    )
    # The open case keeps the target it was logged under: still overdue, as the page said.
    assert queue_references(client.get("/queue?overdue=1")) == [late]
    assert "Assign a reviewer 23 November 2026 Overdue" in text_of(client.get(f"/cases/{late}"))
    # A request logged now, received on the same day, takes the new target.
    newer = place_case(received_on=date(2026, 11, 19))
    assert queue_references(client.get("/queue?due_today=1")) == [newer]
    assert "Assign a reviewer 24 November 2026 Due today" in text_of(client.get(f"/cases/{newer}"))


def test_a_new_bank_holiday_region_applies_to_cases_logged_after_it(
    app, staff, place_case, as_user, frozen_clock
):
    frozen_clock.now = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)  # Tuesday
    # England: due 5 Jan; Scotland (2 Jan holiday, observed 4 Jan): 6 Jan
    reference = place_case(received_on=date(2026, 12, 31))
    client = as_user(staff.manager)
    assert "Assign a reviewer 5 January 2027 Due today" in text_of(
        client.get(f"/cases/{reference}")
    )
    client.post("/admin/settings", data=factories.settings_form(bank_holiday_region="scotland"))
    assert "Assign a reviewer 5 January 2027 Due today" in text_of(
        client.get(f"/cases/{reference}")
    )
    newer = place_case(received_on=date(2026, 12, 31))
    assert "Assign a reviewer 6 January 2027 Due" in text_of(client.get(f"/cases/{newer}"))
