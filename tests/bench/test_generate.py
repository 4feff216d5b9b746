"""The benchmark's generator: a small run on the test database has the spreads it promises."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from bench.generate import generate
from tests.helpers import as_owner
from tracker.audit.models import Event
from tracker.cases.models import Case, CaseSequence
from tracker.cases.workflow import Stage
from tracker.extensions import db
from tracker.staff.models import Membership

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_generator_writes_cases_events_and_staff_with_realistic_spreads(app):
    with app.app_context():
        with as_owner(app) as connection:
            made = generate(connection, 300, now=NOW)
        assert made.cases == db.session.scalar(select(func.count(Case.id))) == 300
        events = db.session.scalar(select(func.count(Event.id)))
        assert made.events == events
        assert 8 <= events / 300 <= 13  # about ten events a case

        # Ten years, most cases closed, the recent ones still open.
        received = db.session.execute(
            select(func.min(Case.received_on), func.max(Case.received_on))
        ).one()
        assert received[0] >= (NOW - timedelta(days=3653)).date()
        assert received[0] <= (NOW - timedelta(days=9 * 365)).date()
        assert len(made.years) >= 10
        assert made.stages[Stage.CLOSED] > 0.8 * 300
        assert made.stages[Stage.CLOSED] < 300
        open_received = db.session.scalars(
            select(Case.received_on).where(Case.stage != Stage.CLOSED)
        ).all()
        assert all(day >= (NOW - timedelta(days=400)).date() for day in open_received)

        # Every route, several outcomes and reviewers; rules of the workflow kept.
        assert len(made.routes) == 7
        assert len(made.outcomes) >= 5
        assert len(made.reviewers) >= 5
        assert not db.session.scalar(
            select(func.count(Case.id)).where(Case.reviewer_id == Case.original_gp_id)
        )
        seniors = set(
            db.session.scalars(select(Membership.user_id).where(Membership.is_senior_partner))
        )
        senior_route = db.session.scalars(
            select(Case.reviewer_id).where(
                Case.route_requested == "senior_partner", Case.reviewer_id.is_not(None)
            )
        ).all()
        assert set(senior_route) <= seniors
        assert not db.session.scalar(
            select(func.count(Case.id)).where(Case.stage == Stage.CLOSED, Case.closed_at.is_(None))
        )
        assert not db.session.scalar(select(func.count(Event.id)).where(Event.occurred_at > NOW))

        # References are unique per year and the sequences continue after them.
        last = db.session.scalar(select(func.max(CaseSequence.last_value)))
        assert last == max(
            db.session.scalars(select(func.count(Case.id)).group_by(Case.year)).all()
        )
        assert db.session.scalar(select(func.count(func.distinct(Case.reference)))) == 300


def test_generated_working_days_are_what_the_app_counts(app):
    """The bulk insert bypasses the model, so it writes the due dates and working days itself:
    a recount with the cases' region changes nothing."""
    from tracker.cases.working_days import recount_working_days

    with app.app_context():
        with as_owner(app) as connection:
            generate(connection, 200, now=NOW)
        counted = db.session.scalar(
            select(func.count(Case.id)).where(Case.working_days_to_outcome.is_not(None))
        )
        assert counted > 100
        assert recount_working_days() == 0
        # A region with other bank holidays does change some: the comparison above can fail.
        db.session.execute(update(Case).values(bank_holiday_region="scotland"))
        assert recount_working_days() > 0
