"""The intake guidance in Chromium: it follows the answers, sits folded before the button on a
phone, prints."""

import os
import shutil

import pytest

from tests.browser.conftest import CHROMIUM, EMAILS, browser, live_server, sign_in  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)) and not os.environ.get("CI"),
        reason=f"Chromium not found at {CHROMIUM}",
    ),
]


@pytest.fixture
def reception_page(browser, live_server):  # noqa: F811
    def open_intake(**options):
        context = browser.new_context(**options)
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, live_server, EMAILS["reception"])
        page.goto(f"{live_server.url}/cases/new")
        return page

    return open_intake


COLUMN = ".app-guidance-column"  # the guidance beside the form on a wider screen
PHONE = ".app-guidance-phone"  # the same guidance before the button on a phone


def visible_routes(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-guidance-route]",
        "sections => sections.filter(s => s.offsetParent !== null).map(s => s.dataset.guidanceRoute)",
    )


def test_the_guidance_follows_the_route_and_answers_as_they_are_given(reception_page):
    page = reception_page(viewport={"width": 1280, "height": 900})
    assert len(visible_routes(page)) == 7
    page.check("input[name=route_requested][value=pals]")
    assert visible_routes(page) == ["pals"]
    assert page.is_visible(f"{COLUMN} [data-pals-office]")
    page.check("input[name=route_requested][value=register_elsewhere]")
    assert visible_routes(page) == ["register_elsewhere"]
    assert page.is_hidden(f"{COLUMN} [data-pals-office]")

    assert page.is_hidden(f"{COLUMN} [data-guidance-note=urgent]")
    page.check("input[name=urgent][value=yes]")
    assert page.is_visible(f"{COLUMN} [data-guidance-note=urgent]")
    page.check("input[name=urgent][value=no]")
    assert page.is_hidden(f"{COLUMN} [data-guidance-note=urgent]")
    page.fill("input[name=representative_name]", "Sam Carer")
    assert page.is_visible(f"{COLUMN} [data-guidance-note=representative]")


def test_on_a_phone_the_guidance_sits_before_the_button_folded(reception_page):
    page = reception_page(viewport={"width": 375, "height": 800})
    assert page.is_hidden(COLUMN)
    summary = page.get_by_text("Guidance for this step")
    button = page.locator("#submit-intake").bounding_box()
    assert summary.is_visible()
    assert summary.bounding_box()["y"] + summary.bounding_box()["height"] <= button["y"]
    assert page.is_hidden(f"{PHONE} aside.app-guidance")  # folded until opened
    summary.click()
    aside = page.locator(f"{PHONE} aside.app-guidance")
    assert aside.is_visible() and aside.bounding_box()["width"] > 280
    page.check("input[name=route_requested][value=pals]")
    assert visible_routes(page) == ["pals"]  # it follows the answers too
    assert page.is_visible(f"{PHONE} [data-pals-office]")


def test_in_print_the_guidance_is_full_width_and_hides_the_unchosen_routes(reception_page):
    page = reception_page(viewport={"width": 1280, "height": 900})
    page.check("input[name=route_requested][value=pals]")
    page.emulate_media(media="print")
    main = page.locator("main").bounding_box()
    aside = page.locator(f"{COLUMN} aside.app-guidance").bounding_box()
    assert aside["width"] > main["width"] * 0.8
    assert visible_routes(page) == ["pals"]
