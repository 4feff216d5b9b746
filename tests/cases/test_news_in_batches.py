""" "New for you" is read a batch of a person's cases at a time, the most lately changed first
(tracker/cases/news.py): the newest news must be found wherever it lies, also when the cases
changed last hold only the person's own changes."""

import random
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from tests import factories
from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.cases import news
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.practices.scope import in_practice


def newest_news_by_hand(app, user_id: int, after, shown: int) -> list[tuple[str, str]]:
    """Every event on the person's cases, filtered and ordered in Python (`newest_by_hand`):
    what the list must show."""
    with app.app_context():
        case = select(Case.practice_id).limit(1)
        with in_practice(db.session.execute(case).scalar_one()):
            return [
                (reference, kind) for reference, kind, _ in newest_by_hand(user_id, after, shown)
            ]


def listed(home: str) -> list[str]:
    """The references in the home page's list, in its order."""
    section = home.split('id="news-list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="/cases/([^"]+)">', section)


def test_the_newest_news_is_found_beyond_the_cases_the_person_changed_last(
    app, staff, log_case, act, as_user, frozen_clock
):
    cases = news.BATCH + 3
    references = []
    for n in range(cases):
        frozen_clock.advance(minutes=1)
        references.append(log_case(concern=f"Worry number {n}", confirm_duplicate="yes"))
    for reference in references:  # each assignment news to the GP, the last the newest
        frozen_clock.advance(minutes=1)
        act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    # The GP then writes on all but the last two: those cases are changed last, by the GP,
    # which is no news to them, so the newest news lies on the two cases read last.
    for reference in references[:-2]:
        frozen_clock.advance(minutes=1)
        act(staff.other_gp, reference, "add-note", {"text": "Read and noted"})

    response = as_user(staff.other_gp).get("/")

    # They never cleared the list: the last week counts.
    expected = newest_news_by_hand(app, staff.other_gp.id, frozen_clock.now - news.FIRST_LOOK, 20)
    assert [kind for _, kind in expected] == ["assigned"] * 20
    assert listed(response.get_data(as_text=True)) == [reference for reference, _ in expected]
    assert expected[:2] == [(references[-1], "assigned"), (references[-2], "assigned")]
    assert "New for you: 20+" in text_of(response)


def test_a_person_whose_cases_changed_before_they_last_looked_has_nothing_new(
    app, staff, log_case, act, as_user, frozen_clock
):
    for n in range(news.BATCH + 2):
        frozen_clock.advance(minutes=1)
        reference = log_case(concern=f"Worry number {n}", confirm_duplicate="yes")
        act(staff.manager, reference, "assign", {"reviewer": str(staff.other_gp.id)})
    gp = as_user(staff.other_gp)
    assert "New for you: 20+" in text_of(gp.get("/"))
    frozen_clock.advance(minutes=1)
    cleared = text_of(gp.post("/news/seen", follow_redirects=True))
    assert "New for you: 0" in cleared
    assert "Nothing has changed on your cases since you last cleared this list" in cleared

    frozen_clock.advance(minutes=1)
    act(staff.reception, reference, "add-note", {"text": "The patient rang back"})
    response = gp.get("/")
    assert listed(response.get_data(as_text=True)) == [reference]
    assert "New for you: 1" in text_of(response)


NEWS_KINDS = ["note_added", "assigned", "corrected"]


def newest_by_hand(user_id: int, after: datetime, shown: int) -> list[tuple]:
    """What `_newest` must answer, from every event on the person's cases, in Python."""
    rows = db.session.execute(
        select(Case.reference, Event.kind, Event.occurred_at, Event.id, Event.actor_id)
        .join(Case, Case.id == Event.case_id)
        .where((Case.reviewer_id == user_id) | (Case.created_by_id == user_id))
    ).all()
    wanted = [
        row
        for row in rows
        if row.kind not in news.NOT_NEWS and row.actor_id != user_id and row.occurred_at > after
    ]
    wanted.sort(key=lambda row: (row.occurred_at, row.id), reverse=True)
    return [(row.reference, row.kind, row.occurred_at) for row in wanted[:shown]]


@pytest.mark.parametrize("seed", range(12))
def test_the_batches_answer_as_reading_every_event_would(app, make_user, seed):
    """Practices of 30 to 110 cases, some the person logged, some they review, some both;
    news by others and by the tracker, views, the person's own later notes on many cases (so
    the cases changed last hold no news), ties in time: for either person, many "last
    looked" times and list lengths, the batches give what reading every event gives."""
    rnd = random.Random(seed)
    me, other = (make_user("gp", full_name=f"Dr Number {n}").id for n in range(2))
    with app.app_context():
        for _ in range(rnd.choice([30, 60, 110])):
            mine = rnd.random()
            factories.create_case(
                original_gp_id=None,
                created_by_id=me if mine < 0.5 else other,
                reviewer_id=me if mine > 0.3 else rnd.choice([other, None]),
            )
        with in_practice(db.session.execute(select(Case.practice_id).limit(1)).scalar_one()):
            cases = db.session.execute(select(Case.id)).scalars().all()
            start, step = datetime(2026, 11, 20, tzinfo=UTC), rnd.choice([1, 7, 60])

            def at(k: int) -> datetime:
                return start + timedelta(minutes=k * step)

            own = rnd.sample(cases, k=min(len(cases), rnd.choice([10, 26, 27, 50, 80])))
            quiet = rnd.random() < 0.5
            for case_id in cases:
                if quiet and case_id in own and rnd.random() < 0.9:
                    continue
                for _ in range(rnd.randrange(0, 4)):
                    kind = rnd.choice([*NEWS_KINDS, "viewed"])
                    actor = rnd.choice([other, None])
                    db.session.add(
                        Event(
                            kind=kind,
                            case_id=case_id,
                            actor_id=actor,
                            occurred_at=at(rnd.randrange(30)),
                        )
                    )
            for case_id in own:
                db.session.add(
                    Event(
                        kind="note_added",
                        case_id=case_id,
                        actor_id=me,
                        occurred_at=at(rnd.randrange(30, 60)),
                    )
                )
            for case_id in rnd.sample(cases, k=rnd.randrange(6)):
                kind, actor = rnd.choice(NEWS_KINDS), rnd.choice([other, None])
                db.session.add(
                    Event(
                        kind=kind,
                        case_id=case_id,
                        actor_id=actor,
                        occurred_at=at(rnd.randrange(25, 60)),
                    )
                )
            db.session.commit()
            for user_id in (me, other):
                for after in [at(-100), at(-1), at(10), at(29), at(30), at(45), at(59)]:
                    person = SimpleNamespace(id=user_id, news_seen_at=after)
                    for shown in (1, 3, 20, 21):
                        found = [
                            (i.reference, i.kind, i.occurred_at)
                            for i in news._newest(person, shown)
                        ]
                        assert found == newest_by_hand(user_id, after, shown), (
                            user_id,
                            after,
                            shown,
                        )


def test_news_beyond_a_first_batch_of_the_persons_own_changes_is_found(app, make_user):
    """The 27 cases changed last hold only the person's own notes: the first batch has no
    news at all, and the next starts with the 26th case."""
    me, other = (make_user("gp", full_name=f"Dr Number {n}").id for n in range(2))
    with app.app_context():
        for _ in range(30):
            factories.create_case(original_gp_id=None, created_by_id=other, reviewer_id=me)
        with in_practice(db.session.execute(select(Case.practice_id).limit(1)).scalar_one()):
            cases = db.session.execute(select(Case.id).order_by(Case.id)).scalars().all()
            start = datetime(2026, 11, 20, tzinfo=UTC)
            for k, case_id in enumerate(cases[:27]):
                moment = start + timedelta(hours=10 + k)
                db.session.add(
                    Event(kind="note_added", case_id=case_id, actor_id=me, occurred_at=moment)
                )
            for k, case_id in enumerate(cases[27:]):
                moment = start + timedelta(hours=k)
                db.session.add(
                    Event(kind="note_added", case_id=case_id, actor_id=other, occurred_at=moment)
                )
            db.session.commit()
            person = SimpleNamespace(id=me, news_seen_at=start - timedelta(days=1))
            found = [(i.reference, i.kind, i.occurred_at) for i in news._newest(person, 21)]
            assert len(found) == 3
            assert found == newest_by_hand(me, person.news_seen_at, 21)
