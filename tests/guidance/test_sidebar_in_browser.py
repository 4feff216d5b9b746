"""The intake guidance in Chromium: it follows the answers, sits below the form on a phone, prints."""

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
    assert page.is_visible("[data-pals-office]")
    page.check("input[name=route_requested][value=register_elsewhere]")
    assert visible_routes(page) == ["register_elsewhere"]
    assert page.is_hidden("[data-pals-office]")

    assert page.is_hidden("[data-guidance-note=urgent]")
    page.check("input[name=urgent][value=yes]")
    assert page.is_visible("[data-guidance-note=urgent]")
    page.check("input[name=urgent][value=no]")
    assert page.is_hidden("[data-guidance-note=urgent]")
    page.fill("input[name=representative_name]", "Sam Carer")
    assert page.is_visible("[data-guidance-note=representative]")


def test_on_a_phone_the_guidance_comes_after_the_form(reception_page):
    page = reception_page(viewport={"width": 375, "height": 800})
    form = page.locator("main form").first.bounding_box()
    aside = page.locator("aside.app-guidance").bounding_box()
    assert aside["y"] >= form["y"] + form["height"]
    assert aside["width"] > 300  # the full width of the screen, not a squeezed column


def test_in_print_the_guidance_is_full_width_and_hides_the_unchosen_routes(reception_page):
    page = reception_page(viewport={"width": 1280, "height": 900})
    page.check("input[name=route_requested][value=pals]")
    page.emulate_media(media="print")
    main = page.locator("main").bounding_box()
    aside = page.locator("aside.app-guidance").bounding_box()
    assert aside["width"] > main["width"] * 0.8
    assert visible_routes(page) == ["pals"]
