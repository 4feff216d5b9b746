"""Figures counted from a practice's cases, kept between requests until its cases change: the
monthly report's figures, and each person's open cases counted by stage with the most urgent of
their own (the home pages and the queue).

Every figure kept here is read from the cases' own columns. For each practice the database
holds a marker, a random value a trigger on `cases` replaces whenever a case is added or
removed or one of `FIGURES_COLUMNS` is written (migrations 0051 and 0052). On PostgreSQL the
trigger runs as the changing transaction commits (a deferred constraint trigger), so the
marker's row is held only while that commit finishes and two transactions changing cases cannot
wait on each other through it; on SQLite, whose writers take turns, it runs with the change.
Either way the new marker is committed with the change, or not at all.

A figure is kept with the marker read before it was counted, and used again only while the
marker read now is the same: a change committed between the two reads shows as a new marker,
so what is shown is never older than what the database held when the marker was read. Nothing
is kept while the request's own transaction has written (the marker would not show its own
uncommitted change), or with no practice chosen. What is read from another table (a
reviewer's name) is not kept: the caller reads it as it is now.

Kept in each worker's memory, at most `KEEP_AT_MOST` figures; a worker's first request for a
month or a person counts it. When a practice's marker changes, what its older markers keyed is
dropped as the next figure is kept (kept cases hold patients' names). Nothing is kept from a
database whose trigger does not yet name every one of `FIGURES_COLUMNS` (code deployed
before its migration), asked once a worker. `tests/reports/test_kept_figures.py` holds the trigger's columns
to the columns the kept statements read, and every written column to a new marker. A later
migration that rebuilds `cases` on SQLite (a batch alteration copies the table) must make the
triggers again: that test fails until it does.
"""

import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_app_context
from sqlalchemy import BigInteger, Engine, PrimaryKeyConstraint, String, select, text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db, wrote_in_transaction
from tracker.practices.scope import PracticeOwned, chosen_practice_id, made_once

# The columns of `cases` the kept figures are read from: writing any of them gives the
# practice a new marker. Migration 0052 names the same columns in its trigger (0051 the
# monthly report's alone).
FIGURES_COLUMNS = (
    # The monthly report's.
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
    # The open cases counted by stage and a person's own most urgent (tracker/queue/services.py).
    "id",
    "reference",
    "stage",
    "patient_name",
    "nhs_number",
    "acknowledged_on",
    "outcome_clock_from",
    "assign_due_on",
    "acknowledge_due_on",
    "outcome_due_on",
    "duty_doctor_due_on",
    "duty_doctor_told_at",
    "pals_chase_due_on",
    "callback_owner_id",
    "callback_due_on",
    "callback_done_at",
    "response_due_on",
    "response_sent_on",
)

KEEP_AT_MOST = 2048

T = TypeVar("T")


class FiguresMarker(PracticeOwned, db.Model):
    """The practice's figures marker: replaced whenever a case changes what its kept figures
    read."""

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
    if (
        practice_id is None
        or wrote_in_transaction(session)
        or not _trigger_follows_every_column(session)
    ):
        return count()
    marker = _marker_now(session, practice_id)
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
        # What the practice's older markers keyed is dropped, not left until pushed out: kept
        # cases hold patients' names, which a correction or the retention purge may have
        # changed since.
        for stale in [k for k, (m, _) in _kept.items() if k[0] == practice_id and m != marker]:
            del _kept[stale]
        _kept[where] = (marker, value)
        _kept.move_to_end(where)
        while len(_kept) > KEEP_AT_MOST:
            _kept.popitem(last=False)
    return value


_TRIGGER = {
    "postgresql": "SELECT pg_get_triggerdef(oid) FROM pg_trigger "
    "WHERE tgname = 'figures_on_update' AND tgrelid = to_regclass('cases')",
    "sqlite": "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'figures_on_update'",
}
_UPDATE_OF = re.compile(r"UPDATE OF (.+?) ON ", re.IGNORECASE | re.DOTALL)
_followed: "weakref.WeakKeyDictionary[Engine, bool]" = weakref.WeakKeyDictionary()


def _trigger_follows_every_column(session) -> bool:
    """Whether the database's trigger on updates names every one of `FIGURES_COLUMNS`. Code
    running on a database not yet migrated to its columns (deployed before `flask db
    upgrade`) keeps nothing, rather than figures the marker would not follow. Asked once a
    worker for each database."""
    engine = session.get_bind()
    with _held:
        known = _followed.get(engine)
    if known is None:
        definition = session.scalar(text(_TRIGGER.get(engine.dialect.name, "SELECT ''"))) or ""
        found = _UPDATE_OF.search(definition)
        named = {c.strip().strip('"') for c in found.group(1).split(",")} if found else set()
        known = set(FIGURES_COLUMNS) <= named
        with _held:
            _followed[engine] = known
    return known


_MARKER_READ = "tracker_figures_marker"  # in flask.g: (transaction, practice, marker)


def _marker_now(session, practice_id: int) -> str | None:
    """The practice's marker, read once a transaction: a request's kept figures (the open
    cases' counts and the person's own) share one read. A marker read earlier in the same
    transaction is no newer than the database's, so what it keys is never older than it."""
    held = g.get(_MARKER_READ) if has_app_context() else None
    transaction = session.get_transaction()
    if held is not None and transaction is not None and held[:2] == (transaction, practice_id):
        return held[2]
    marker = session.scalar(MARKER)
    if has_app_context():
        setattr(g, _MARKER_READ, (session.get_transaction(), practice_id, marker))
    return marker


def forget_kept() -> None:
    """Drop every kept figure, and what was found of the trigger (a test that must count
    afresh)."""
    with _held:
        _kept.clear()
        _followed.clear()
