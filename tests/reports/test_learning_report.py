"""The learning report for a year of demo data: its figures worked out from the database, and
the page, the PDF and the Excel file all saying the same; a period of its own; the practice
manager's alone."""

import io
from datetime import date

import openpyxl
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.helpers import sign_in, text_of
from tracker import clock
from tracker.cases.ko41b import return_year_of
from tracker.cases.models import Case, ComplaintAspect
from tracker.demo import DEMO_PASSWORD, RIVERSIDE
from tracker.extensions import db
from tracker.practices.scope import in_practice
from tracker.practices.services import find_practice
from tracker.reports.learning import Period, learning_report


def demo_manager(app):
    assert app.test_cli_runner().invoke(args=["tracker", "seed-demo"]).exit_code == 0
    client = app.test_client()
    assert sign_in(client, "manager@demo.practice.example", DEMO_PASSWORD).status_code == 302
    with app.app_context():
        riverside = find_practice(RIVERSIDE.ods_code).id
    client.get(f"/practices/{riverside}/cases/SO-{clock.today_london().year}-0001")
    return client, riverside


def shown(value) -> str:
    """A figure as the page and the PDF show it: a dash for nothing to measure."""
    return "–" if value is None else str(value)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_year_of_demo_data_reads_the_same_on_the_page_in_the_pdf_and_in_excel(app):
    client, riverside = demo_manager(app)
    year = return_year_of(clock.today_london())
    with app.app_context(), in_practice(riverside):
        report = learning_report(Period.return_year(year))
        rows = report.rows()
        formal = db.session.scalar(
            select(func.count()).where(
                Case.formal_complaint.is_(True),
                Case.received_on >= date(year, 4, 1),
                Case.received_on <= date(year + 1, 3, 31),
            )
        )
        coded = db.session.scalar(select(func.count()).select_from(ComplaintAspect))
    figures = {(section, item): (now, before) for section, item, now, before in rows}
    assert figures["Complaints", "Formal complaints received"][0] == formal > 0
    assert coded >= formal
    assert figures["Improvement actions", "Raised"][0] == 2
    # The demo's second action fell due three days ago and is not done.
    assert figures["Improvement actions", "Overdue at the period's end (or today)"][0] == 1
    assert figures["Significant events", "Flagged, of requests received"][0] == 1
    assert report.lessons and report.significant[0].sea_reference == "SEA-DEMO-1"

    page = client.get("/reports/learning")
    assert page.status_code == 200
    text = text_of(page)
    assert f"April {year} to March {year + 1}" in text
    for _, item, now, before in rows:
        assert f"{item} {shown(now)} {shown(before)}" in text, item
    assert report.lessons[0].lessons in text and "SEA-DEMO-1" in text
    assert '<svg class="app-chart app-chart--themes"' in page.get_data(as_text=True)

    pdf = client.get("/reports/learning.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    read = pdf_text(pdf.data)
    for _, item, now, before in rows:
        assert f"{item} {shown(now)} {shown(before)}" in read, item
    assert report.lessons[0].lessons in read and "SEA-DEMO-1" in read

    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/reports/learning.xlsx").data)).active
    read_rows = [tuple(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert read_rows == [tuple(row) for row in rows]


def test_any_period_beside_the_one_before_it(app):
    client, riverside = demo_manager(app)
    today = clock.today_london()
    first = date(today.year, 1, 1) if today.month > 1 else date(today.year - 1, 1, 1)
    page = client.get(f"/reports/learning?from={first.isoformat()}&to={today.isoformat()}")
    assert page.status_code == 200
    period = Period(first, today)
    assert period.label in text_of(page) and period.before.short_label in text_of(page)
    assert client.get("/reports/learning?from=2026-05-01&to=2026-01-01").status_code == 400


def test_the_learning_report_is_the_practice_managers(app, staff, as_user):
    for person in (staff.reception, staff.gp):
        assert as_user(person).get("/reports/learning").status_code == 403
        assert as_user(person).get("/reports/learning.pdf").status_code == 403
