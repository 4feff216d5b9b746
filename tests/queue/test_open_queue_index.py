"""The index of open cases holds every column the queues read of a case: a queue row, the
overdue and due-today filters, "next due" and whose cases are whose. A column missing from it
sends every count of a filtered queue to the table, case by case (it did, for the call-back
and final response targets, until migration 0047)."""

from datetime import date

from sqlalchemy import Column
from sqlalchemy.sql import visitors

from tracker.cases import clocks
from tracker.cases.models import Case
from tracker.queue.services import ROW_FIELDS, is_theirs

TODAY = date(2026, 12, 7)


def cases_columns(*expressions) -> set[str]:
    found = set()
    for expression in expressions:
        if hasattr(expression, "__clause_element__"):
            expression = expression.__clause_element__()
        for element in visitors.iterate(expression):
            if isinstance(element, Column) and element.table is Case.__table__:
                found.add(element.name)
    return found


def indexed() -> set[str]:
    index = next(i for i in Case.__table__.indexes if i.name == "ix_cases_open_queue")
    return cases_columns(*index.expressions)


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
