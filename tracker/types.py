"""Column types shared by the models, the URL converter that keeps ids within their range,
and fixed codes written into SQL."""

import operator
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, DateTime, Integer, literal_column
from sqlalchemy.types import TypeDecorator
from werkzeug.routing import IntegerConverter


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC on every database and hands back aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


# The largest id an integer primary key holds on every database the app runs on (PostgreSQL's
# "integer" is 32 bits; SQLite's is 64).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """Flask's <int:...> URL part, bounded to the ids the database can hold: a larger number
    matches no page (404) instead of failing in the database."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


# __table_args__ of every table whose rows the audit log names by id (a document, a letter,
# a case, a person, an email, an event): SQLite then never hands a removed row's id to a new
# one ("Document 25" names one file for ever). PostgreSQL's sequences never reuse an id.
IDS_NEVER_REUSED = {"sqlite_autoincrement": True}


_CODE = re.compile(r"[a-z0-9_]+")


def number_in_sql(number: int) -> ColumnElement:
    """A whole number written into the SQL itself, for a statement's LIMIT and OFFSET.

    PostgreSQL plans a prepared statement once and keeps the plan only when that plan looks
    no dearer than planning for each execution's values. A LIMIT passed as a parameter is
    unknown to that plan, which then assumes a tenth of the rows are wanted, looks dear, and
    the statement is planned afresh every time (0.5-1 ms on a page's larger statements);
    written in, the limit is known and the plan kept."""
    return literal_column(str(operator.index(number)), Integer)


def codes_in_sql(codes: Iterable[str]) -> list[ColumnElement]:
    """The app's own codes (stages, event kinds: lower-case letters, digits and underscores)
    written into the SQL itself, for `column.in_(...)` and `column != ...`.

    A list of fixed codes passed as parameters makes SQLAlchemy rewrite the statement's text on
    every execution (its "expanding" parameters), which costs more than the query on a page's
    larger statements; written in, the statement is compiled once. SQLite's planner also needs
    a partial index's condition written in to use the index (`stage != 'closed'`)."""
    found = []
    for code in sorted(str(code) for code in codes):
        if not _CODE.fullmatch(code):
            raise ValueError(f"Not a code that can be written into SQL: {code!r}")
        found.append(literal_column(f"'{code}'"))
    return found
