"""The multi-practice bench's install: list sizes skewed as real lists are, cases in proportion,
each practice with its own accounts, network, references and reference counters, and the
practices' cases written in turns rather than one practice after another."""

import random
from datetime import UTC, datetime

from sqlalchemy import func, select

from bench.practices import cases_for, chosen, generate_install, list_sizes
from tests.helpers import as_owner, sign_in
from tracker.cases.models import Case, CaseSequence
from tracker.extensions import db
from tracker.practices.models import Practice
from tracker.practices.scope import across_practices
from tracker.staff.models import Membership

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_list_sizes_are_skewed_and_cases_follow_them():
    sizes = list_sizes(200, True, random.Random(5))
    assert len(sizes) == 200 and sizes.count(30_000) == 4
    assert all(2_500 <= size <= 15_000 for size in sizes[4:])
    assert 4_000 <= sorted(sizes)[100] <= 6_000  # most near 5,000
    cases = cases_for(sizes, 1_000_000)
    assert sum(cases) == 1_000_000
    assert cases[0] > 4 * cases[sizes.index(min(sizes))]
    assert list_sizes(20, False, random.Random(5)) == [5_000] * 20


def test_each_practice_has_its_own_staff_references_and_counters(app, client):
    sizes = [30_000, 5_000, 2_500]
    cases = cases_for(sizes, 120)
    with app.app_context():
        with as_owner(app) as connection:
            install = generate_install(connection, sizes, cases, NOW)
        picked = chosen(install)
        assert [picked[k].id for k in ("largest", "middle", "smallest")] == [1, 2, 3]
        with across_practices("this test"):
            per_practice = dict(
                db.session.execute(
                    select(Case.practice_id, func.count(Case.id)).group_by(Case.practice_id)
                ).all()
            )
            assert per_practice == {1: cases[0], 2: cases[1], 3: cases[2]}
            # Each practice numbers its own cases from one, and its counters follow them.
            for practice_id in (1, 2, 3):
                sequences = db.session.scalars(
                    select(Case.sequence).where(Case.practice_id == practice_id)
                ).all()
                counted = db.session.scalar(
                    select(func.sum(CaseSequence.last_value)).where(
                        CaseSequence.practice_id == practice_id
                    )
                )
                assert min(sequences) == 1 and counted == len(sequences)
            # The practices' cases were written in turns: practice 3's ids are not all after
            # practice 1's.
            first_of_three = db.session.scalar(
                select(func.min(Case.id)).where(Case.practice_id == 3)
            )
            last_of_one = db.session.scalar(select(func.max(Case.id)).where(Case.practice_id == 1))
            assert first_of_three < last_of_one
            assert db.session.scalar(select(func.count(Practice.id))) == 3
            members = db.session.execute(
                select(Membership.practice_id, func.count(Membership.id)).group_by(
                    Membership.practice_id
                )
            ).all()
            # Five at reception, ten GPs (one has left) and three managers in each.
            assert {count for _, count in members} == {18}
    # A practice's receptionist signs in and works in that practice.
    reception = install.practices[1].staff.accounts["reception"][0]
    response = sign_in(client, reception, "bench-password-long-enough")
    assert response.status_code == 302
    assert "Bench Practice 2" in client.get("/").get_data(as_text=True)
