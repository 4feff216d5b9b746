"""CSV files that open cleanly in Excel: UTF-8 with a BOM, RFC 4180 quoting, no live formulas."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import aliased

from tracker import spreadsheet
from tracker.cases.case_fields import IDENTIFIER_FIELDS
from tracker.cases.codes import Outcome, PatientResponse
from tracker.cases.models import Case
from tracker.extensions import db
from tracker.reports.figures import Month, month_figures, months_between
from tracker.staff.models import Membership, User
from tracker.workdays import local_date

SENIOR_PARTNER = "senior_partner"  # the reviewer's role column: a GP who is the senior partner
BOM = "\ufeff"

CASE_COLUMNS = [
    "reference", "received_on", "channel", "route_requested", "formal_complaint", "urgent", "original_gp",
    "reviewer", "reviewer_role", "stage", "outcome", "patient_response", "assigned_on", "outcome_on",
    "pals_referred_on", "pals_concluded_on", "closed_on", "closure_reason", "working_days_to_assign",
    "working_days_to_outcome", "assign_within_target", "outcome_within_target",
]  # fmt: skip
IDENTIFIER_COLUMNS = list(IDENTIFIER_FIELDS)  # added only when identifiers are asked for
SUMMARY_COLUMNS = [
    "month", "received", "formal_complaints", "urgent", "closed", "open_at_month_end",
    "first_opinion_confirmed", "different_opinion", "referred_onward", "tests_arranged",
    "returned_to_own_gp", "withdrawn", "no_contact", "satisfied", "still_concerned", "pals_referrals",
    "registered_elsewhere", "median_working_days_to_outcome", "pct_outcome_within_target",
]  # fmt: skip


def neutralise(value) -> str:
    """A cell as text; one that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return spreadsheet.neutralise(str(value))


def stream_rows(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The file in chunks: BOM and header first, then a chunk every 500 rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    yield BOM + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for n, row in enumerate(rows, start=1):
        writer.writerow([neutralise(value) for value in row])
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _day(moment) -> date | None:
    return local_date(moment) if moment else None


def _within(days: int | None, target: int) -> bool | None:
    return None if days is None else days <= target


CASE_FIELDS = (
    Case.reference, Case.received_on, Case.channel, Case.route_requested, Case.formal_complaint,
    Case.urgent, Case.original_gp_other, Case.stage, Case.outcome, Case.patient_response,
    Case.first_assigned_at, Case.outcome_recorded_at, Case.working_days_to_assign,
    Case.working_days_to_outcome, Case.pals_referred_on, Case.pals_response_on, Case.closed_at, Case.closure_reason,
    Case.nhs_number, Case.patient_name, Case.date_of_birth, Case.address_lines, Case.postcode,
    Case.assign_target_days, Case.outcome_target_days,
)  # fmt: skip


def case_rows(first: Month, last: Month, identifiers: bool) -> Iterator[list]:
    """One row per case received in the months, read from the database in batches of plain
    columns (no case objects are built or kept, so memory stays flat however long the span).
    Values keep their types (dates, codes, yes/no, None for nothing): the CSV writes them as
    ISO dates and codes, the Excel download as date cells and labels."""
    reviewer = aliased(User)
    original = aliased(User)
    query = (
        select(
            *CASE_FIELDS,
            reviewer.full_name,
            Membership.role,
            Membership.is_senior_partner,
            original.full_name,
        )
        .outerjoin(reviewer, reviewer.id == Case.reviewer_id)
        .outerjoin(Membership, Membership.user_id == Case.reviewer_id)
        .outerjoin(original, original.id == Case.original_gp_id)
        .where(Case.received_on >= first.first_day, Case.received_on <= last.last_day)
        .order_by(Case.received_on, Case.id)
        .execution_options(yield_per=500)
    )
    for (
        reference, received_on, channel, route, formal, urgent, original_gp_other, stage,
        outcome, patient_response, first_assigned_at, outcome_recorded_at, to_assign, to_outcome,
        pals_referred_on, pals_response_on, closed_at, closure_reason, nhs_number, patient_name,
        date_of_birth, address_lines, postcode, assign_target, outcome_target, reviewer_name, reviewer_role, senior, original_name,
    ) in db.session.execute(query):  # fmt: skip
        row = [
            reference,
            received_on,
            channel,
            route,
            formal,
            urgent,
            original_name
            or (f"Locum or other: {original_gp_other}" if original_gp_other else None),
            reviewer_name,
            (SENIOR_PARTNER if senior else reviewer_role) if reviewer_role else None,
            stage,
            outcome,
            patient_response,
            _day(first_assigned_at),
            _day(outcome_recorded_at),
            pals_referred_on,
            pals_response_on,
            _day(closed_at),
            closure_reason,
            to_assign,
            to_outcome,
            _within(to_assign, assign_target),  # the targets the case kept
            _within(to_outcome, outcome_target),
        ]
        if identifiers:
            row += [
                nhs_number,
                patient_name,
                date_of_birth,
                # One line in the cell, as a spreadsheet row reads best
                ", ".join(
                    line.strip() for line in (address_lines or "").splitlines() if line.strip()
                )
                or None,
                postcode,
            ]
        yield row


def summary_rows(first: Month, last: Month) -> Iterator[list]:
    for month in months_between(first, last):
        figures = month_figures(month)
        outcomes = figures.outcomes
        median = figures.to_outcome.median
        yield [
            month,
            figures.received,
            figures.formal_complaints,
            figures.urgent,
            figures.closed,
            figures.open_at_month_end,
            *(outcomes[outcome] for outcome in Outcome),
            figures.responses[PatientResponse.SATISFIED],
            figures.responses[PatientResponse.STILL_CONCERNED],
            figures.pals_referrals,
            figures.registered_elsewhere,
            None if median is None else (int(median) if float(median).is_integer() else median),
            figures.to_outcome.pct_within_target,
        ]


def file_name(kind: str, first: Month, last: Month, identifiers: bool, extension="csv") -> str:
    span = str(first) if first == last else f"{first}-to-{last}"
    suffix = "-with-identifiers" if identifiers else ""
    return f"second-opinions-{span}-{kind}{suffix}.{extension}"
