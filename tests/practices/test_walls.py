"""Every practice's records are its own: each table of a practice's records holds the practice,
every query made while working in one practice reads and changes only that practice's rows, and
SQL that would read a practice's table without naming the practice is refused."""

from datetime import date

import pytest
from sqlalchemy import bindparam, delete, func, inspect, select, text, update
from sqlalchemy.exc import StatementError

from tracker.audit.models import Event
from tracker.cases.models import Case, CaseNote
from tracker.extensions import db
from tracker.practices.scope import (
    PracticeOwned,
    UnscopedStatement,
    WrongPractice,
    across_practices,
    in_practice,
    made_once,
)
from tracker.queue.services import REVIEWERS

# Tables that belong to the install, not to one practice: people (who may work in several),
# their sign-ins and preferences, the practices and networks themselves, and who oversees a
# network (in figures without identifiers).
INSTALL_WIDE = {
    "alembic_version",
    "users",
    "user_sessions",
    "sign_in_failures",
    "recovery_codes",
    "sign_in_identities",
    "notification_preferences",
    "staff_leave",
    "pcns",
    "icbs",
    "network_roles",
    "practices",
}


def test_every_table_holds_its_practice_or_is_named_as_the_installs(app):
    mapped = {mapper.local_table.name: mapper.class_ for mapper in db.Model.registry.mappers}
    with app.app_context(), db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        for table in sorted(tables - INSTALL_WIDE):
            model = mapped.get(table)
            assert model is not None and issubclass(model, PracticeOwned), (
                f"{table}: give it a practice (PracticeOwned) or name it in INSTALL_WIDE"
            )
            keys = inspect(connection).get_foreign_keys(table)
            assert any(
                key["constrained_columns"] == ["practice_id"]
                and key["referred_table"] == "practices"
                for key in keys
            ), f"{table}.practice_id points at practices"
    assert INSTALL_WIDE - {"alembic_version"} <= tables


def test_each_practice_reads_only_its_own_rows(app, two_practices):
    one, two, made = two_practices
    with app.app_context():
        # Both practices number their cases from one: a reference is unique within a practice.
        assert made[one] == made[two] == ["SO-2026-0001", "SO-2026-0002"]
        for mine, theirs in ((one, two), (two, one)):
            with in_practice(mine):
                cases = db.session.scalars(select(Case)).all()
                assert {case.practice_id for case in cases} == {mine} and len(cases) == 2
                assert db.session.scalar(select(func.count(CaseNote.id))) == 1
                joined = db.session.execute(
                    select(Case.reference, CaseNote.text).join(
                        CaseNote, CaseNote.case_id == Case.id
                    )
                ).all()
                assert len(joined) == 1
                with across_practices("this test"):
                    other_id = db.session.scalars(
                        select(Case.id).where(Case.practice_id == theirs)
                    ).first()
                db.session.expunge_all()
                assert db.session.get(Case, other_id) is None
        with across_practices("this test"):
            assert db.session.scalar(select(func.count(Case.id))) == 4


def test_a_statement_made_once_reads_only_the_practice_it_runs_in(app, two_practices):
    """The same statement object, kept to each practice once and reused: run in one practice,
    then the other, then the first again, each time it finds that practice's case alone."""
    one, two, made = two_practices
    by_reference = made_once(select(Case.practice_id).where(Case.reference == bindparam("ref")))
    with app.app_context():
        for practice in (one, two, one, two):
            with in_practice(practice):
                found = db.session.scalars(by_reference, {"ref": made[practice][0]}).all()
                assert found == [practice]
        with in_practice(one):  # the queue's own statements too
            assert len(db.session.execute(REVIEWERS).all()) == 1
        with in_practice(two):
            assert db.session.execute(REVIEWERS).all() == []
        # A named view across practices reads both; a request with no practice reads none;
        # and a practice afterwards still reads its own alone.
        every = made_once(select(Case.practice_id).where(Case.reference.in_(made[one])))
        with across_practices("this test"):
            assert sorted(db.session.scalars(every)) == sorted([one, one, two, two])
        with app.test_request_context("/"):
            assert db.session.scalars(every).all() == []
        with in_practice(two):
            assert db.session.scalars(every).all() == [two, two]


def test_each_practice_changes_only_its_own_rows(app, two_practices):
    one, two, _ = two_practices
    with app.app_context():
        with in_practice(one):
            changed = db.session.execute(update(Case).values(concern="Changed"))
            removed = db.session.execute(delete(CaseNote))
            db.session.commit()
        assert (changed.rowcount, removed.rowcount) == (2, 1)
        with across_practices("this test"):
            concerns = db.session.execute(select(Case.practice_id, Case.concern)).all()
            notes = db.session.scalars(select(CaseNote.practice_id)).all()
        assert sorted(concerns) == [
            (one, "Changed"),
            (one, "Changed"),
            (two, "Concern"),
            (two, "Concern"),
        ]
        assert notes == [two]


def test_a_new_row_belongs_to_the_practice_worked_in_and_no_other(app, two_practices, make_user):
    one, two, _ = two_practices
    with app.app_context():
        with in_practice(two):
            case_id = db.session.scalars(select(Case.id)).first()
            db.session.add(Event(kind="case_note_added", case_id=case_id, detail="Added"))
            db.session.commit()
            assert db.session.scalars(select(Event.practice_id)).all() == [two]
        with in_practice(one):
            db.session.add(
                Case(
                    practice_id=two,
                    reference="SO-2026-0099",
                    year=2026,
                    sequence=99,
                    patient_name="Someone",
                    preferred_contact="letter",
                    received_on=date(2026, 11, 2),
                    channel="letter",
                    concern="Concern",
                    route_requested="second_opinion_gp",
                    created_by_id=make_user("reception").id,
                )
            )
            with pytest.raises(WrongPractice):
                db.session.flush()
            db.session.rollback()


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT count(*) FROM cases",
        "SELECT case_notes.text FROM case_notes JOIN cases ON cases.id = case_notes.case_id"
        " WHERE cases.practice_id = 1",
        "UPDATE cases SET concern = 'x' WHERE stage = 'logged'",
    ],
)
def test_sql_that_does_not_name_the_practice_is_refused(app, two_practices, sql):
    one, _, _ = two_practices
    with app.app_context():
        with in_practice(one), pytest.raises((UnscopedStatement, StatementError)) as refused:
            db.session.execute(text(sql))
        db.session.rollback()
        assert "without its practice" in str(refused.value)
        # The command line and the named views across practices may.
        with across_practices("this test"):
            db.session.execute(text(sql))
        db.session.rollback()
