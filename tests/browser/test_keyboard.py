"""Logging a request with the keyboard alone: Tab, Shift+Tab, Space and Enter (and typing)."""

import pytest

from tests.browser.conftest import EMAILS, sign_in

pytestmark = pytest.mark.browser

FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== 'none';
}"""


def focused_id(page) -> str:
    return page.evaluate(
        "document.activeElement && (document.activeElement.id || document.activeElement.className)"
    )


def tab_to(page, target: str, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until the element with this id has focus, checking focus is visible."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        assert page.evaluate(FOCUS_VISIBLE), f"focus not visible on {focused_id(page)}"
        if page.evaluate("document.activeElement.id") == target:
            return
    raise AssertionError(f"never reached #{target} with {key}")


def type_into(page, target: str, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def choose_first(page, group: str) -> None:
    tab_to(page, group)
    page.keyboard.press("Space")
    assert page.is_checked(f"#{group}")


def test_intake_to_saved_case_by_keyboard(browser, live_server):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, live_server, EMAILS["reception"])
    page.goto(f"{live_server.url}/cases/new")

    # Submitting the empty form moves focus to the error summary.
    tab_to(page, "submit-intake")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    # A function, not an expression: Playwright evaluates an expression with eval in the page,
    # which the page's Content Security Policy refuses whenever the first check is not true.
    page.wait_for_function(
        "() => document.activeElement !== null"
        " && document.activeElement.classList.contains('nhsuk-error-summary')"
    )
    assert page.title().startswith("Error: ")

    type_into(page, "nhs_number", "999 912 3473")
    type_into(page, "patient_name", "Kai Keyboard")
    tab_to(page, "nhs_number", backwards=True)  # back to check the number, then on again
    assert page.input_value("#nhs_number") == "999 912 3473"
    type_into(page, "date_of_birth-day", "3")
    type_into(page, "date_of_birth-month", "2")
    type_into(page, "date_of_birth-year", "1950")
    type_into(page, "phone", "01632 960555")
    choose_first(page, "preferred_contact")
    choose_first(page, "channel")
    choose_first(page, "original_gp")
    type_into(
        page, "concern", "Breathless on stairs; would like another GP to listen to the chest."
    )
    choose_first(page, "route_requested")
    choose_first(page, "already_discussed_with_own_gp")
    choose_first(page, "formal_complaint")
    choose_first(page, "urgent")
    tab_to(page, "submit-intake")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    banner = page.locator(".nhsuk-notification-banner").inner_text()
    assert "Request logged as SO-" in banner
    assert page.locator("h1").inner_text() == "Kai Keyboard"
    page.context.close()
