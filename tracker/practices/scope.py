"""Which practice this request, command or job is working in, and the one mechanism that keeps
every read and write inside it.

Every table whose rows belong to a practice has a `practice_id` (the `PracticeOwned` mixin).
While a practice is chosen (`in_practice`, or a signed-in request's current practice):

- every ORM query of such a table gets `practice_id = <chosen>` added where the table is read,
  joined, updated or deleted (SQLAlchemy's loader criteria, added once per statement here), so
  no query in the app spells out the practice and none can forget it;
- every new row takes the chosen practice unless it names one itself, and a row named for
  another practice is refused at flush.

Reading across practices is allowed only inside `across_practices(reason)`, which names the
view doing it (the mail sender, retention, the install administrator's counts). Outside a
request with nothing chosen (the command line, a test looking at the database), queries are
not scoped: those are the install's own tools.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from flask import has_request_context
from sqlalchemy import Engine, Executable, ForeignKey, bindparam, event, false, text
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

from tracker.extensions import db

_chosen: ContextVar[int | None] = ContextVar("tracker_practice", default=None)
_across: ContextVar[str | None] = ContextVar("tracker_across_practices", default=None)
# Set for a request no one practice applies to: it reads no practice's rows and writes none.
_walled_off: ContextVar[bool] = ContextVar("tracker_walled_off", default=False)


E = TypeVar("E", bound=Executable)


class NoPracticeChosen(RuntimeError):
    """Something that belongs to a practice was asked for with no practice chosen."""


class WrongPractice(RuntimeError):
    """A row of one practice was written while working in another."""


def chosen_practice_id() -> int | None:
    """The practice being worked in, or None (nothing chosen, or reading across practices)."""
    if _across.get() is not None:
        return None
    return _chosen.get()


def current_practice_id() -> int:
    """The practice being worked in; raises when none is chosen."""
    found = _chosen.get()
    if found is None:
        raise NoPracticeChosen("No practice is chosen: use in_practice(practice_id)")
    return found


def start_request(practice_id: int | None) -> None:
    """A request works in this practice; with None, in none: it reads no practice's rows."""
    _chosen.set(practice_id)
    _walled_off.set(practice_id is None)


def end_request() -> None:
    _chosen.set(None)
    _walled_off.set(False)


@contextmanager
def in_practice(practice_id: int) -> Iterator[None]:
    """Work in this practice inside the block (a job or command handling one practice)."""
    token = _chosen.set(practice_id)
    try:
        yield
    finally:
        _chosen.reset(token)


@contextmanager
def across_practices(reason: str) -> Iterator[None]:
    """Read and write every practice's rows inside the block: only for the named views that
    must (the mail sender, retention, the install administrator's figures). `reason` names the
    view, for whoever reads the code or a failing check."""
    if not reason:
        raise ValueError("Say which view reads across practices")
    token = _across.set(reason)
    try:
        yield
    finally:
        _across.reset(token)


def reading_across() -> str | None:
    """The named view reading across practices just now, if any."""
    return _across.get()


def _sole_practice_id(context) -> int | None:
    """The install's only practice, read on the inserting connection; None when it has none or
    several."""
    found = (
        context.connection.execute(text("SELECT id FROM practices ORDER BY id LIMIT 2"))
        .scalars()
        .all()
    )
    return found[0] if len(found) == 1 else None


def practice_of_new_row(context) -> int:
    """A new row's practice when it names none: the practice chosen, or, for the install's own
    tools working with nothing chosen, its only practice."""
    chosen = _chosen.get()
    if chosen is not None:
        return chosen
    found = None if _walled_off.get() else _sole_practice_id(context)
    if found is None:
        raise NoPracticeChosen("No practice is chosen for a new row: use in_practice(practice_id)")
    return found


def practice_of_new_row_if_any(context) -> int | None:
    """As `practice_of_new_row`, but None where no one practice applies (an install's own
    events: a sign-in attempt before any practice is chosen)."""
    chosen = _chosen.get()
    if chosen is not None or _walled_off.get():
        return chosen
    return _sole_practice_id(context)


def keeping_the_practice(rows: Iterator) -> Iterator:
    """`rows`, read in the practice being worked in now even when they are read later: a
    download streamed after its view has returned reads in the view's practice."""
    practice_id, walled = _chosen.get(), _walled_off.get()

    def read() -> Iterator:
        before = (_chosen.get(), _walled_off.get())
        _chosen.set(practice_id)
        _walled_off.set(walled)
        try:
            yield from rows
        finally:
            _chosen.set(before[0])
            _walled_off.set(before[1])

    return read()


class PracticeOwned:
    """Mixin for every table whose rows belong to one practice."""

    @declared_attr
    def practice_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("practices.id"), default=practice_of_new_row)


EVERY_PRACTICE = "every practice"
NO_PRACTICE = "no practice"


def readable_now() -> int | str:
    """Whose rows what runs now may read and change: one practice's id, EVERY_PRACTICE (a named
    cross-practice view, or the install's own tools with nothing chosen) or NO_PRACTICE. The
    ORM's scoping below and the database's own wall (walls.py) both follow this one answer."""
    if _across.get() is not None:
        return EVERY_PRACTICE
    chosen = _chosen.get()
    if chosen is not None:
        return chosen
    # Inside a request, nothing chosen means nothing to read: a download streamed after its
    # view returned, or any other path that lost the request's practice, reads no one's.
    if _walled_off.get() or has_request_context():
        return NO_PRACTICE
    return EVERY_PRACTICE


# The practice a scoped statement reads, as a bound parameter every scoped statement carries
# (`_keep_to_the_chosen_practice` gives its value): the criteria are one option for every
# practice, so a statement's cached SQL, cache key and parameters are worked out once. The
# lambda spells the name out: with a global named inside it, SQLAlchemy did not cache the
# lambda's SQL.
PRACTICE_PARAMETER = "tracker_practice_id"
_IN_THE_PRACTICE = with_loader_criteria(
    PracticeOwned,
    lambda cls: cls.practice_id == bindparam("tracker_practice_id"),
    include_aliases=True,
)
_NOTHING = with_loader_criteria(PracticeOwned, lambda cls: false(), include_aliases=True)


# Statements made once, at import, and run with bound parameters (`made_once`), and the two
# forms of each, kept to the chosen practice or to none, made the first time each runs. A
# statement's cache key (SQLAlchemy's walk through the whole statement to find its compiled
# SQL) is worked out once for each statement object: a query built afresh, or kept to its
# practice afresh, pays for the walk and the building again on every request.
_MADE_ONCE: dict[int, Executable] = {}
_made_once_in: dict[tuple[int, bool], Executable] = {}


def made_once(statement: E) -> E:
    """Mark a statement made once (a module's constant, with `bindparam`s for what changes)
    as reused: kept to a practice, it is kept so once. It is held here, so its id names it
    alone."""
    _MADE_ONCE[id(statement)] = statement
    return statement


def _kept_to(statement: Executable, practice_id: int | str) -> Executable:
    nothing = practice_id == NO_PRACTICE
    option = _NOTHING if nothing else _IN_THE_PRACTICE
    if id(statement) not in _MADE_ONCE:
        return statement.options(option)
    key = (id(statement), nothing)
    found = _made_once_in.get(key)
    if found is None:  # two forms at most for each statement made once
        found = _made_once_in[key] = statement.options(option)
    return found


@event.listens_for(Session, "do_orm_execute")
def _keep_to_the_chosen_practice(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    practice_id = readable_now()
    if practice_id == EVERY_PRACTICE:
        return
    state.statement = _kept_to(state.statement, practice_id)
    if practice_id != NO_PRACTICE:
        state.parameters = _with_the_practice(state.parameters, practice_id)


def _with_the_practice(parameters, practice_id: int):
    if isinstance(parameters, list):
        return [{**each, PRACTICE_PARAMETER: practice_id} for each in parameters]
    return {**(parameters or {}), PRACTICE_PARAMETER: practice_id}


@event.listens_for(Session, "before_flush")
def _new_rows_belong_to_the_chosen_practice(session: Session, flush_context, instances) -> None:
    chosen = _chosen.get()
    if chosen is None or _across.get() is not None:
        return
    for obj in session.new:
        if not isinstance(obj, PracticeOwned):
            continue
        if obj.practice_id is None:
            obj.practice_id = chosen
        elif obj.practice_id != chosen:
            raise WrongPractice(
                f"A {type(obj).__name__} of practice {obj.practice_id} was added while working "
                f"in practice {chosen}"
            )


class UnscopedStatement(RuntimeError):
    """SQL read or changed a practice's table without naming the practice, while working in
    one practice and not inside a named cross-practice view."""


_TABLE = re.compile(r"\b(?:FROM|JOIN|UPDATE)\s+(\w+)(?:\s+AS\s+(\w+))?", re.IGNORECASE)


def owned_tables() -> frozenset[str]:
    """The tables whose rows belong to a practice."""
    return frozenset(
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if issubclass(mapper.class_, PracticeOwned)
    )


_PARAMETER = r"(?:\?|%\(\w+\)s)(?:::\w+)?"
# One row the app already holds, by its primary key (and version): the ORM writing back a row
# it read through a scoped query, or loading one of its deferred columns.
_ONE_HELD_ROW = re.compile(
    rf"(?:UPDATE (\w+) SET .+|DELETE FROM (\w+)|SELECT [\w., ]+ FROM (\w+))"  # noqa: S608 - a pattern
    rf" WHERE (\w+)\.(?:id|event_id|attachment_id) = {_PARAMETER}"
    rf"(?: AND \4\.version = {_PARAMETER})?",
    re.DOTALL,
)

# A condition SQLAlchemy wrote as always false (nothing to search for): no row is read.
_READS_NOTHING = re.compile(r"\bWHERE (?:0 = 1|false)(?: ORDER BY| LIMIT|$)")


def unscoped_tables(statement: str, owned: frozenset[str]) -> list[str]:
    """The practice's tables this SQL reads or changes without a condition on their
    practice_id (under the name or alias the SQL gives them); a row already held, written back
    or completed by its primary key, is not a read across practices."""
    flat = " ".join(statement.split())
    if _ONE_HELD_ROW.fullmatch(flat) or _READS_NOTHING.search(flat):
        return []
    missing = []
    for table, alias in _TABLE.findall(statement):
        if table in owned and f"{alias or table}.practice_id" not in statement:
            missing.append(alias or table)
    return missing


def check_every_statement(engine: Engine) -> None:
    """Refuse SQL that reads or changes a practice's table without naming the practice, while
    one practice is being worked in (a request, `in_practice`) and no named cross-practice view
    is reading. The tests run with this on: a query written in a way the scoping above cannot
    reach fails there, before it can read another practice's records."""
    owned = owned_tables()

    @event.listens_for(engine, "before_cursor_execute")
    def _names_the_practice(conn, cursor, statement, parameters, context, executemany):
        if _chosen.get() is None or _across.get() is not None:
            return
        missing = unscoped_tables(statement, owned)
        if missing:
            raise UnscopedStatement(
                f"{', '.join(missing)} read without its practice while working in practice "
                f"{_chosen.get()}: {statement}"
            )
