"""A case's tags (overdue, due today, formal complaint, urgent) look the same in the queue and on
the case page: each has its words and its colour once, in its vocabulary."""

import re
from datetime import date

from tracker.cases.codes import CaseFlag, DueStatus

TAG = re.compile(r'<strong class="nhsuk-tag ([^"]*)">\s*([^<]*?)\s*</strong>')


def tags_in(html: str) -> dict[str, set[str]]:
    """Each tag's words on this part of the page, with the classes it is drawn with."""
    found: dict[str, set[str]] = {}
    for classes, words in TAG.findall(html):
        found.setdefault(words, set()).add(classes.strip())
    return found


def queue_row(html: str, reference: str) -> str:
    """The queue's row for this case."""
    rows = [row for row in html.split("<tr") if f'href="/cases/{reference}"' in row]
    assert rows, f"{reference} is not in the queue"
    return rows[0]


def test_the_queue_and_the_case_page_give_each_tag_the_same_colour(
    staff, place_case, as_user, frozen_clock
):
    # Today is Tuesday 24 November; reviewers are due to be assigned 2 working days after
    # a request arrives, a formal complaint acknowledged within 3.
    overdue = place_case(received_on=date(2026, 11, 18), formal_complaint=True, urgent=True)
    due_today = place_case(received_on=date(2026, 11, 20))
    client = as_user(staff.manager)
    queue = client.get("/queue").get_data(as_text=True)

    for reference, expected in (
        (overdue, {DueStatus.OVERDUE, CaseFlag.FORMAL_COMPLAINT, CaseFlag.URGENT}),
        (due_today, {DueStatus.DUE_TODAY}),
    ):
        in_queue = tags_in(queue_row(queue, reference))
        on_case_page = tags_in(client.get(f"/cases/{reference}").get_data(as_text=True))
        for status in expected:
            assert in_queue[status.label] == on_case_page[status.label] == {status.tag}, (
                status.label,
                in_queue,
                on_case_page,
            )
