"""The Excel downloads, read back with openpyxl as a spreadsheet would read them."""

import io
from datetime import date, datetime

import openpyxl
from sqlalchemy import select

from tracker.audit.models import Event
from tracker.extensions import db


def workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return openpyxl.load_workbook(io.BytesIO(response.get_data()))


def by_header(sheet):
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_cases_workbook_has_labels_dates_and_nhs_numbers_as_text(
    app, place_case, manager_client, staff
):
    place_case(
        received_on=date(2026, 6, 1),
        patient_name='=HYPERLINK("http://x")',
        nhs_number="0101901232",
        nhs_number_unknown=False,
        date_of_birth=date(1950, 2, 3),
        route_requested="second_opinion_gp",
        channel="telephone",
    )
    place_case(received_on=date(2026, 6, 2), patient_name="Ann Other", formal_complaint=True)
    response = manager_client.get("/reports/monthly.xlsx?month=2026-06&kind=cases&identifiers=1")
    assert (
        "filename=second-opinions-2026-06-cases-with-identifiers.xlsx"
        in (response.headers["Content-Disposition"])
    )
    book = workbook(response)
    sheet = book.active
    assert sheet.title == "Cases June 2026"
    header, rows = by_header(sheet)
    assert header[:4] == [
        "Reference", "Request received on", "How the request was made", "What the patient is asking for",
    ]  # fmt: skip
    assert header[-5:] == ["NHS number", "Patient name", "Date of birth", "Address", "Postcode"]
    first, second = rows
    # The NHS number is text with its leading zero, spaced as the pages show it.
    assert first["NHS number"].data_type == "s"
    assert first["NHS number"].value == "010 190 1232"
    # Dates are date cells, shown day/month/year.
    assert first["Request received on"].is_date
    assert first["Request received on"].value == datetime(2026, 6, 1)
    assert first["Request received on"].number_format == "dd/mm/yyyy"
    assert first["Date of birth"].value == datetime(1950, 2, 3)
    # Labels, not codes.
    assert first["How the request was made"].value == "Telephone"
    assert first["What the patient is asking for"].value == "A second opinion from another GP here"
    assert first["Stage"].value == "Logged"
    assert first["Formal complaint"].value == "No" and second["Formal complaint"].value == "Yes"
    assert first["GP who gave the first opinion"].value == "Dr Gina First"
    # A formula-looking value is text, neutralised as in the CSV.
    assert first["Patient name"].data_type == "s"
    assert first["Patient name"].value == '\'=HYPERLINK("http://x")'
    # Nothing is a blank cell, not the text "None".
    assert first["Outcome"].value is None
    # The header row is frozen and filtered.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:AA3"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width


def test_cases_workbook_without_identifiers_has_no_patient_columns(app, place_case, manager_client):
    place_case(received_on=date(2026, 6, 1), patient_name="Hidden Name")
    header, rows = by_header(
        workbook(manager_client.get("/reports/monthly.xlsx?month=2026-06&kind=cases")).active
    )
    assert "Patient name" not in header and "NHS number" not in header
    assert len(rows) == 1
    assert all(cell.value != "Hidden Name" for cell in rows[0].values())


def test_summary_workbook_has_a_month_date_and_numbers(two_months, manager_client):
    book = workbook(
        manager_client.get("/reports/monthly.xlsx?from=2026-03&to=2026-04&kind=summary")
    )
    header, rows = by_header(book.active)
    assert header[:3] == ["Month", "Requests received", "Formal complaints"]
    assert "First opinion confirmed" in header
    assert [row["Month"].value for row in rows] == [datetime(2026, 3, 1), datetime(2026, 4, 1)]
    assert rows[0]["Month"].number_format == "mmm yyyy"
    assert rows[0]["Requests received"].value == 4
    assert rows[0]["Requests received"].data_type == "n"


def test_excel_downloads_are_audited_and_for_the_manager_alone(app, manager_client, staff, as_user):
    manager_client.get("/reports/monthly.xlsx?month=2026-04&kind=cases&identifiers=1")
    manager_client.get("/admin/audit.xlsx")
    with app.app_context():
        export = db.session.scalars(select(Event).where(Event.kind == "export")).one()
        assert export.changes["report"][1] == "monthly.xlsx cases"
        assert export.detail == (
            "Downloaded the cases Excel file for 2026-04 with patient identifiers"
        )
        audit = db.session.scalars(select(Event).where(Event.kind == "audit_exported")).one()
        assert audit.detail.startswith("Audit log exported as an Excel file")
    gp = as_user(staff.gp)
    assert gp.get("/reports/monthly.xlsx?month=2026-04&kind=cases").status_code == 403
    assert gp.get("/admin/audit.xlsx").status_code == 403


def test_audit_workbook_has_uk_times_as_dates_and_labels(
    app, staff, as_user, make_user, log_case, frozen_clock
):
    frozen_clock.now = datetime.fromisoformat("2026-07-01T08:30:00+00:00")  # 09:30 BST
    reference = log_case(
        **{"received_on[day]": "1", "received_on[month]": "7", "received_on[year]": "2026"}
    )
    manager = as_user(staff.manager)
    header, rows = by_header(workbook(manager.get("/admin/audit.xlsx?kind=case_logged")).active)
    assert header == [
        "When (UK time)", "Person", "Person's email", "What happened", "Case", "From stage",
        "To stage", "Changes", "Detail",
    ]  # fmt: skip
    (logged,) = rows
    assert logged["When (UK time)"].is_date
    assert logged["When (UK time)"].value == datetime(2026, 7, 1, 9, 30)
    assert logged["What happened"].value == "Request logged"
    assert logged["Case"].value == reference
    assert logged["To stage"].value == "Logged"
    assert "route_requested: (none) → second_opinion_gp" in logged["Changes"].value
    target = make_user("gp")
    manager.post(
        f"/admin/users/{target.id}",
        data={"full_name": "=cmd|' /C calc'!A0", "email": target.email, "role": "gp"},
    )
    header, rows = by_header(workbook(manager.get("/admin/audit.xlsx?kind=account_changed")).active)
    assert rows[0]["Detail"].data_type == "s"
    assert rows[0]["Detail"].value.startswith("'=cmd")
