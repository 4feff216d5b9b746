"""Each case keeps its working days to assignment and to outcome; the report reads them.

Received Friday 20 November 2026 (the intake form's date), assigned Tuesday 24 November: two
working days. Outcome on Friday 4 December: eight working days after the assignment.
"""

import random
import statistics
from collections import Counter
from datetime import UTC, date, datetime

from sqlalchemy import update

from tests import factories
from tests.helpers import text_of
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.reports.figures import Durations

OUTCOME = {
    "outcome": "first_opinion_confirmed",
    "outcome_summary": "Talked it through with the patient, who agrees with the plan.",
    "patient_response": "satisfied",
}
SETTINGS = factories.settings_form()


def stored_days(app, reference):
    with app.app_context():
        return db.session.execute(
            db.select(Case.working_days_to_assign, Case.working_days_to_outcome).filter_by(
                reference=reference
            )
        ).one()


def test_actions_keep_the_working_days_and_a_reopening_clears_the_outcome_count(
    app, staff, log_case, act, frozen_clock
):
    reference = log_case()
    assert stored_days(app, reference) == (None, None)

    frozen_clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    act(staff.reception, reference, "assign", {"reviewer": staff.other_gp.id})
    assert stored_days(app, reference) == (2, None)

    # The GP and the manager sign in on the later day.
    frozen_clock.now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    act(staff.other_gp, reference, "record-outcome", OUTCOME)
    assert stored_days(app, reference) == (2, 8)

    act(staff.manager, reference, "close", {"closure_reason": "resolved_in_practice"})
    reopened = act(
        staff.manager,
        reference,
        "reopen",
        {"reason": "The patient has new symptoms.", "reviewer": staff.senior.id},
    )
    assert reopened.status_code == 302
    # The first assignment stays; the outcome clock starts again.
    assert stored_days(app, reference) == (2, None)


def test_changing_the_region_leaves_counted_cases_and_past_reports_as_they_were(
    app, staff, place_case, as_user, frozen_clock
):
    """17 March is a bank holiday in Northern Ireland only: a case logged in England keeps
    England's bank holidays, and so does March's report."""
    frozen_clock.now = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
    reference = place_case(
        received_on=date(2026, 3, 16),
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=datetime(2026, 3, 18, 10, tzinfo=UTC),
        assigned_at=datetime(2026, 3, 18, 10, tzinfo=UTC),
        outcome_clock_from=datetime(2026, 3, 18, 10, tzinfo=UTC),
    )
    assert stored_days(app, reference) == (2, None)
    manager = as_user(staff.manager)
    assert "Assignment (target 2 days) 1 2 2 100.0%" in text_of(
        manager.get("/reports/monthly?month=2026-03")
    )

    saved = manager.post(
        "/admin/settings", data={**SETTINGS, "bank_holiday_region": "northern_ireland"}
    )
    assert saved.status_code == 302
    assert stored_days(app, reference) == (2, None)
    assert "Assignment (target 2 days) 1 2 2 100.0%" in text_of(
        manager.get("/reports/monthly?month=2026-03")
    )


def test_the_recount_command_repairs_counts_made_with_an_older_holiday_list(app, place_case, staff):
    reference = place_case(
        received_on=date(2026, 4, 2),
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=datetime(2026, 4, 7, 9, tzinfo=UTC),  # after Easter: 1 working day
        assigned_at=datetime(2026, 4, 7, 9, tzinfo=UTC),
    )
    with app.app_context():
        db.session.execute(
            update(Case).where(Case.reference == reference).values(working_days_to_assign=3)
        )
        db.session.commit()

    result = app.test_cli_runner().invoke(args=["tracker", "recount-working-days"])
    assert result.exit_code == 0, result.output
    assert "each case's bank holidays: 1 cases changed" in result.output
    assert stored_days(app, reference) == (1, None)


def test_the_spread_gives_the_same_median_and_percentile_as_the_list():
    rng = random.Random(7)
    for size in (1, 2, 3, 4, 9, 10, 11, 250, 831):
        days = [rng.choice((0, 1, 1, 2, 2, 2, 3, 5, 8, 13, 21)) for _ in range(size)]
        spread = Durations.from_rows((d, 2, n) for d, n in Counter(days).items())
        ordered = sorted(days)
        assert spread.count == size
        assert spread.median == statistics.median(days)
        assert spread.p90 == ordered[-(-9 * size // 10) - 1]
        assert spread.within_target == sum(1 for d in days if d <= 2)
    empty = Durations.from_rows([])
    assert (empty.count, empty.median, empty.p90, empty.pct_within_target) == (0, None, None, None)
