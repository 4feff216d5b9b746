"""How long a letter may be, and how long it would be, worked out before it is laid out.

Making a PDF costs time for every page WeasyPrint lays out (about a tenth of a second) and for
every paragraph, list item, line break and bold or emphasised word in it (one or two
thousandths of a second each): a template of thousands of one-word paragraphs, or of thousands
of bold words, within the character limit, costs many seconds for every letter. So a letter is
measured from its HTML first, its height in millimetres of the A4 page as letter.css sets it
out and its parts counted, and one over either bound is refused before anything is laid out;
the PDF's real page count is checked after layout as a second wall (render.pdf_of).
"""

import math
from dataclasses import dataclass
from html.parser import HTMLParser

from tracker.cases.errors import CaseError

MAX_PAGES = 5
# Paragraphs, headings, list items, line breaks and bold or emphasised words: the shipped
# letters have about 30.
MAX_PARTS = 300

# letter.css: A4 less the page margins, 11 pt text at 1.45 line height, 12 pt headings.
PAGE_HEIGHT_MM = 297 - 18 - 22
TEXT_WIDTH_MM = 210 - 20 - 20
LINE_MM = 11 * 1.45 * 25.4 / 72
HEADING_LINE_MM = 12 * 1.45 * 25.4 / 72
# The letterhead, the window envelope's address and the date beside it, above the text.
FIRST_PAGE_HEADER_MM = 30 + 2 + 45
# Characters of ordinary text on a full line; narrow letters fit more, which only makes the
# estimate longer than the letter, never shorter by much.
CHARS_PER_LINE = 88
LIST_INDENT_MM = 6
# The space below each kind of block (margins), in millimetres.
SPACE_AFTER_MM = {"p": 3.0, "li": 1.5, "heading": 7.0, "list": 3.0}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class Length:
    """A letter's size: the A4 pages it would take and the parts it is made of."""

    pages: int
    parts: int

    @property
    def problem(self) -> str | None:
        """Why a letter this size is not made, or None when it can be."""
        if self.pages > MAX_PAGES:
            return (
                f"The letter would be about {self.pages} pages long, and a letter can be at "
                f"most {MAX_PAGES} pages"
            )
        if self.parts > MAX_PARTS:
            return (
                f"The letter has {self.parts:,} paragraphs, headings, list items, line breaks and "
                f"bold words, and a letter can have at most {MAX_PARTS}"
            )
        return None


class LetterTooLong(CaseError):
    """A letter over the bounds: it is not made, and the message says why and what to do."""

    def __init__(self, length: Length, advice: str):
        self.length = length
        super().__init__(f"{length.problem}. {advice}", field="letter")


class _Measure(HTMLParser):
    """Adds up the height of each block of a letter's body as it is read."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.height = 0.0
        self.depth = 0  # lists within lists, each indented
        self.block: str | None = None
        self.lines: list[int] = []  # characters on each line of the block being read
        self.parts = 0

    def _close_block(self) -> None:
        if self.block is None:
            return
        width = max(TEXT_WIDTH_MM - LIST_INDENT_MM * self.depth, TEXT_WIDTH_MM / 6)
        per_line = max(int(CHARS_PER_LINE * width / TEXT_WIDTH_MM), 1)
        count = sum(max(1, math.ceil(chars / per_line)) for chars in self.lines)
        line = HEADING_LINE_MM if self.block == "heading" else LINE_MM
        self.height += count * line + SPACE_AFTER_MM[self.block]
        self.block = None
        self.lines = []

    def _open_block(self, kind: str) -> None:
        self._close_block()
        self.block = kind
        self.lines = [0]

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in ("ul", "ol"):
            self.parts += 1
        if tag == "p" or tag == "li":
            self._open_block(tag)
        elif tag in HEADINGS:
            self._open_block("heading")
        elif tag in ("ul", "ol"):
            self._close_block()
            self.depth += 1
        elif tag == "br":
            if self.block is None:
                self._open_block("p")
            self.lines.append(0)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "li") or tag in HEADINGS:
            self._close_block()
        elif tag in ("ul", "ol"):
            self._close_block()
            self.depth = max(self.depth - 1, 0)
            self.height += SPACE_AFTER_MM["list"]

    def close(self) -> None:
        super().close()
        self._close_block()

    def handle_data(self, data: str) -> None:
        text = data.strip("\n")
        if not text:
            return
        if self.block is None:
            self._open_block("p")
        self.lines[-1] += len(text)


def measure(body_html: str) -> Length:
    """The size of a letter with this body (its HTML, filled in), without laying it out."""
    reader = _Measure()
    reader.feed(body_html)
    reader.close()
    height = FIRST_PAGE_HEADER_MM + reader.height
    return Length(pages=max(1, math.ceil(height / PAGE_HEIGHT_MM)), parts=reader.parts)
