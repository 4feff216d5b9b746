"""Fixed codes written into SQL (tracker/types.py): only the app's own codes, and the queries
that use them answer as with parameters."""

import re

import pytest
from sqlalchemy import select

from tracker.cases.models import OPEN_CASE_IN_SQL, Case
from tracker.cases.workflow import Stage
from tracker.extensions import db
from tracker.types import codes_in_sql


@pytest.mark.parametrize("text", ["closed' OR 1=1 --", "Closed", "in review", "", "a;b"])
def test_only_the_apps_own_codes_are_written_into_sql(text):
    with pytest.raises(ValueError):
        codes_in_sql([text])


def test_open_cases_written_in_are_the_open_cases(app, place_case):
    for stage in Stage:
        place_case(stage=stage.value)
    with app.app_context():
        written_in = set(db.session.scalars(select(Case.stage).where(OPEN_CASE_IN_SQL)))
        named = set(db.session.scalars(select(Case.stage).where(Case.stage.in_(list(Stage)))))
    assert written_in == {s.value for s in Stage} - {"closed"}
    assert named - written_in == {"closed"}
    sql = str(select(Case.id).where(OPEN_CASE_IN_SQL))
    assert "'closed'" in sql


def test_the_pages_limits_are_written_into_their_sql():
    """A limit passed as a parameter leaves PostgreSQL planning the statement afresh on every
    request (`number_in_sql`): the limits of the statements every page runs are written in."""
    from sqlalchemy.dialects import postgresql

    from tracker.cases import news, queries
    from tracker.queue import services

    statements = {
        "new today": services.NEW_TODAY,
        "waiting for triage": services.WAITING_FOR_TRIAGE,
        "my cases": services.MY_CASES[False][0],
        "a visiting GP's cases": services.MY_CASES[True][0],
        "the patient's other requests": queries.SAME_NUMBER,
        "New for you": news.LISTED,
    }
    for name, statement in statements.items():
        sql = str(statement.compile(dialect=postgresql.psycopg.dialect()))
        limits = re.findall(r"\b(LIMIT|OFFSET) ([^\s)]+)", sql)
        assert limits, name
        assert all(value.isdigit() for _, value in limits), (name, limits)
    assert "LIMIT 25 OFFSET 50" in str(services._page_query(select(Case), 3))
    # Pages further on pass their offset, so a walk through every page adds no statements.
    far = services._page_query(select(Case), services.PAGES_WRITTEN_IN + 1)
    far = far.compile(dialect=postgresql.psycopg.dialect())
    assert "LIMIT 25 OFFSET %(param_1)s" in str(far)
    assert far.params["param_1"] == services.PAGES_WRITTEN_IN * 25


def test_only_whole_numbers_are_written_into_sql():
    from tracker.types import number_in_sql

    assert str(number_in_sql(7)) == "7"
    for wrong in ("7; DROP TABLE cases", 7.9):
        with pytest.raises(TypeError):
            number_in_sql(wrong)
