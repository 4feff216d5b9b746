"""Fixed codes written into SQL (tracker/types.py): only the app's own codes, and the queries
that use them answer as with parameters."""

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
