"""The monthly report's figures kept between requests, until the practice's cases change.

Every figure kept here is counted from the cases' own columns. For each practice the database
holds a marker, a random value a trigger on `cases` replaces whenever a case is added or
removed or one of `FIGURES_COLUMNS` is written (migration 0051). On PostgreSQL the trigger runs
as the changing transaction commits (a deferred constraint trigger), so the marker's row is held
only while that commit finishes and two transactions changing cases cannot wait on each other
through it; on SQLite, whose writers take turns, it runs with the change. Either way the new
marker is committed with the change, or not at all.

A figure is kept with the marker read before it was counted, and used again only while the
marker read now is the same: a change committed between the two reads shows as a new marker,
so what is shown is never older than what the database held when the marker was read. Nothing
is kept while the request's own transaction has written (the marker would not show its own
uncommitted change), or with no practice chosen.

Kept in each worker's memory, at most `KEEP_AT_MOST` figures; a worker's first request for a
month counts it. `tests/reports/test_kept_figures.py` holds the trigger's columns to the columns
the kept statements read, and every written column to a new marker. A later migration that
rebuilds `cases` on SQLite (a batch alteration copies the table) must make the triggers again:
that test fails until it does.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import BigInteger, PrimaryKeyConstraint, String, select
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db, wrote_in_transaction
from tracker.practices.scope import PracticeOwned, chosen_practice_id, made_once

# The columns of `cases` the kept figures are counted from: writing any of them gives the
# practice a new marker. Migration 0051 names the same columns in its trigger.
FIGURES_COLUMNS = (
    "practice_id",
    "received_on",
    "route_requested",
    "channel",
    "formal_complaint",
    "urgent",
    "reviewer_id",
    "assigned_at",
    "first_assigned_at",
    "working_days_to_assign",
    "assign_target_days",
    "outcome_recorded_at",
    "outcome",
    "patient_response",
    "working_days_to_outcome",
    "outcome_target_days",
    "closed_at",
    "closure_reason",
    "pals_referred_on",
    "pals_response_on",
    "registered_elsewhere_on",
)

KEEP_AT_MOST = 512

T = TypeVar("T")


class FiguresMarker(PracticeOwned, db.Model):
    """The practice's figures marker: replaced whenever a case changes what its figures count."""

    __tablename__ = "figures_markers"
    __table_args__ = (PrimaryKeyConstraint("practice_id", name="pk_figures_markers"),)

    marker: Mapped[str] = mapped_column(String(32))
    # On PostgreSQL, the transaction that last wrote the marker: a bulk change writes it once.
    changed_in: Mapped[int | None] = mapped_column(BigInteger)


MARKER = made_once(select(FiguresMarker.marker))

_kept: OrderedDict[tuple, tuple[str, object]] = OrderedDict()
_held = threading.Lock()  # a threaded server's requests share the worker's figures


def kept(name: str, key: Hashable, count: Callable[[], T]) -> T:
    """`count()`'s answer for this practice, as kept under (name, key) while the practice's
    marker is unchanged; counted afresh (and kept) otherwise. The caller must not change what
    it is given."""
    practice_id = chosen_practice_id()
    session = db.session()
    if practice_id is None or wrote_in_transaction(session):
        return count()
    marker = session.scalar(MARKER)
    if marker is None:  # no case written since the marker began: nothing to key on
        return count()
    where = (practice_id, name, key)
    with _held:
        found = _kept.get(where)
        if found is not None and found[0] == marker:
            _kept.move_to_end(where)
            return found[1]  # type: ignore[return-value]
    value = count()
    with _held:
        _kept[where] = (marker, value)
        _kept.move_to_end(where)
        while len(_kept) > KEEP_AT_MOST:
            _kept.popitem(last=False)
    return value


def forget_kept() -> None:
    """Drop every kept figure (a test that must count afresh)."""
    with _held:
        _kept.clear()
