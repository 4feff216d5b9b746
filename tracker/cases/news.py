""" "New for you": what others changed on a person's cases since they last cleared the list.

A person's cases are those they review and those they logged. Views and sent emails are not
news; what the person did themselves is not news to them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, has_app_context
from sqlalchemy import Select, bindparam, event, func, or_, select, update
from sqlalchemy.orm import Session

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.models import Event
from tracker.cases.models import Case
from tracker.extensions import db, kept_a_while
from tracker.practices.scope import chosen_practice_id, made_once
from tracker.staff.models import User
from tracker.types import codes_in_sql

NOT_NEWS = (EventKind.VIEWED, EventKind.EMAIL_SENT)
FIRST_LOOK = timedelta(days=7)  # before someone first clears the list, the last week counts
SHOWN = 20
COUNTED = SHOWN  # the count stops here ("20+", as many as the home page lists)


@dataclass(frozen=True)
class NewsItem:
    """One change on the list: what the home page shows of it."""

    reference: str
    kind: str
    from_stage: str | None
    to_stage: str | None
    occurred_at: datetime
    actor_name: str | None  # None: the tracker itself


def since(user: User) -> datetime:
    return user.news_seen_at or clock.now_utc() - FIRST_LOOK


def is_news(event: Event) -> bool:
    return event.case_id is not None and event.kind not in NOT_NEWS


@event.listens_for(Session, "after_flush")
def _keep_last_change(session: Session, flush_context) -> None:
    """Whoever writes an event that is news, its case's `last_change_at` follows, in the same
    transaction; the case's version does not move (a note is not a change to the case's
    fields, and must not make someone else's open form out of date)."""
    newest: dict[tuple[int, int], datetime] = {}
    for obj in session.new:
        if isinstance(obj, Event) and is_news(obj):
            key = (obj.practice_id, obj.case_id)
            newest[key] = max(newest.get(key, obj.occurred_at), obj.occurred_at)
    if not newest:
        return
    cases = Case.__table__
    connection = session.connection()
    for (practice_id, case_id), at in newest.items():
        connection.execute(
            update(cases)
            .where(
                cases.c.practice_id == practice_id,
                cases.c.id == case_id,
                or_(cases.c.last_change_at.is_(None), cases.c.last_change_at < at),
            )
            .values(last_change_at=at)
        )


def _news_events() -> Select:
    """Events on a person's cases (`user_id`) after `after`. It starts from the person's cases
    changed since then (two index ranges: the cases they review, the cases they logged), then
    reads only those cases' recent events: the work follows what changed lately on their
    cases, not how many cases the person has ever had nor how busy the whole practice is."""
    after, user_id = bindparam("after"), bindparam("user_id")
    theirs = select(Case.id).where(
        or_(Case.reviewer_id == user_id, Case.created_by_id == user_id),
        Case.last_change_at > after,
    )
    return select(Event.id).where(
        Event.case_id.in_(theirs),
        or_(Event.actor_id.is_(None), Event.actor_id != user_id),
        Event.kind.not_in(codes_in_sql(NOT_NEWS)),
        Event.occurred_at > after,
    )


def _counted() -> Select:
    newest = _news_events().order_by(Event.occurred_at.desc()).limit(COUNTED + 1)
    return select(func.count()).select_from(newest.subquery())


def _listed() -> Select:
    newest = (
        _news_events()
        .order_by(Event.occurred_at.desc(), Event.id.desc())
        .limit(bindparam("shown"))
        .subquery()
    )
    return (
        select(
            Case.reference,
            Event.kind,
            Event.from_stage,
            Event.to_stage,
            Event.occurred_at,
            User.full_name,
        )
        .select_from(Event)
        .join(newest, newest.c.id == Event.id)
        .join(Case, Event.case_id == Case.id)
        .outerjoin(User, User.id == Event.actor_id)
        .order_by(Event.occurred_at.desc(), Event.id.desc())
    )


# Made once (see `made_once`): the header's count and the home page's list.
COUNTED_NEWS = made_once(_counted())
LISTED_NEWS = made_once(_listed())


def _whose(user: User) -> dict:
    return {"user_id": user.id, "after": since(user)}


def count_new(user: User) -> int:
    """How many changes are new, up to COUNTED + 1 (shown as "20+"): the newest events are read
    first and the count stops there.

    The header shows it on every page, so each worker keeps a person's count for
    NEWS_COUNT_KEPT_SECONDS: others' changes reach the count within that time, and clearing the
    list (a new "seen" time) shows at once, on any worker."""

    def read() -> int:
        return db.session.scalar(COUNTED_NEWS, _whose(user)) or 0

    if not has_app_context():
        return read()
    seconds = current_app.config["NEWS_COUNT_KEPT_SECONDS"]
    key = (chosen_practice_id(), user.id, user.news_seen_at)  # each practice's count apart
    return kept_a_while(_COUNTS, key, seconds, read)


_COUNTS = "tracker.news_counts"  # kept_a_while's name: (practice, person, seen at) -> count


def new_for(user: User, limit: int = SHOWN) -> list[NewsItem]:
    """The newest changes to the person's cases since they last cleared the list: only what
    the list shows of each, read in one plain statement (no event or account objects), which
    the database plans in a fraction of the time."""
    rows = db.session.execute(LISTED_NEWS, {**_whose(user), "shown": limit}).all()
    return [NewsItem(*row) for row in rows]


def mark_seen(user: User) -> None:
    user.news_seen_at = clock.now_utc()
