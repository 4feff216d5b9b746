"""A form opened before someone else changed the case.

The person is told what changed, field by field, and the form starts again from the case as it
is now with their own changes on top: a detail they did not touch shows the other person's
value, so submitting again never writes back a value the person did not change. Where both
changed the same detail the person's entry is kept in the form and the other person's is shown
beside it, to choose between.

A form that edits the case's own details carries, hidden, the values it was opened with
(`opened_with`): the same values the form shows, so nothing the person could not already see.
"""

import json
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from tracker import clock
from tracker.fields import DateInputField

NOT_RECORDED = "Not recorded"


def plain(value: Any) -> Any:
    """A field's value in the form the comparison uses: blank is None, line ends are one
    kind, dates are ISO text and codes their value."""
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").strip()
        return value or None
    return value


def values_of(form, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: plain(form[name].data) for name in fields}


def opened_with(form, fields: tuple[str, ...]) -> str:
    """The hidden field's text: the values the form starts with."""
    return json.dumps(values_of(form, fields), separators=(",", ":"), ensure_ascii=False)


def read_opened(text: str | None, fields: tuple[str, ...]) -> dict[str, Any] | None:
    """The values the form was opened with, or None when the form did not carry them."""
    try:
        values = json.loads(text or "")
    except ValueError:
        return None
    if not isinstance(values, dict) or set(values) != set(fields):
        return None
    return values


@dataclass(frozen=True)
class FieldChange:
    """One detail the other person changed while the form was open."""

    field: str
    label: str
    before: str
    theirs: str
    yours: str | None  # the person's own different entry, kept in the form; None when not


def shown(field, value: Any) -> str:
    """A compared value as the page shows it."""
    if value is None or value == "":
        return NOT_RECORDED
    if value is True or value is False:
        return "Yes" if value else "No"
    if isinstance(field, DateInputField):
        return clock.format_date(date.fromisoformat(value))
    for choice in getattr(field, "choices", None) or ():
        key, label = (
            (choice[0], choice[1]) if isinstance(choice, tuple) else (choice.value, choice.label)
        )
        if str(key) == str(value):
            return str(label)
    return ", ".join(line.strip() for line in str(value).splitlines() if line.strip())


def merge(form, now, opened: dict[str, Any] | None, fields: tuple[str, ...]) -> list[FieldChange]:
    """Start `form` (as the person submitted it) again from `now` (the same form filled from
    the case as it is now), keeping what the person changed; what the other person changed.

    Without the values the form was opened with, nothing the person typed is taken away and
    nothing is listed."""
    current = values_of(now, fields)
    if opened is None:
        return []
    changes = []
    for name in fields:
        before, theirs, yours = opened[name], current[name], plain(form[name].data)
        if before == theirs:
            continue  # the other person did not change it: the person's entry stands
        field = form[name]
        if yours == before:
            field.process(None, now[name].data)  # untouched here: show the case as it is now
            changes.append(
                FieldChange(
                    name, field.label.text, shown(field, before), shown(field, theirs), None
                )
            )
        elif yours != theirs:
            changes.append(
                FieldChange(
                    name,
                    field.label.text,
                    shown(field, before),
                    shown(field, theirs),
                    shown(field, yours),
                )
            )
    return changes
