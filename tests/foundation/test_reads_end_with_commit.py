"""A request that only read ends its transaction with COMMIT, not ROLLBACK
(`tracker.extensions.end_quietly`): the two are the same for a transaction that changed
nothing, but the PostgreSQL driver forgets every statement it had prepared at a rollback, so
a page ending in one has each of its statements planned afresh on the next request."""

import pytest
from sqlalchemy import event

from tracker.extensions import db, only_reads


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT cases.id FROM cases",
        "  select 1",
        "WITH batch AS (SELECT id FROM cases) SELECT * FROM batch",
        "WITH\nbatch AS (SELECT id FROM cases)\nSELECT * FROM batch",
    ],
)
def test_a_query_only_reads(statement):
    assert only_reads(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO events (kind) VALUES ('viewed')",
        "UPDATE cases SET stage = 'closed'",
        "DELETE FROM case_notes",
        "WITH gone AS (DELETE FROM case_notes RETURNING id) SELECT count(*) FROM gone",
        "WITH moved AS (UPDATE cases SET stage = 'closed' RETURNING id) SELECT id FROM moved",
        "WITHIN GROUP",
        "WITH t AS (SELECT 1) REPLACE INTO settings SELECT * FROM t",
        "SAVEPOINT sa_savepoint_1",
    ],
)
def test_a_statement_that_may_write_does_not(statement):
    assert not only_reads(statement)


@pytest.fixture
def endings(app):
    """How each transaction on the engine ended, while open."""
    seen: list[str] = []

    def committed(conn):
        seen.append("COMMIT")

    def rolled_back(conn):
        seen.append("ROLLBACK")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "commit", committed)
    event.listen(engine, "rollback", rolled_back)
    yield seen
    event.remove(engine, "commit", committed)
    event.remove(engine, "rollback", rolled_back)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("reception", "/"),
        ("other_gp", "/"),
        ("manager", "/"),
        ("manager", "/queue"),
        ("manager", "/queue?q=Ann"),
        ("manager", "/reports/monthly"),
        ("reception", "/cases/new"),
    ],
)
def test_a_page_that_only_reads_ends_with_a_commit(
    who, path, staff, log_case, act, as_user, endings
):
    reference = log_case(patient_name="Ann Able")
    act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    browser = as_user(getattr(staff, who))
    assert browser.get(path).status_code == 200  # the first look may note what it read
    endings.clear()
    assert browser.get(path).status_code == 200
    assert "ROLLBACK" not in endings
    assert "COMMIT" in endings
