"""A busy reviewer's "my cases" shows the most urgent page and links to the rest."""

import re
from datetime import UTC, datetime

from tracker.queue.services import MY_CASES_SHOWN

TODAY = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_my_cases_shows_the_most_urgent_page_and_links_to_all(
    place_case, staff, as_user, frozen_clock
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
