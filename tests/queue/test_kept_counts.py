"""Each person's open cases, counted by stage with the most urgent of their own, are kept
between requests until the practice's cases change (tracker/cases/kept.py): a page read after
any change shows it, and the reviewers are named as they are now."""

from datetime import UTC, date, datetime

from sqlalchemy import select

from tests.helpers import text_of
from tracker.cases.kept import forget_kept
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.staff.models import User

TODAY = datetime(2026, 11, 24, 10, tzinfo=UTC)


def test_my_cases_and_the_counts_show_a_change_at_once(
    app, place_case, staff, as_user, frozen_clock, statements
):
    frozen_clock.now = TODAY
    forget_kept()
    reference = place_case(
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=TODAY,
        outcome_clock_from=TODAY,
        patient_name="Ann Assigned",
    )
    place_case(patient_name="Ben Logged")
    gp, manager = as_user(staff.other_gp), as_user(staff.manager)
    home = text_of(gp.get("/"))
    assert "My cases (1)" in home and "Ann Assigned" in home
    queue = text_of(manager.get("/queue"))
    assert "Logged: 1" in queue and "Assigned: 1" in queue
    # Read again: the same, from what was kept, without counting again.
    with statements() as seen:
        assert text_of(gp.get("/")) == home
    assert seen and not [s for s in seen if "count(" in s.lower()]
    with app.app_context():  # someone else's change, committed
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        case.patient_name = "Ann Corrected"
        case.reviewer_id = staff.senior.id
        db.session.commit()
    home = text_of(gp.get("/"))
    assert "My cases (0)" in home and "Ann" not in home
    senior = text_of(as_user(staff.senior).get("/"))
    assert "My cases (1)" in senior and "Ann Corrected" in senior
    with app.app_context():
        db.session.scalar(select(Case).where(Case.reference == reference)).stage = "in_review"
        db.session.commit()
    queue = text_of(manager.get("/queue"))
    assert "Assigned: 0" in queue and "In review: 1" in queue


def test_the_reviewers_of_kept_cases_are_named_as_they_are_now(
    app, place_case, staff, as_user, frozen_clock, statements
):
    """Reception's call-backs list each case's reviewer: a reviewer's new name shows at once,
    though the cases are kept."""
    frozen_clock.now = TODAY
    forget_kept()
    place_case(
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        first_assigned_at=TODAY,
        outcome_clock_from=TODAY,
        patient_name="Cal Back",
        callback_owner_id=staff.reception.id,
        callback_due_on=date(2026, 11, 26),
    )
    reception = as_user(staff.reception)
    calls = text_of(reception.get("/")).split("Your call-backs (1)")[1]
    assert "Cal Back" in calls and "Dr Omar Second" in calls
    with statements() as seen:  # read again: kept, not counted again
        assert text_of(reception.get("/")).split("Your call-backs (1)")[1] == calls
    assert seen and not [s for s in seen if "count(" in s.lower()]
    with app.app_context():
        db.session.get(User, staff.other_gp.id).full_name = "Dr Omar Renamed"
        db.session.commit()
    calls = text_of(reception.get("/")).split("Your call-backs (1)")[1]
    assert "Dr Omar Renamed" in calls and "Omar Second" not in calls


def test_nothing_is_kept_while_the_trigger_does_not_follow_every_column(
    app, place_case, staff, as_user, frozen_clock, monkeypatch, statements
):
    """Code running on a database not yet migrated to the columns it keeps figures from (the
    trigger names fewer) counts afresh on every request."""
    from tracker.cases import kept

    frozen_clock.now = TODAY
    place_case(patient_name="Ben Logged")
    monkeypatch.setattr(kept, "FIGURES_COLUMNS", (*kept.FIGURES_COLUMNS, "concern"))
    forget_kept()
    manager = as_user(staff.manager)
    for _ in range(2):
        with statements() as seen:
            assert "Logged: 1" in text_of(manager.get("/queue"))
        assert [s for s in seen if "count(" in s.lower()]
    forget_kept()
