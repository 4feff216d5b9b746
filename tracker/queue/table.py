"""The table of cases the queue and the home pages show, drawn in Python.

A queue shows fifty rows; drawn through a template macro, the rows were a fifth of the queue's
time (every attribute looked up through the template's sandbox of names, every link built by
the router). The markup is the NHS.UK responsive table's, each cell with its heading for narrow
screens; tags have words, never colour alone, from the vocabularies (DueStatus, CaseFlag).
Every value staff or patients typed is escaped; what the tracker writes itself (dates, target
names, the reference quoted into its link) holds nothing to escape.
"""

from collections.abc import Iterable
from urllib.parse import quote

from markupsafe import Markup, escape

from tracker.cases.clocks import Due, row_state
from tracker.cases.codes import CaseFlag, DueStatus
from tracker.cases.presenters import case_page_prefix, stage_tag_class
from tracker.clock import format_date

_HEADINGS = ("Case", "Received", "Stage", "Reviewer", "Next due")


def _tag(kind: CaseFlag | DueStatus) -> str:
    return f'<strong class="nhsuk-tag {kind.tag}">{kind.label}</strong>'


# What every row repeats, drawn once: the tags, each cell's opening with its heading for narrow
# screens, and each stage's tag.
_TAGS = {kind: _tag(kind) for kind in (*CaseFlag, *DueStatus)}
_OPEN_CELL = {
    heading: '<td class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" '
    f'aria-hidden="true">{heading} </span>'
    for heading in _HEADINGS
}
_STAGE_TAGS: dict[str, str] = {}


def _stage_tag(case) -> str:
    drawn = _STAGE_TAGS.get(case.stage)
    if drawn is None:
        drawn = _STAGE_TAGS[case.stage] = (
            f'<strong class="nhsuk-tag {stage_tag_class(case.stage)}">'
            f"{escape(case.stage_label)}</strong>"
        )
    return drawn


def _row(case, dues: list[Due], link: str, show_reviewer: bool) -> str:
    state = row_state(dues)
    tags = []
    if case.urgent:
        tags.append(_TAGS[CaseFlag.URGENT])
    if state.overdue:
        tags.append(_TAGS[DueStatus.OVERDUE])
    elif state.due_today:
        tags.append(_TAGS[DueStatus.DUE_TODAY])
    if case.formal_complaint:
        tags.append(_TAGS[CaseFlag.FORMAL_COMPLAINT])
    patient = escape(case.patient_name)
    if case.nhs_number:
        patient = (
            f'{patient}<br><span class="nhsuk-body-s">{escape(case.nhs_number_display)}</span>'
        )
    cells = [
        _OPEN_CELL["Case"],
        f'<a href="{link}{quote(case.reference, safe="")}" class="app-nowrap">'
        f'{escape(case.reference)}</a><br>{patient}<div class="app-queue-tags">'
        f"{' '.join(tags)}</div></td>",
        _OPEN_CELL["Received"],
        f"{format_date(case.received_on)}</td>",
        _OPEN_CELL["Stage"],
        f"{_stage_tag(case)}</td>",
    ]
    if show_reviewer:
        reviewer = escape(case.reviewer_name or "Not assigned")
        if case.reviewer_name and not case.reviewer_active:
            reviewer = f"{reviewer} (left)"
        cells += (_OPEN_CELL["Reviewer"], f"{reviewer}</td>")
    upcoming = state.next
    cells += (
        _OPEN_CELL["Next due"],
        f"{upcoming.name} by {format_date(upcoming.due_on)}</td>" if upcoming else "–</td>",
    )
    return f'<tr class="nhsuk-table__row">{"".join(cells)}</tr>'


def case_table(items: Iterable, caption: str, show_reviewer: bool = True) -> Markup:
    """A table of cases, each given with its due dates as (case, dues) pairs: the reference
    (a link to the case), patient and tags, the day received, the stage, the reviewer (unless
    `show_reviewer` is false: a list of one person's own cases), and the next target due."""
    link = case_page_prefix()  # built once, each reference put in it
    headings = [h for h in _HEADINGS if show_reviewer or h != "Reviewer"]
    head = "".join(f'<th scope="col" class="nhsuk-table__header">{h}</th>' for h in headings)
    rows = "".join(_row(case, dues, link, show_reviewer) for case, dues in items)
    return Markup(  # noqa: S704 - every value from a record is escaped above
        '<table class="nhsuk-table-responsive app-queue-table">'
        f'<caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{escape(caption)}</caption>'
        f'<thead class="nhsuk-table__head"><tr>{head}</tr></thead>'
        f'<tbody class="nhsuk-table__body">{rows}</tbody></table>'
    )
