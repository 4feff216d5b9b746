"""Helpers for tests that act as a person would."""

import html as html_lib
import re
from html.parser import HTMLParser


def sign_in(client, email, password, next_url=None):
    data = {"email": email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/login", data=data)


def text_of(response) -> str:
    """The page's visible text with tags removed and whitespace collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    # A responsive table's per-cell headings show only on a phone (the column headings show on
    # a wider screen) and are hidden from screen readers: leave them out, as a desktop shows.
    html = re.sub(
        r'<span class="nhsuk-table-responsive__heading" aria-hidden="true">[^<]*</span>', "", html
    )
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


class _InputTags(HTMLParser):
    """Collects the attributes of every <input> tag, in page order."""

    def __init__(self):
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


def inputs_named(html: str, name: str) -> list[dict[str, str | None]]:
    """The attributes of each <input name="..."> on the page, whatever their order in the tag."""
    parser = _InputTags()
    parser.feed(html)
    parser.close()
    return [attrs for attrs in parser.inputs if attrs.get("name") == name]


def value_of(html: str, name: str) -> str:
    """The value of the first input with this name (an input with no value attribute gives "")."""
    found = inputs_named(html, name)
    assert found, f'no <input name="{name}"> on the page'
    return found[0].get("value") or ""


def version_on(html: str) -> str:
    return value_of(html, "version")
