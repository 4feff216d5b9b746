"""Indexes that hold every column their queries read, so those queries never visit the table
row by row: the index of open cases for the queues (every count of a filtered queue went to
the table, case by case, for the call-back and final response targets until migration 0047),
and a case's events for "New for you" (migration 0048)."""

from datetime import date

from sqlalchemy import Column
from sqlalchemy.sql import visitors

from tracker.audit.models import Event
from tracker.cases import clocks, news
from tracker.cases.models import Case
from tracker.queue.services import ROW_FIELDS, is_theirs

TODAY = date(2026, 12, 7)


def cases_columns(*expressions, table=Case.__table__) -> set[str]:
    found = set()
    for expression in expressions:
        if hasattr(expression, "__clause_element__"):
            expression = expression.__clause_element__()
        for element in visitors.iterate(expression):
            if isinstance(element, Column) and element.table is table:
                found.add(element.name)
    return found


def indexed(name: str = "ix_cases_open_queue", table=Case.__table__) -> set[str]:
    index = next(i for i in table.indexes if i.name == name)
    return cases_columns(*index.expressions, table=table)


def test_the_index_holds_every_column_a_queue_reads():
    read = cases_columns(
        *ROW_FIELDS,
        clocks.overdue_condition(TODAY),
        clocks.due_today_condition(TODAY),
        clocks.triage_overdue_condition(TODAY),
        clocks.next_due_order(),
        is_theirs(visiting=False),
        is_theirs(visiting=True),
    )
    assert read - indexed() == set()
    # Each target's dates are among them, so a target added later is held to this too.
    for target in clocks.TARGETS:
        assert {target.due.key, target.done.key} <= indexed(), target.key


def test_a_cases_events_index_holds_every_column_new_for_you_checks():
    events = Event.__table__
    # The events of the person's cases: the case's range of the index, newest first, then
    # each event's practice, who did it and what it was, all read from the index.
    read = cases_columns(news._is_news_to_them(), table=events) | {"case_id", "occurred_at"}
    assert read - indexed("ix_events_case_id_occurred_at", events) == set()
