"""Helpers for tests that act as a person would."""

import html as html_lib
import re


def sign_in(client, email, password, next_url=None):
    data = {"email": email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/login", data=data)


def text_of(response) -> str:
    """The page's visible text with tags removed and whitespace collapsed."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def version_on(html: str) -> str:
    return html.split('name="version" type="hidden" value="')[1].split('"')[0]
