""" "New for you" is read a batch of a person's cases at a time, the most lately changed first
(tracker/cases/news.py): the newest news must be found wherever it lies, also when the cases
changed last hold only the person's own changes."""

import re

from sqlalchemy import select

from tests.helpers import text_of
from tracker.audit.models import Event
from tracker.cases import news
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.practices.scope import in_practice


def newest_news_by_hand(app, user_id: int, after, shown: int) -> list[tuple[str, str]]:
    """Every event on the person's cases, filtered and ordered in Python: what the list must
    show."""
    with app.app_context():
        case = select(Case.practice_id).limit(1)
        practice_id = db.session.execute(case).scalar_one()
        with in_practice(practice_id):
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
    return [(row.reference, row.kind) for row in wanted[:shown]]


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
