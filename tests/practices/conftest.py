"""Two practices of one install, each with cases and a note, for the tests of their walls."""

import pytest
from sqlalchemy import select

from tests import factories
from tests.mail.conftest import mail_on, run_command, smtp_server  # noqa: F401 - shared fixtures
from tracker.cases.models import Case, CaseNote
from tracker.extensions import db
from tracker.practices.models import Practice
from tracker.practices.scope import in_practice


@pytest.fixture
def two_practices(app, make_user):
    """The install's practice (one) and a second, each with two cases and a note on one."""
    user = make_user("practice_manager")
    with app.app_context():
        one = db.session.scalars(select(Practice)).one()
        two = Practice(practice_name="Hillside Surgery", ods_code="B82002")
        db.session.add(two)
        db.session.commit()
        made = {}
        for practice in (one, two):
            with in_practice(practice.id):
                references = [
                    factories.create_case(original_gp_id=None, created_by_id=user.id)
                    for _ in range(2)
                ]
                case = db.session.scalars(select(Case).where(Case.reference == references[0])).one()
                db.session.add(CaseNote(case_id=case.id, author_id=user.id, text="A note"))
                db.session.commit()
                made[practice.id] = references
        return one.id, two.id, made
