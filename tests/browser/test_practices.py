"""A GP of two practices in a real browser: the header names the practice they are working in,
they change it, and a case's emailed link from the other practice lands on that case there."""

import re

import pytest
from sqlalchemy import select

from tests.browser.test_accessibility import on_narrow_screens, run_axe
from tracker.cases.models import Case
from tracker.demo import HILLSIDE, RIVERSIDE
from tracker.extensions import db
from tracker.practices.scope import in_practice
from tracker.practices.services import find_practice

pytestmark = pytest.mark.browser


def test_a_gp_of_two_practices_changes_practice_and_follows_a_link_into_the_other(
    live_server, signed_in
):
    with live_server.app.app_context():
        riverside = find_practice(RIVERSIDE.ods_code).id
        hillside = find_practice(HILLSIDE.ods_code).id
        with in_practice(hillside):
            case = db.session.scalars(select(Case).order_by(Case.id)).first()
            reference, patient = case.reference, case.patient_name
    page = signed_in("shared_gp")
    page.goto(f"{live_server.url}/")
    header = page.locator("header")
    page.get_by_role("link", name="Change practice").click()
    assert run_axe(page) == []
    on_narrow_screens(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label(RIVERSIDE.name).check()
    page.get_by_role("button", name="Work in this practice").click()
    assert (
        f"You are working in {RIVERSIDE.name}"
        in page.locator(".nhsuk-notification-banner").inner_text()
    )
    assert RIVERSIDE.name in header.inner_text() and HILLSIDE.name not in header.inner_text()

    # The link an email about a Hillside case carries.
    page.goto(f"{live_server.url}/practices/{hillside}/cases/{reference}")
    assert re.search(rf"/cases/{reference}$", page.url)
    assert HILLSIDE.name in page.locator("header").inner_text()
    assert patient in page.locator("main").inner_text()
    assert run_axe(page) == []

    # Someone who works only in Riverside cannot follow it.
    reception = signed_in("reception")
    answer = reception.goto(f"{live_server.url}/practices/{hillside}/cases/{reference}")
    assert answer.status == 404
    assert riverside != hillside
    page.context.close()
    reception.context.close()
