"""/reports/monthly, its CSV and Excel downloads, /reports/complaints (the KO41(b) return) and
/reports/learning (the learning report, with its PDF and Excel): the practice manager's alone."""

from datetime import date

from flask import Blueprint, Response, abort, render_template, request, stream_with_context, url_for
from flask_login import current_user

from tracker import clock
from tracker.audit.kinds import EventKind
from tracker.audit.record import record_event
from tracker.cases.codes import Channel, Outcome, PatientResponse, Route
from tracker.extensions import db
from tracker.pdf import pdf_of_html
from tracker.practices.scope import keeping_the_practice
from tracker.reports import csv_export, excel
from tracker.reports.chart import trend_svg
from tracker.reports.figures import Month, months_between, report_figures
from tracker.reports.ko41b import ko41b_return
from tracker.reports.learning import Period, learning_report, themes_svg
from tracker.reports.network import networks_of
from tracker.settings.models import load_settings
from tracker.spreadsheet import Column, xlsx_download
from tracker.staff.access import roles_required
from tracker.staff.models import Role

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.before_request
@roles_required(Role.PRACTICE_MANAGER)
def require_practice_manager():
    """Reports and downloads are for the practice manager alone."""


def this_month() -> Month:
    return Month.containing(clock.today_london())


@bp.route("/monthly")
def monthly():
    month = Month.parse(request.args.get("month")) or this_month()
    figures, points = report_figures(month)
    recent = [this_month().back(n) for n in range(0, 24)]
    return render_template(
        "reports/monthly.jinja",
        month=month,
        figures=figures,
        points=points,
        chart=trend_svg(points),
        recent=recent,
        is_current=month == this_month(),
        networks=networks_of(current_user.id),
        routes=dict(Route.choices()),
        channels=dict(Channel.choices()),
        outcomes=dict(Outcome.choices()),
        responses=dict(PatientResponse.choices()),
    )


def requested_span() -> tuple[str, Month, Month, bool]:
    """What a download asks for: cases or summary, the months, and whether with identifiers."""
    kind = request.args.get("kind", "cases")
    if kind not in ("cases", "summary"):
        abort(404)
    first = Month.parse(request.args.get("from")) or Month.parse(request.args.get("month"))
    last = Month.parse(request.args.get("to")) or first
    if first is None or last is None or (last.year, last.month) < (first.year, first.month):
        abort(
            400, description="Give a month as month=YYYY-MM, or a range as from=YYYY-MM&to=YYYY-MM"
        )
    if len(months_between(first, last)) > 120:
        abort(400, description="A download covers at most ten years")
    identifiers = kind == "cases" and request.args.get("identifiers") == "1"
    return kind, first, last, identifiers


def record_download(file: str, kind: str, first: Month, last: Month, identifiers: bool) -> None:
    """Every download is in the audit log, committed before the first byte is sent."""
    span = str(first) if first == last else f"{first} to {last}"
    record_event(
        EventKind.EXPORT,
        current_user,
        changes={
            "report": ["", f"monthly.{file} {kind}"],
            "months": ["", span],
            "identifiers": [False, identifiers],
        },
        detail=f"Downloaded the {kind} {FILE_NAMES[file]} for {span}"
        + (" with patient identifiers" if identifiers else ""),
    )
    db.session.commit()


FILE_NAMES = {"csv": "CSV", "xlsx": "Excel file", "pdf": "PDF"}


@bp.route("/monthly.csv")
def monthly_csv():
    kind, first, last, identifiers = requested_span()
    record_download("csv", kind, first, last, identifiers)
    if kind == "cases":
        header = csv_export.CASE_COLUMNS + (csv_export.IDENTIFIER_COLUMNS if identifiers else [])
        rows = csv_export.case_rows(first, last, identifiers)
    else:
        header = csv_export.SUMMARY_COLUMNS
        rows = csv_export.summary_rows(first, last)
    response = Response(
        stream_with_context(keeping_the_practice(csv_export.stream_rows(header, rows))),
        mimetype="text/csv",
    )
    name = csv_export.file_name(kind, first, last, identifiers)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/monthly.xlsx")
def monthly_xlsx():
    kind, first, last, identifiers = requested_span()
    record_download("xlsx", kind, first, last, identifiers)
    span = first.label if first == last else f"{first.short_label} to {last.short_label}"
    if kind == "cases":
        columns = excel.CASE_COLUMNS + (excel.IDENTIFIER_COLUMNS if identifiers else [])
        rows = csv_export.case_rows(first, last, identifiers)
        sheet = f"Cases {span}"
    else:
        columns = excel.SUMMARY_COLUMNS
        rows = excel.summary_sheet_rows(csv_export.summary_rows(first, last))
        sheet = f"Summary {span}"
    name = csv_export.file_name(kind, first, last, identifiers, extension="xlsx")
    return xlsx_download(name, sheet, columns, rows)


def requested_year() -> tuple[int, int]:
    """The return year asked for (from 1 April) and the latest one (this year's)."""
    today = clock.today_london()
    default_year = today.year if today.month >= 4 else today.year - 1
    try:
        year = int(request.args.get("year", default_year))
    except ValueError:
        year = default_year
    if not 2000 <= year <= 2100:
        year = default_year
    return year, default_year


@bp.route("/complaints")
def complaints():
    year, default_year = requested_year()
    found = ko41b_return(year)
    return render_template(
        "reports/complaints.jinja",
        figures=found.summary,
        found=found,
        year=year,
        years=list(range(default_year, default_year - 6, -1)),
        previous_url=url_for("reports.complaints", year=year - 1),
        next_url=url_for("reports.complaints", year=year + 1) if year < default_year else None,
    )


RETURN_COLUMNS = ["Section", "Item", "Number"]


def _record_return_download(file: str, year: int) -> None:
    record_event(
        EventKind.EXPORT,
        current_user,
        changes={"report": ["", f"complaints.{file}"], "year": ["", str(year)]},
        detail=f"Downloaded the KO41(b) return for April {year} to March {year + 1} "
        f"as {FILE_NAMES[file]} (figures only)",
    )
    db.session.commit()


@bp.route("/complaints.csv")
def complaints_csv():
    year, _ = requested_year()
    found = ko41b_return(year)
    _record_return_download("csv", year)
    response = Response(
        csv_export.stream_rows(RETURN_COLUMNS, [list(row) for row in found.rows()]),
        mimetype="text/csv",
    )
    name = f"ko41b-return-{year}-{str(year + 1)[2:]}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/complaints.xlsx")
def complaints_xlsx():
    year, _ = requested_year()
    found = ko41b_return(year)
    _record_return_download("xlsx", year)
    columns = [Column("Section", width=24), Column("Item", width=60), Column("Number", "number")]
    return xlsx_download(
        f"ko41b-return-{year}-{str(year + 1)[2:]}.xlsx",
        f"KO41(b) {year}-{str(year + 1)[2:]}",
        columns,
        [list(row) for row in found.rows()],
    )


# --- the learning report ---------------------------------------------------------------------


def requested_period() -> Period:
    """A return year (?year=2025, this one by default), or any period (?from=&to=, dates as
    YYYY-MM-DD)."""
    given = request.args.get("from"), request.args.get("to")
    if any(given):
        try:
            first, last = (date.fromisoformat(value or "") for value in given)
        except ValueError:
            abort(400, description="Give a period as from=YYYY-MM-DD&to=YYYY-MM-DD")
        if last < first or (last - first).days > 3 * 366:
            abort(400, description="A period runs forwards and covers at most three years")
        return Period(first, last)
    year, _ = requested_year()
    return Period.return_year(year)


def _period_args(period: Period) -> dict:
    if (period.first.month, period.first.day) == (4, 1) and period == Period.return_year(
        period.first.year
    ):
        return {"year": period.first.year}
    return {"from": period.first.isoformat(), "to": period.last.isoformat()}


@bp.route("/learning")
def learning():
    period = requested_period()
    report = learning_report(period)
    _, latest = requested_year()
    return render_template(
        "reports/learning.jinja",
        report=report,
        chart=themes_svg(report),
        args=_period_args(period),
        previous_args={"year": period.first.year - 1} if "year" in _period_args(period) else None,
        next_args={"year": period.first.year + 1}
        if "year" in _period_args(period) and period.first.year < latest
        else None,
    )


def _record_learning_download(file: str, period: Period) -> None:
    record_event(
        EventKind.EXPORT,
        current_user,
        changes={"report": ["", f"learning.{file}"], "period": ["", period.label]},
        detail=f"Downloaded the learning report for {period.label} as {FILE_NAMES[file]}",
    )
    db.session.commit()


@bp.route("/learning.pdf")
def learning_pdf():
    period = requested_period()
    report = learning_report(period)
    html = render_template(
        "reports/learning_print.jinja",
        report=report,
        chart=themes_svg(report),
        settings=load_settings(),
    )
    _record_learning_download("pdf", period)
    response = Response(pdf_of_html(html), mimetype="application/pdf")
    name = f"learning-report-{period.short_label.replace('/', '-').replace(' ', '')}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/learning.xlsx")
def learning_xlsx():
    period = requested_period()
    report = learning_report(period)
    _record_learning_download("xlsx", period)
    columns = [
        Column("Section", width=24),
        Column("Item", width=56),
        Column(period.short_label, "number"),
        Column(period.before.short_label, "number"),
    ]
    name = f"learning-report-{period.short_label.replace('/', '-').replace(' ', '')}.xlsx"
    return xlsx_download(name, "Learning report", columns, [list(row) for row in report.rows()])
