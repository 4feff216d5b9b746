"""A busy reviewer's "my cases" shows the most urgent page and links to the rest."""

import re
from datetime import UTC, datetime

from sqlalchemy import event

from tracker.extensions import db
from tracker.queue.services import MY_CASES_SHOWN

TODAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def statements_for(app, client, path: str) -> int:
    """SQL statements a warm request of this page runs."""
    counted = []

    def count(*_args, **_kwargs):
        counted.append(1)

    client.get(path)
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", count)
    return len(counted)


def test_my_cases_shows_the_most_urgent_page_and_links_to_all(
    app, place_case, staff, as_user, frozen_clock
):
    frozen_clock.now = TODAY
    calm = [
        place_case(
            stage="assigned",
            reviewer_id=staff.other_gp.id,
            outcome_clock_from=datetime(2026, 11, 23, tzinfo=UTC),
        )
        for _ in range(MY_CASES_SHOWN + 4)
    ]
    late = place_case(
        stage="assigned",
        reviewer_id=staff.other_gp.id,
        outcome_clock_from=datetime(2026, 11, 2, tzinfo=UTC),
    )
    urgent = place_case(
        stage="in_review",
        reviewer_id=staff.other_gp.id,
        urgent=True,
        outcome_clock_from=datetime(2026, 11, 23, tzinfo=UTC),
    )
    html = as_user(staff.other_gp).get("/queue").get_data(as_text=True)
    mine = html[html.index('id="my-cases"') : html.index('id="practice-queue"')]
    shown = re.findall(r'href="/cases/(SO-\d{4}-\d{4})"', mine)
    assert len(shown) == MY_CASES_SHOWN
    assert shown[:2] == [urgent, late]
    assert set(shown[2:]) <= set(calm)
    total = MY_CASES_SHOWN + 6
    assert f"({total})" in mine
    assert f"See all {total} of your open cases" in mine
    assert f'href="/queue?reviewer={staff.other_gp.id}"' in mine
    home = as_user(staff.other_gp).get("/").get_data(as_text=True)
    assert f"({total})" in home or f"{total} open" in home or f"See all {total}" in home
    # A full page of a busy GP's cases, with its count, costs what a quiet GP's page does.
    busy = statements_for(app, as_user(staff.other_gp), "/")
    quiet = statements_for(app, as_user(staff.gp), "/")
    assert busy == quiet
