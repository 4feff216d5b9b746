"""The monthly report's figures are kept between requests until a case changes them
(tracker/cases/kept.py): the database's trigger gives the practice a new marker whenever a
case is added or removed or a column the kept figures count is written, and a page read after
any such change shows it."""

import re
from datetime import date

import pytest
from sqlalchemy import delete, event, select, text, update

from tests.helpers import text_of
from tracker.cases.kept import FIGURES_COLUMNS, FiguresMarker, forget_kept
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.queue import services
from tracker.reports import figures
from tracker.reports.figures import Month
from tracker.staff.models import User


def marker_of(practice_id: int) -> str | None:
    return db.session.scalar(
        select(FiguresMarker.marker).where(FiguresMarker.practice_id == practice_id)
    )


def test_the_trigger_covers_every_column_the_kept_figures_read(app, two_months, monkeypatch, staff):
    """A kept figure counted from a column the trigger does not name would stay as it was
    when that column changed."""
    read = []

    def watching(_name, _key, count):
        def seen(_conn, _cursor, statement, *_args):
            read.append(statement)

        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            return count()
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)

    monkeypatch.setattr(figures, "kept", watching)
    monkeypatch.setattr(services, "kept", watching)
    with app.app_context():
        figures.report_figures(Month(2026, 4))
        for user in (staff.manager, staff.reception, staff.other_gp):
            person = db.session.get(User, user.id)
            services.open_counts(person)
            services.my_cases(person, date(2026, 5, 1))
            services.my_cases(person, date(2026, 5, 1), services.open_counts(person))
        for visiting in (False, True):  # a GP visiting from another practice's too
            for statement in (services.OPEN_COUNTS[visiting], *services.MY_CASES[visiting]):
                watching("", "", lambda s=statement: db.session.execute(s, {"user_id": 1}).all())
    columns = set(re.findall(r"\bcases\.(\w+)", " ".join(read)))
    # The counts ran: the report's, and a person's open cases.
    assert {"received_on", "outcome_recorded_at", "closed_at", "callback_owner_id"} <= columns
    assert columns <= set(FIGURES_COLUMNS), columns - set(FIGURES_COLUMNS)
    # The trigger watches `cases` alone: a kept figure read from another table would go stale.
    tables = set(re.findall(r"\b(?:FROM|JOIN)\s+(\w+)", " ".join(read)))
    assert tables == {"cases"}, tables


def test_every_figures_column_written_gives_a_new_marker(app, place_case):
    """On both databases, as the app's own role (row-level security applies on PostgreSQL):
    adding a case, writing each counted column and removing a case each give a new marker;
    writing a column no figure reads does not."""
    reference = place_case(received_on=date(2026, 4, 2))
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        case_id, practice_id = case.id, case.practice_id
        markers = [marker_of(practice_id)]
        assert markers[0] is not None
        for column in FIGURES_COLUMNS:
            db.session.execute(
                update(Case.__table__)
                .where(Case.__table__.c.id == case_id)
                .values({column: Case.__table__.c[column]})
            )
            db.session.commit()
            markers.append(marker_of(practice_id))
            assert markers[-1] != markers[-2], f"writing cases.{column} kept the marker"
        db.session.execute(
            update(Case.__table__).where(Case.__table__.c.id == case_id).values(concern="B")
        )
        db.session.commit()
        assert marker_of(practice_id) == markers[-1]
        for table in reversed(db.metadata.sorted_tables):  # the case's own rows, then the case
            if "case_id" in table.c:
                db.session.execute(delete(table).where(table.c.case_id == case_id))
        db.session.execute(delete(Case.__table__).where(Case.__table__.c.id == case_id))
        db.session.commit()
        assert marker_of(practice_id) != markers[-1]
        assert len(set(markers)) == len(markers)


def test_a_report_read_again_shows_a_change_made_since(app, two_months, manager_client):
    forget_kept()
    march = text_of(manager_client.get("/reports/monthly?month=2026-03"))
    assert "Requests received 4 (1 formal complaint, 1 urgent)" in march
    assert "Mar 26 4 2" in march
    # Read again: the same, from what was kept.
    assert text_of(manager_client.get("/reports/monthly?month=2026-03")) == march
    with app.app_context():
        moved = db.session.scalar(
            select(Case).where(Case.received_on == date(2026, 3, 2), Case.urgent.is_(False))
        )
        moved.received_on = date(2026, 4, 1)  # a corrected date of receipt
        db.session.commit()
    march = text_of(manager_client.get("/reports/monthly?month=2026-03"))
    assert "Requests received 3" in march and "Mar 26 3 2" in march
    april = text_of(manager_client.get("/reports/monthly?month=2026-04"))
    assert "Requests received 4" in april and "Apr 26 4 1" in april


def test_the_reviewers_are_named_as_they_are_now(app, two_months, manager_client, staff):
    """The reviewers' loads are not kept: a reviewer's new name shows at once."""
    from tracker.staff.models import User

    forget_kept()
    assert "Dr Omar Second (GP) 2 1 1" in text_of(
        manager_client.get("/reports/monthly?month=2026-04")
    )
    with app.app_context():
        db.session.get(User, staff.other_gp.id).full_name = "Dr Omar Renamed"
        db.session.commit()
    page = text_of(manager_client.get("/reports/monthly?month=2026-04"))
    assert "Dr Omar Renamed (GP) 2 1 1" in page and "Omar Second" not in page


def test_figures_counted_after_an_unfinished_change_are_not_kept(app, two_months):
    """A request's own change not yet committed has no new marker (on PostgreSQL the marker
    changes as the change commits): what it counts then is its own, and not kept."""
    from tracker.practices.scope import in_practice

    forget_kept()
    march = Month(2026, 3)
    with app.app_context():
        moved = db.session.scalar(
            select(Case).where(Case.received_on == date(2026, 3, 2), Case.urgent.is_(False))
        )
        with in_practice(moved.practice_id):
            assert figures.report_figures(march)[0].received == 4
            assert figures.report_figures(march)[0].received == 4  # kept
            moved.received_on = date(2026, 4, 1)
            db.session.flush()
            assert figures.report_figures(march)[0].received == 3
            db.session.rollback()
            assert figures.report_figures(march)[0].received == 4


def test_a_temporary_table_cannot_stand_in_for_the_markers(app, place_case):
    """PostgreSQL: the marker is written by a function running as the tables' owner. A
    temporary table the app's own role makes, named like the markers' table, must not receive
    that write (a temporary schema is searched first unless it is named last), or the app's
    role could have its own code run as the owner."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("the marker's function runs as the owner on PostgreSQL only")
    reference = place_case(received_on=date(2026, 4, 2))
    with app.app_context():
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        case_id, practice_id = case.id, case.practice_id
        before = marker_of(practice_id)
        db.session.rollback()
        with db.engine.connect() as connection:
            connection.execute(
                text(
                    "CREATE TEMPORARY TABLE figures_markers "
                    "(practice_id integer PRIMARY KEY, marker varchar(32), changed_in bigint)"
                )
            )
            connection.execute(
                update(Case.__table__)
                .where(Case.__table__.c.id == case_id)
                .values(received_on=date(2026, 4, 3))
            )
            connection.commit()
            assert connection.scalar(text("SELECT count(*) FROM pg_temp.figures_markers")) == 0
            connection.execute(text("DROP TABLE pg_temp.figures_markers"))
            connection.commit()
        assert marker_of(practice_id) != before
