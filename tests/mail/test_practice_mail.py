"""The mail worker serves every practice of the install: each practice's daily summaries list
its own cases, name the practice and link into it, so someone who works in two practices gets
one summary from each."""

import re
from datetime import UTC, date, datetime

from tests import factories
from tests.helpers import set_practice
from tracker.extensions import db
from tracker.practices.scope import in_practice
from tracker.practices.services import create_practice
from tracker.staff.models import User
from tracker.staff.services import add_membership

CLOCK_FROM = datetime(2026, 11, 2, 10, tzinfo=UTC)


def overdue_case(reviewer_id: int, created_by_id: int, name: str) -> str:
    return factories.create_case(
        original_gp_id=None,
        created_by_id=created_by_id,
        received_on=date(2026, 11, 2),
        stage="assigned",
        reviewer_id=reviewer_id,
        first_assigned_at=CLOCK_FROM,
        assigned_at=CLOCK_FROM,
        outcome_clock_from=CLOCK_FROM,
        patient_name=name,
    )


def test_a_gp_of_two_practices_gets_each_practices_summary_with_its_own_cases(
    app, mail_on, staff, run_command, frozen_clock
):
    with app.app_context():
        riverside = set_practice(practice_name="Riverside Surgery").id
        hillside = create_practice(ods_code="B82002", name="Hillside Surgery").id
        add_membership(db.session.get(User, staff.other_gp.id), practice_id=hillside, role="gp")
        db.session.commit()
        with in_practice(riverside):
            ours = overdue_case(staff.other_gp.id, staff.reception.id, "Ann River")
        with in_practice(hillside):
            theirs = overdue_case(staff.other_gp.id, staff.manager.id, "Hal Hill")
    assert "2 daily summaries queued" in run_command("send-digests")
    assert "0 daily summaries queued" in run_command("send-digests")
    run_command("send-mail")
    summaries = [mail for mail in mail_on.received if mail.to == staff.other_gp.email]
    assert len(summaries) == 2
    by_practice = {
        "Riverside Surgery": (riverside, ours),
        "Hillside Surgery": (hillside, theirs),
    }
    for name, (practice_id, reference) in by_practice.items():
        mail = next(m for m in summaries if name in m.text)
        assert "Overdue (1)" in mail.text
        assert re.search(rf"/practices/{practice_id}/cases/{reference}\b", mail.text)
        other = next(n for n in by_practice if n != name)
        assert other not in mail.text
    assert ours == theirs == "SO-2026-0001"  # the links tell them apart
