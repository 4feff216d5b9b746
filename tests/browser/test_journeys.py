"""Every journey in a real browser: reception, practice manager and GP, start to finish."""

import io
import re

import openpyxl
import pytest

from tests.browser.conftest import EMAILS, sign_in

pytestmark = pytest.mark.browser


def fill_intake(page, nhs_number: str, name: str) -> None:
    page.fill("#nhs_number", nhs_number)
    page.fill("#patient_name", name)
    page.fill("#date_of_birth-day", "7")
    page.fill("#date_of_birth-month", "9")
    page.fill("#date_of_birth-year", "1961")
    page.fill("#phone", "01632 960123")
    page.check("#preferred_contact")  # Phone, the first option
    page.get_by_role("radio", name="Telephone").check()
    page.get_by_role("radio", name="Dr Amira Shah").check()
    page.fill("#concern", "Pain in the left shoulder for two months; told it is a strain.")
    page.get_by_role("radio", name="A second opinion from another GP here").check()
    page.check("#already_discussed_with_own_gp-2")
    page.check("#formal_complaint-2")
    page.check("#urgent-2")


def test_a_request_from_logging_to_outcome(browser, live_server, signed_in):
    reception = browser.new_context().new_page()
    sign_in(reception, live_server, EMAILS["reception"])
    reception.get_by_role("link", name="Log a request").first.click()
    fill_intake(reception, "999 912 3458", "Morgan Test")  # wrong check digit
    reception.get_by_role("button", name="Log request").click()
    summary = reception.locator(".nhsuk-error-summary")
    assert "Enter a valid NHS number" in summary.inner_text()
    assert reception.title().startswith("Error: ")
    assert reception.input_value("#patient_name") == "Morgan Test"  # nothing typed is lost
    reception.fill("#nhs_number", "999 912 3457")
    reception.get_by_role("button", name="Log request").click()
    banner = reception.locator(".nhsuk-notification-banner").inner_text()
    reference = re.search(r"SO-\d{4}-\d{4}", banner).group(0)
    assert reception.locator("h1").inner_text() == "Morgan Test"
    assert "999 912 3457" in reception.content()

    manager = signed_in("manager")
    manager.goto(f"{live_server.url}/cases/{reference}")
    manager.get_by_role("button", name="Assign a reviewer").click()
    options = manager.locator("#reviewer option").all_inner_texts()
    assert not any("Dr Amira Shah" in option for option in options)  # gave the first opinion
    # Each name shows the person's open and overdue cases: "Dr Owen Hughes (GP): 2 open".
    hughes = manager.locator("#reviewer option", has_text="Dr Owen Hughes (GP):")
    assert re.fullmatch(r"Dr Owen Hughes \(GP\): \d+ open(, \d+ overdue)?", hughes.inner_text())
    manager.select_option("#reviewer", value=hughes.get_attribute("value"))
    manager.get_by_role("button", name="Assign a reviewer").click()
    assert (
        "Reviewer assigned on " + reference
        in manager.locator(".nhsuk-notification-banner").inner_text()
    )

    gp = signed_in("gp")
    gp.goto(f"{live_server.url}/queue")
    gp.locator("#my-cases").locator("xpath=following::table[1]").get_by_role(
        "link", name=reference
    ).click()
    gp.get_by_role("button", name="Record the outcome").click()
    gp.get_by_role("radio", name="Different opinion given").check()
    gp.fill("#outcome_summary", "Examined; likely frozen shoulder. Physiotherapy referral agreed.")
    gp.get_by_role("radio", name="Satisfied").check()
    gp.get_by_role("button", name="Record the outcome").click()
    assert (
        "Outcome recorded on " + reference in gp.locator(".nhsuk-notification-banner").inner_text()
    )
    assert "Outcome recorded" in gp.locator(".nhsuk-tag").first.inner_text()

    # Reception sees the outcome category but not the GP's clinical summary.
    reception.goto(f"{live_server.url}/cases/{reference}")
    assert "Different opinion given" in reception.content()
    assert "frozen shoulder" not in reception.content()
    for opened in (reception, manager, gp):
        opened.context.close()


def test_manager_refers_to_pals_closes_downloads_and_reports(live_server, signed_in):
    page = signed_in("manager", accept_downloads=True)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Log a request").first.click()
    fill_intake(page, "999 912 3465", "Riley Pals")
    page.get_by_role("button", name="Log request").click()
    reference = re.search(
        r"SO-\d{4}-\d{4}", page.locator(".nhsuk-notification-banner").inner_text()
    ).group(0)

    page.get_by_role("button", name="Refer to PALS").click()
    page.get_by_role("radio", name="The patient went to PALS themselves").check()
    page.fill("#pals_service", "PALS – Riverside NHS Foundation Trust")
    page.fill("#pals_reference", "PALS-777")
    page.get_by_role("button", name="Refer to PALS").click()
    assert "Referred to PALS" in page.locator(".nhsuk-tag").first.inner_text()

    page.get_by_role("button", name="Close the case").click()
    page.get_by_role("radio", name="Resolved after PALS").check()
    page.get_by_role("button", name="Close the case").click()
    assert "Case closed on " + reference in page.locator(".nhsuk-notification-banner").inner_text()

    page.get_by_role("link", name="Reports").click()
    assert page.locator("h1").inner_text()  # the month shown
    assert "Requests received" in page.content()
    for link_text, header in (
        ("^CSV file of the cases received in .*, no patient", "reference,received_on,channel"),
        ("^CSV file of the summary, one row a month", "month,received,formal_complaints"),
    ):
        with page.expect_download() as download_info:
            page.get_by_role("link", name=re.compile(link_text)).click()
        download = download_info.value
        assert download.suggested_filename.startswith("second-opinions-")
        with open(download.path(), encoding="utf-8-sig") as handle:
            assert handle.readline().startswith(header)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Excel file of the cases .*, no patient")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:  # the saved file has no .xlsx name to go by
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Reference", "Request received on", "How the request was made")
    assert reference in [row[0] for row in rows[1:]]
    page.context.close()


def test_a_gp_cannot_reach_admin_pages(live_server, signed_in):
    page = signed_in("gp")
    page.goto(live_server.url + "/")
    nav = page.locator("nav.nhsuk-header__navigation").inner_text()
    assert "Staff" not in nav and "Reports" not in nav
    for url in ("/admin/users", "/admin/settings", "/reports/monthly"):
        response = page.goto(live_server.url + url)
        assert response.status == 403
        assert "You do not have access to this page" in page.content()
    page.context.close()
