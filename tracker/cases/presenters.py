"""How case values and events read on the page, registered once as template filters:
`date`, `moment`, `describe(field)`, `nhs_number`, `event_label`, `field_label` and
`row_state`, the test `clinical`, the global `stage_tag_class`, and the tag vocabularies
`DueStatus` and `CaseFlag` (each tag's words and colour)."""

from datetime import date, datetime
from typing import Any

from flask import url_for

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.cases.case_fields import CLINICAL_FIELDS, CODE_VOCABULARIES, FIELD_LABELS
from tracker.cases.clocks import row_state
from tracker.cases.codes import CaseFlag, DueStatus
from tracker.cases.models import format_nhs_number
from tracker.cases.workflow import Stage


def describe(value: Any, field: str) -> str:
    """A stored or recorded value of this field as staff read it."""
    if value is None or value == "":
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field in CODE_VOCABULARIES:
        return CODE_VOCABULARIES[field].label_of(value)
    if field == "nhs_number":
        return format_nhs_number(value)
    if isinstance(value, datetime):
        return clock.format_moment(value)
    if isinstance(value, date):
        return clock.format_date(value)
    if isinstance(value, str) and field.endswith(("_on", "date_of_birth")):
        return clock.format_date(date.fromisoformat(value))
    if isinstance(value, str) and field.endswith("_at"):
        return clock.format_moment(datetime.fromisoformat(value))
    return str(value)


def event_label(kind: str) -> str:
    """What an event kind is called on the timeline and in the audit log."""
    try:
        return EventKind(kind).label
    except ValueError:
        return kind.replace("_", " ").capitalize()


_STAGE_TAGS = {stage.value: stage.tag for stage in Stage}


_REFERENCE_PLACEHOLDER = "SO-0000-0"


def case_page_prefix() -> str:
    """A case page's address up to its reference, built by the router once for a list of
    links: each reference, quoted, goes after it."""
    return url_for("cases.show", reference=_REFERENCE_PLACEHOLDER).removesuffix(
        _REFERENCE_PLACEHOLDER
    )


def stage_tag_class(stage: str) -> str:
    return _STAGE_TAGS.get(stage, "")


FILTERS = {
    "date": clock.format_date,
    "moment": clock.format_moment,
    "describe": describe,
    "nhs_number": format_nhs_number,
    "event_label": event_label,
    "field_label": lambda field: FIELD_LABELS.get(field, field),
    "row_state": row_state,
}
TESTS = {"clinical": lambda field: field in CLINICAL_FIELDS}
GLOBALS = {"stage_tag_class": stage_tag_class, "DueStatus": DueStatus, "CaseFlag": CaseFlag}
