"""The second wall, on PostgreSQL: row-level security. The app connects as its own role, which
the policies apply to, and SQL that forgot the practice (written by hand, past the ORM's scoping
and past the tests' own statement check) still reads, changes and adds nothing of another
practice's. The app refuses to run as a superuser, a role that bypasses row-level security or the
tables' owner unless told it is migrating."""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, IntegrityError, ProgrammingError

from tracker import create_app
from tracker.config import TestConfig, normalise_database_url
from tracker.extensions import db
from tracker.practices.scope import across_practices, in_practice, start_request
from tracker.practices.walls import UnsafeDatabaseRole

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="row-level security is PostgreSQL's"
)


@pytest.fixture
def unchecked_app(database_url):
    """The app as production runs it: without the tests' check that every statement names its
    practice, so SQL that forgot it reaches the database."""
    config = TestConfig(database_url)
    config.CHECK_PRACTICE_SCOPE = False
    made = create_app(config)
    yield made
    with made.app_context():
        db.engine.dispose()


def test_the_app_connects_as_its_own_role_which_row_level_security_applies_to(app):
    with app.app_context():
        user, superuser, bypasses = db.session.execute(
            text(
                "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles "
                "WHERE rolname = current_user"
            )
        ).one()
        owners = db.session.scalars(
            text("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = current_schema()")
        ).all()
    assert user == "tracker_app" and not superuser and not bypasses
    assert user not in owners


def test_every_practice_owned_table_has_its_wall(app):
    from tracker.practices.scope import owned_tables

    with app.app_context():
        walled = dict(
            db.session.execute(
                text(
                    "SELECT c.relname, c.relrowsecurity FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
                )
            ).all()
        )
        policies = set(
            db.session.scalars(
                text(
                    "SELECT tablename FROM pg_policies WHERE schemaname = current_schema() "
                    "AND policyname = 'practice_wall'"
                )
            )
        )
    for table in sorted(owned_tables()):
        assert walled.get(table) is True, f"{table}: row-level security is not on"
        assert table in policies, f"{table} has no practice_wall policy"


def test_sql_that_forgot_the_practice_reads_only_the_practice_being_worked_in(
    unchecked_app, two_practices
):
    one, two, made = two_practices
    with unchecked_app.app_context():
        for mine, theirs in ((one, two), (two, one)):
            with in_practice(mine):
                rows = db.session.execute(text("SELECT practice_id, reference FROM cases")).all()
                assert {row.practice_id for row in rows} == {mine} and len(rows) == 2
                asked_for_theirs = db.session.scalar(
                    text("SELECT count(*) FROM cases WHERE practice_id = :theirs"),
                    {"theirs": theirs},
                )
                assert asked_for_theirs == 0
                for table in ("case_notes", "events", "memberships", "case_name_words"):
                    seen = db.session.scalars(
                        text(f"SELECT DISTINCT practice_id FROM {table}")  # noqa: S608 - fixed names
                    ).all()
                    assert set(seen) <= {mine}, table
            db.session.commit()
        # A named cross-practice view sees both.
        with across_practices("this test"):
            assert db.session.scalar(text("SELECT count(*) FROM cases")) == 4


def test_sql_that_forgot_the_practice_changes_and_adds_nothing_of_anothers(
    unchecked_app, two_practices
):
    one, two, _ = two_practices
    with unchecked_app.app_context():
        with in_practice(one):
            changed = db.session.execute(text("UPDATE cases SET concern = 'Changed'")).rowcount
            removed = db.session.execute(
                text("DELETE FROM case_notes WHERE practice_id = :two"), {"two": two}
            ).rowcount
            db.session.commit()
        assert (changed, removed) == (2, 0)
        with in_practice(one):
            with pytest.raises(ProgrammingError, match="row-level security"):
                db.session.execute(
                    text(
                        "INSERT INTO case_notes (case_id, author_id, text, practice_id, "
                        "created_at) SELECT id, created_by_id, 'Planted', :two, now() FROM cases "
                        "LIMIT 1"
                    ),
                    {"two": two},
                )
            db.session.rollback()
        with across_practices("this test"):
            concerns = dict(
                db.session.execute(
                    text(
                        "SELECT practice_id, string_agg(DISTINCT concern, ',') FROM cases GROUP BY 1"
                    )
                ).all()
            )
            notes = db.session.scalar(
                text("SELECT count(*) FROM case_notes WHERE practice_id = :two"), {"two": two}
            )
        assert concerns[one] == "Changed" and concerns[two] != "Changed"
        assert notes == 1


def test_a_request_with_no_practice_chosen_reads_no_practices_rows(unchecked_app, two_practices):
    with unchecked_app.test_request_context("/"):
        start_request(None)
        assert db.session.scalar(text("SELECT count(*) FROM cases")) == 0
        assert db.session.scalar(text("SELECT count(*) FROM memberships")) == 0
        db.session.rollback()
        # The same statement between practices, in a savepoint undone: the settings of the
        # transaction are set again, not assumed.
        with in_practice(two_practices[0]):
            savepoint = db.session.begin_nested()
            assert db.session.scalar(text("SELECT count(*) FROM cases")) == 2
            savepoint.rollback()
            assert db.session.scalar(text("SELECT count(*) FROM cases")) == 2
        assert db.session.scalar(text("SELECT count(*) FROM cases")) == 0
        db.session.rollback()


def test_a_failed_first_statement_leaves_the_next_transaction_naming_its_practice(
    unchecked_app, two_practices
):
    """A transaction's first statement failing raises its own error, and the next transaction
    on the connection names its practice afresh (`walls`) and reads only that practice's."""
    one, two, _ = two_practices
    with unchecked_app.app_context():
        for practice in (one, two, one):
            with in_practice(practice):
                with pytest.raises(DataError, match="division by zero"):
                    db.session.execute(text("SELECT count(*) / 0 FROM cases"))
                db.session.rollback()
                with pytest.raises(IntegrityError, match="duplicate key"):
                    db.session.execute(text("INSERT INTO cases SELECT * FROM cases LIMIT 1"))
                db.session.rollback()
                assert db.session.execute(
                    text("SELECT DISTINCT practice_id FROM cases")
                ).scalars().all() == [practice]
                db.session.commit()


def test_the_installs_own_events_are_written_outside_practices_and_read_by_no_practice(
    unchecked_app, two_practices
):
    """A PCN manager's download (working in no practice) records an event of the install's
    own; a statement working in a practice reads none of them."""
    from tracker.audit.kinds import EventKind
    from tracker.audit.record import record_event

    with unchecked_app.test_request_context("/"):
        start_request(None)
        event = record_event(EventKind.EXPORT, None, detail="A network's figures downloaded")
        db.session.commit()
        assert event.id is not None and event.practice_id is None
        with in_practice(two_practices[0]):
            assert (
                db.session.scalar(text("SELECT count(*) FROM events WHERE practice_id IS NULL"))
                == 0
            )
        db.session.rollback()


def test_the_app_refuses_a_superuser_unless_told_it_is_migrating(database_url):
    with pytest.raises(UnsafeDatabaseRole, match="superuser"):
        create_app(_as_owner(database_url, migrating=False))
    migrating = create_app(_as_owner(database_url, migrating=True))
    with migrating.app_context():
        assert db.session.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
        db.engine.dispose()


def _as_owner(database_url: str, migrating: bool) -> TestConfig:
    """A config connecting the app as the test server's own (superuser) role."""
    config = TestConfig(database_url, migrating=True)
    config.DATABASE_MIGRATING = migrating
    return config


@pytest.fixture
def probe_role(scratch_database_url):
    """A role of this test's own, on a scratch database; dropped afterwards."""
    role = f"tracker_probe_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        make_url(normalise_database_url(scratch_database_url)), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    yield role, admin
    with admin.connect() as connection:
        connection.execute(text(f'DROP OWNED BY "{role}"'))
        connection.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


def _config_for(scratch_database_url: str, role: str) -> TestConfig:
    config = TestConfig(scratch_database_url)
    config.SQLALCHEMY_DATABASE_URI = (
        make_url(config.SQLALCHEMY_DATABASE_URI).set(username=role).render_as_string(False)
    )
    return config


def test_the_app_refuses_the_tables_owner_and_a_role_that_bypasses_the_policies(
    scratch_database_url, probe_role
):
    role, admin = probe_role
    with admin.connect() as connection:
        connection.execute(text("CREATE TABLE kept_here (id integer)"))
        connection.execute(text(f'ALTER TABLE kept_here OWNER TO "{role}"'))
    with pytest.raises(UnsafeDatabaseRole, match="owns the tables"):
        create_app(_config_for(scratch_database_url, role))
    with admin.connect() as connection:
        connection.execute(text("ALTER TABLE kept_here OWNER TO CURRENT_USER"))
        connection.execute(text(f'ALTER ROLE "{role}" BYPASSRLS'))
    with pytest.raises(UnsafeDatabaseRole, match="bypasses row-level security"):
        create_app(_config_for(scratch_database_url, role))
    with admin.connect() as connection:
        connection.execute(text(f'ALTER ROLE "{role}" NOBYPASSRLS'))
    accepted = create_app(_config_for(scratch_database_url, role))
    with accepted.app_context():
        assert db.session.scalar(text("SELECT current_user")) == role
        db.session.rollback()
        db.engine.dispose()


def test_the_planner_knows_a_persons_cases_and_a_cases_events_are_one_practices(app):
    """Extended statistics (migration 0035): without them a busy practice's "New for you"
    reads every case its GP ever had (docs/scaling.md)."""
    with app.app_context():
        found = dict(
            db.session.execute(
                text(
                    "SELECT stxname, array_to_string(ARRAY(SELECT attname FROM pg_attribute "
                    "WHERE attrelid = stxrelid AND attnum = ANY(stxkeys) ORDER BY attnum), ',') "
                    "FROM pg_statistic_ext"
                )
            ).all()
        )
    assert set(found["st_cases_practice_people"].split(",")) == {
        "practice_id",
        "reviewer_id",
        "created_by_id",
    }
    assert set(found["st_events_practice_case"].split(",")) == {
        "practice_id",
        "case_id",
        "actor_id",
    }
