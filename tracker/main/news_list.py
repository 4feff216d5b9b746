"""The "New for you" list on the home pages, drawn in Python like the queue's rows
(tracker/queue/table.py): twenty items, each a link, a label, a stage change, a name and a
moment, cost more through the template's filters and the router than the rest of the page's
text. The markup is what the template drew. The name of who made the change, typed by staff,
is escaped; the reference is escaped, and quoted into its link; the rest is the tracker's own
words."""

from collections.abc import Iterable
from urllib.parse import quote

from markupsafe import Markup, escape

from tracker.cases.news import NewsItem
from tracker.cases.presenters import case_page_prefix, describe, event_label
from tracker.clock import format_moment


def _change(item: NewsItem) -> str:
    if item.from_stage == item.to_stage or not item.to_stage:
        return ""
    before = describe(item.from_stage, "stage") if item.from_stage else "New"
    return f" ({before} to {describe(item.to_stage, 'stage')})"


def news_list(items: Iterable[NewsItem]) -> Markup:
    """The list of changes, newest first, as the home page shows it."""
    link = case_page_prefix()
    drawn = "".join(
        f'\n    <li><a href="{link}{quote(item.reference, safe="")}">{escape(item.reference)}</a>: '
        f"{event_label(item.kind)}{_change(item)}, by {escape(item.actor_name or 'the tracker')}, "
        f'<time datetime="{item.occurred_at.isoformat()}">{format_moment(item.occurred_at)}</time>'
        "</li>"
        for item in items
    )
    return Markup(  # noqa: S704 - what staff typed is escaped above
        f'<ul class="nhsuk-list nhsuk-list--border" id="news-list">{drawn}\n  </ul>'
    )
