"""Jobs that run for the whole install follow each practice's own settings: the retention purge
removes a practice's cases only after that practice's own retention period."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from tests import factories
from tests.helpers import set_practice
from tracker.cases.case_fields import REMOVED
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.practices.scope import across_practices, in_practice
from tracker.practices.services import create_practice


def closed_nine_years_ago(created_by_id: int, name: str) -> str:
    return factories.create_case(
        original_gp_id=None,
        created_by_id=created_by_id,
        received_on=date(2017, 9, 1),
        stage="closed",
        closed_at=datetime(2017, 10, 2, 10, tzinfo=UTC),
        closure_reason="withdrawn",
        patient_name=name,
    )


def test_the_purge_follows_each_practices_retention_period(app, staff, frozen_clock):
    with app.app_context():
        riverside = set_practice(practice_name="Riverside Surgery", retention_years=10).id
        hillside = create_practice(ods_code="B82002", name="Hillside Surgery")
        hillside.retention_years = 8
        db.session.commit()
        hillside = hillside.id
        with in_practice(riverside):
            closed_nine_years_ago(staff.manager.id, "Ann River")
        with in_practice(hillside):
            closed_nine_years_ago(staff.manager.id, "Hal Hill")
    result = app.test_cli_runner().invoke(args=["tracker", "purge-expired"])
    assert result.exit_code == 0, result.output
    assert "Riverside Surgery:\nNo case closed more than 10 years ago" in result.output
    assert "Hillside Surgery:\nSO-2017-0001" in result.output
    with app.app_context(), across_practices("this test"):
        names = dict(db.session.execute(select(Case.practice_id, Case.patient_name)).all())
    assert names == {riverside: "Ann River", hillside: REMOVED}
