"""Guidance text allows headings, lists, bold and links; nothing else reaches a page as markup."""

import pytest

from tests.guidance.pages import Page, aside_html
from tracker.guidance.text_format import is_safe_link, render

HOSTILE = """## Call the patient
<script>alert('guidance')</script>
<img src="x" onerror="alert('img')">
- [Click here](javascript:alert('link'))
- [Also](JAVASCRIPT:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)
- <a href="https://evil.example" onclick="alert(2)">raw link</a>
- [NHS website](https://www.nhs.uk)
"""


def live_markup(html: str) -> list[tuple[str, dict]]:
    return Page(html).elements


def assert_nothing_live(html: str) -> None:
    for tag, attributes in live_markup(html):
        assert tag not in ("script", "img", "iframe", "object", "style"), tag
        for name, value in attributes.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert (
                    value.strip()
                    .lower()
                    .startswith(("https://", "http://", "/", "#", "mailto:", "tel:"))
                ), value


def test_hostile_guidance_is_shown_as_text_on_the_case_page(staff, as_user, case_at):
    reference = case_at("in_review")
    manager = as_user(staff.manager)
    saved = manager.post(
        "/admin/guidance/stage_in_review", data={"body": HOSTILE, "intent": "save"}
    )
    assert saved.status_code == 302

    for user in (staff.manager, staff.gp):
        html = aside_html(as_user(user).get(f"/cases/{reference}"))
        assert_nothing_live(html)
        assert "<script" not in html
        text = Page(html).text
        # The editor's typing is visible as text, so nothing is silently lost ...
        assert "<script>alert('guidance')</script>" in text
        assert "[Click here](javascript:alert('link'))" in text
        # ... and the allowed format still works.
        assert '<h3 class="nhsuk-heading-xs">Call the patient</h3>' in html
        assert '<a href="https://www.nhs.uk">NHS website</a>' in html
        assert "javascript:" not in [
            attrs.get("href", "").lower()[:11] for _, attrs in Page(html).elements
        ]


def test_hostile_guidance_is_harmless_in_the_preview_and_history_too(staff, as_user):
    manager = as_user(staff.manager)
    preview = manager.post(
        "/admin/guidance/stage_in_review", data={"body": HOSTILE, "intent": "preview"}
    ).get_data(as_text=True)
    assert_nothing_live(preview.split("<main", 1)[1].split("</main>", 1)[0])
    assert "Some links will not work" in preview
    manager.post("/admin/guidance/stage_in_review", data={"body": HOSTILE, "intent": "save"})
    page = manager.get("/admin/guidance/stage_in_review").get_data(as_text=True)
    assert_nothing_live(page.split("<main", 1)[1].split("</main>", 1)[0])


def test_the_allowed_format():
    html = str(render("# Top\n### Lower\n- one\n- **two**\n\n1. first\n\n[Web](https://a.example)"))
    assert '<h3 class="nhsuk-heading-xs">Top</h3>' in html
    assert '<h4 class="nhsuk-heading-xs">Lower</h4>' in html
    assert "<ul>\n<li>one</li>\n<li><strong>two</strong></li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n</ol>" in html
    assert '<a href="https://a.example">Web</a>' in html


def test_everything_else_is_escaped():
    html = str(render("<b>bold?</b> `code` > quote\n\n![img](https://a.example/x.png) | t |"))
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html
    assert "<code>" not in html and "<blockquote>" not in html and "<img" not in html


@pytest.mark.parametrize(
    ("link", "safe"),
    [
        ("https://www.nhs.uk", True),
        ("http://example.org/pals", True),
        ("mailto:pals@nhs.net", True),
        ("tel:01632960000", True),
        ("/queue", True),
        ("//evil.example", False),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("vbscript:msgbox", False),
        ("data:text/html,hi", False),
    ],
)
def test_only_web_email_phone_and_local_links_are_allowed(link, safe):
    assert is_safe_link(link) is safe
