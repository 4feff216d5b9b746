""" "New for you": what others changed on a person's cases since they last cleared the list.

A person's cases are those they review and those they logged. Views and sent emails are not
news; what the person did themselves is not news to them.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app, g, has_app_context, has_request_context
from sqlalchemy import (
    Integer,
    Select,
    and_,
    bindparam,
    event,
    func,
    or_,
    select,
    tuple_,
    union,
    update,
)
from sqlalchemy.orm import Session

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.models import Event
from tracker.cases.models import Case
from tracker.extensions import db, keep_now, kept_a_while
from tracker.practices.scope import chosen_practice_id, made_once
from tracker.staff.models import User
from tracker.types import codes_in_sql, number_in_sql

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


BATCH = 25  # a person's cases read at a time, the most lately changed first
_NEVER = datetime(9999, 12, 31, tzinfo=UTC)  # before every change: where the first batch starts
_USER = bindparam("user_id")
READ = COUNTED + 1  # the most changes any caller asks for: the header's count


def _their_cases(limit: int) -> Select:
    """A person's cases (`user_id`), the most lately changed first, from (`from_at`,
    `from_id`) on: the cases they review and the cases they logged, each read backwards from
    its index for `limit` rows, then merged. A case's `last_change_at` is its newest change
    that is news (kept as each event is written), so none of its news is later."""
    from_here = tuple_(Case.last_change_at, Case.id) <= tuple_(
        bindparam("from_at", type_=Case.last_change_at.type), bindparam("from_id", type_=Integer)
    )

    def newest(column) -> Select:
        return (
            select(Case.id, Case.reference, Case.last_change_at)
            .where(column == _USER, Case.last_change_at.is_not(None), from_here)
            .order_by(Case.last_change_at.desc(), Case.id.desc())
            .limit(number_in_sql(limit))
        )

    theirs = union(
        newest(Case.reviewer_id).subquery().select(),
        newest(Case.created_by_id).subquery().select(),
    ).subquery()
    return (
        select(theirs)
        .order_by(theirs.c.last_change_at.desc(), theirs.c.id.desc())
        .limit(number_in_sql(limit))
    )


def _is_news_to_them():
    """An event that is news to the person: not a view or a sent email, and not their own
    doing. (Whether it came after they last looked is checked on the rows read: with no time
    in them, the statements below are planned once and kept, not planned again for each
    person's time.)"""
    return and_(
        or_(Event.actor_id.is_(None), Event.actor_id != _USER),
        Event.kind.not_in(codes_in_sql(NOT_NEWS)),
    )


def _listed() -> Select:
    """The newest news on a batch of the person's cases, each case's read from its own range
    of the events' case index, with where the next batch starts (the last change and id of
    the case after the batch) on every row."""
    theirs = _their_cases(BATCH + 1).subquery()
    place = func.row_number().over(order_by=(theirs.c.last_change_at.desc(), theirs.c.id.desc()))
    batch = select(theirs, place.label("place")).cte("batch")
    following = batch.c.place == number_in_sql(BATCH + 1)
    return (
        select(
            batch.c.reference,
            Event.kind,
            Event.from_stage,
            Event.to_stage,
            Event.occurred_at,
            User.full_name,
            Event.id,
            select(batch.c.last_change_at).where(following).scalar_subquery().label("next_at"),
            select(batch.c.id).where(following).scalar_subquery().label("next_id"),
        )
        .select_from(Event)
        .join(batch, and_(batch.c.id == Event.case_id, batch.c.place <= number_in_sql(BATCH)))
        .outerjoin(User, User.id == Event.actor_id)
        .where(_is_news_to_them())
        .order_by(Event.occurred_at.desc(), Event.id.desc())
        .limit(number_in_sql(READ))
    )


# Made once (see `made_once`): a batch's newest news, and (when it holds none) the batch with
# the first case of the next.
LISTED = made_once(_listed())
THEIR_CASES = made_once(_their_cases(BATCH + 1))


def _newest(user: User, shown: int) -> list[NewsItem]:
    """The person's `shown` newest changes since they last looked that are news to them, read
    a batch of their cases at a time, the most lately changed first, and the newest `shown`
    changes on each batch. No case after a batch holds a change later than its own last
    change, so once `shown` changes are found that are all later than the next case's (or the
    next case has nothing since they looked), the rest cannot hold any of the newest: the
    work follows the few cases changed last, not how many the person has nor how busy the
    practice is (one statement, as a rule).

    Each batch is its own statement: when the newest news lies beyond the first batch and a
    case not yet read gets a change between two batches, that case moves ahead of the batches
    still to read and this one read misses it; the next read finds it."""
    if not 0 < shown <= READ:
        raise ValueError(f"From 1 to {READ} changes are read at a time")
    after = since(user)
    values = {"user_id": user.id, "from_at": _NEVER, "from_id": 0}
    found: list[tuple] = []
    while True:
        rows = db.session.execute(LISTED, values).all()
        if rows:
            next_at, next_id = rows[0].next_at, rows[0].next_id
        else:  # no news on the batch at all: where the next one starts, if there is one
            cases = db.session.execute(THEIR_CASES, values).all()
            following = cases[BATCH] if len(cases) > BATCH else None
            next_at = following.last_change_at if following is not None else None
            next_id = following.id if following is not None else None
        # A batch's newest READ hold all of its changes since `after`, or only such changes.
        found += [row[:7] for row in rows if row.occurred_at > after]
        found = sorted(found, key=_newest_first)[:shown]
        if next_at is None or next_at <= after:
            break
        if len(found) == shown and found[-1][4] > next_at:
            break
        values.update(from_at=next_at, from_id=next_id)
    return [NewsItem(*row[:6]) for row in found]


def _newest_first(row: tuple):
    return (-row[4].timestamp(), -row[6])


def _read_once(user: User) -> list[NewsItem]:
    """The person's READ newest changes, read once a request: the header's count and the home
    page's list are the same read."""
    key = _key(user)
    if not has_request_context():
        return _newest(user, READ)
    kept = g.get("tracker_news")
    if kept is None or kept[0] != key:
        kept = g.tracker_news = (key, _newest(user, READ))
    return kept[1]


def _key(user: User) -> tuple:
    return (chosen_practice_id(), user.id, user.news_seen_at)  # each practice's apart


def count_new(user: User) -> int:
    """How many changes are new, up to COUNTED + 1 (shown as "20+"): the newest are read, as
    the list reads them, and the count stops there.

    The header shows it on every page, so each worker keeps a person's count for
    NEWS_COUNT_KEPT_SECONDS: others' changes reach the count within that time, and clearing the
    list (a new "seen" time) shows at once, on any worker."""

    def read() -> int:
        return len(_read_once(user))

    if not has_app_context():
        return read()
    seconds = current_app.config["NEWS_COUNT_KEPT_SECONDS"]
    return kept_a_while(_COUNTS, _key(user), seconds, read)


_COUNTS = "tracker.news_counts"  # kept_a_while's name: (practice, person, seen at) -> count


def new_for(user: User, limit: int = SHOWN) -> list[NewsItem]:
    """The newest changes to the person's cases since they last cleared the list: only what
    the list shows of each, read in plain statements (no event or account objects). Read
    fresh, and the header's kept count follows, so the two agree on the page."""
    if limit > READ:
        raise ValueError(f"At most {READ} changes are listed")
    found = _read_once(user)
    if has_app_context():
        keep_now(_COUNTS, _key(user), len(found))
    return found[:limit]


def mark_seen(user: User) -> None:
    user.news_seen_at = clock.now_utc()
