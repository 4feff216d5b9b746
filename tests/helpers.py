"""Helpers for tests that act as a person would."""

import html as html_lib
import re
from contextlib import contextmanager
from html.parser import HTMLParser

from tracker.extensions import db
from tracker.practices.services import first_practice


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


class _FormFields(HTMLParser):
    """What a browser would post from each <form method="post"> of the page: text and hidden
    inputs, ticked boxes and chosen radios, text areas and chosen options."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._inside = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._inside = True
            self.forms.append([])
            return
        if not self._inside:
            return
        values, name = self.forms[-1], attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    values.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "file"):
                values.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            values.append((self._select, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.forms[-1].append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._inside = False


def form_values(html: str, holding: str = "version") -> dict[str, str]:
    """The page's form that holds a field named `holding`, as a browser would post it
    unchanged (the last value of a name)."""
    parser = _FormFields()
    parser.feed(html)
    parser.close()
    for values in parser.forms:
        if any(name == holding for name, _ in values):
            return dict(values)
    raise AssertionError(f'no form with a field named "{holding}" on the page')


def set_practice(**values):
    """Give the install's practice (made now if there is none) these settings; inside an app
    context. Returns the practice."""
    practice = first_practice()
    for name, value in values.items():
        setattr(practice, name, value)
    db.session.commit()
    return practice


def owner_url(app):
    """The database's URL as its owner: the test server's own role, which makes and restores
    databases (the app itself connects as its own role on PostgreSQL)."""
    from sqlalchemy.engine import make_url

    return make_url(app.config["MIGRATION_DATABASE_URI"] or app.config["SQLALCHEMY_DATABASE_URI"])


@contextmanager
def as_owner(app):
    """A transaction as the database's owner, for what row-level security refuses the app's
    role (a bulk load with COPY)."""
    from sqlalchemy import create_engine

    engine = create_engine(owner_url(app))
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()
