"""The monthly downloads as Excel workbooks: the same rows as the CSV files, headed and worded as
the pages word them (labels, not codes), with dates as date cells and NHS numbers as text."""

from tracker.cases.codes import Channel, ClosureReason, Outcome, PatientResponse, Route
from tracker.cases.models import format_nhs_number
from tracker.cases.workflow import Stage
from tracker.reports.csv_export import SENIOR_PARTNER
from tracker.spreadsheet import Column
from tracker.staff.models import Role


def reviewer_role(code: str) -> str:
    return "Senior partner" if code == SENIOR_PARTNER else Role.label_of(code)


CASE_COLUMNS = [
    Column("Reference", width=13),
    Column("Request received on", "date", 12),
    Column("How the request was made", width=14, show=Channel.label_of),
    Column("What the patient is asking for", width=30, show=Route.label_of),
    Column("Formal complaint", "yes_no", 10),
    Column("Urgent clinical concern", "yes_no", 10),
    Column("GP who gave the first opinion", width=22),
    Column("Reviewer", width=22),
    Column("Reviewer's role", width=16, show=reviewer_role),
    Column("Stage", width=16, show=Stage.label_of),
    Column("Outcome", width=24, show=Outcome.label_of),
    Column("Patient's response", width=16, show=PatientResponse.label_of),
    Column("Reviewer assigned on", "date", 12),
    Column("Outcome recorded on", "date", 12),
    Column("Referred to PALS on", "date", 12),
    Column("PALS concluded on", "date", 12),
    Column("Closed on", "date", 12),
    Column("Reason for closing", width=24, show=ClosureReason.label_of),
    Column("Working days to assign", "number", 11),
    Column("Working days to outcome", "number", 11),
    Column("Assigned within target", "yes_no", 10),
    Column("Outcome within target", "yes_no", 10),
]
IDENTIFIER_COLUMNS = [
    Column("NHS number", width=14, show=format_nhs_number),
    Column("Patient name", width=24),
    Column("Date of birth", "date", 12),
    Column("Address", width=40),
    Column("Postcode", width=10),
]
SUMMARY_COLUMNS = [
    Column("Month", "month", 11),
    Column("Requests received", "number", 11),
    Column("Formal complaints", "number", 11),
    Column("Urgent", "number", 9),
    Column("Cases closed", "number", 9),
    Column("Open at the end of the month", "number", 12),
    *(Column(outcome.label, "number", 12) for outcome in Outcome),
    Column(PatientResponse.SATISFIED.label, "number", 10),
    Column(PatientResponse.STILL_CONCERNED.label, "number", 10),
    Column("PALS referrals made", "number", 10),
    Column("Registered with another practice", "number", 12),
    Column("Median working days to outcome", "number", 12),
    Column("Outcomes within target (%)", "number", 12),
]


def summary_sheet_rows(rows):
    """The summary rows with each month as the date cell of its first day."""
    for month, *figures in rows:
        yield [month.first_day, *figures]
