"""Reading the guidance sidebar as a browser would: visible text and the live tags on the page."""

import re
from html.parser import HTMLParser

from tracker.guidance.defaults import DEFAULT_TEXTS
from tracker.guidance.text_format import render

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """Every element with its attributes, and the text a person sees (nothing inside [hidden])."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self._hidden_depth: list[bool] = []
        self._words: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag not in VOID:
            self._hidden_depth.append("hidden" in attributes)

    def handle_endtag(self, tag):
        if tag not in VOID and self._hidden_depth:
            self._hidden_depth.pop()

    def handle_data(self, data):
        if not any(self._hidden_depth):
            self._words.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._words).split())


def aside_html(response) -> str:
    """The guidance sidebar's markup; fails the test when the page has none."""
    html = response.get_data(as_text=True)
    found = re.search(r'<aside class="app-guidance".*?</aside>', html, flags=re.S)
    assert found, "the page has no guidance sidebar"
    return found.group(0)


def sidebar(response) -> Page:
    return Page(aside_html(response))


def shipped_text(topic: str) -> str:
    """A shipped guidance text as the page shows it, for comparing with visible text."""
    return Page(str(render(DEFAULT_TEXTS[topic]))).text
