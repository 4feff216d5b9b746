"""The simple format for guidance text: headings, lists, bold and links; everything else escaped."""

import re

from markdown_it import MarkdownIt
from markupsafe import Markup

# Web, email and phone links, and pages of this site. Anything else (javascript:, data: ...)
# stays as plain text.
SAFE_LINK = re.compile(r"^(https?://|mailto:|tel:|/(?!/))", re.IGNORECASE)


def is_safe_link(url: str) -> bool:
    """True for http(s), mailto and tel links and paths on this site."""
    return bool(SAFE_LINK.match(url.strip()))


def _parser() -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False, "linkify": False, "typographer": False})
    md.enable(["heading", "list", "emphasis", "link"])
    md.validateLink = is_safe_link
    return md


_MD = _parser()


def _shift_headings(tokens, top_level: int) -> None:
    """Headings inside the sidebar sit below its own: # and ## become top_level, deeper one more."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = f"h{min(top_level if level <= 2 else top_level + 1, 6)}"
            if token.type == "heading_open":
                token.attrSet("class", "nhsuk-heading-xs")


def render(text: str, top_level: int = 3) -> Markup:
    """Guidance text as safe HTML for the sidebar or a preview."""
    tokens = _MD.parse(text or "")
    _shift_headings(tokens, top_level)
    return Markup(_MD.renderer.render(tokens, _MD.options, {}))  # noqa: S704 - html disabled, links checked


def unsafe_links(text: str) -> list[str]:
    """Link targets in the text that will not become links, to warn the editor."""
    permissive = MarkdownIt("zero").enable(["link"])
    permissive.validateLink = lambda url: True
    found = []
    for block in permissive.parse(text or ""):
        for token in block.children or []:
            if token.type == "link_open" and not is_safe_link(token.attrGet("href") or ""):
                found.append(token.attrGet("href"))
    return found
