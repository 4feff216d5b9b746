"""PDFs made from the tracker's own HTML with WeasyPrint: letters, subject access records and
the clinical safety case report. Nothing is fetched while a PDF is made: every style and
image is in the HTML itself."""

from weasyprint import HTML
from weasyprint.document import Document


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"a PDF is made from its own HTML alone and fetches nothing ({url[:40]})")


def laid_out(html: str) -> Document:
    """The HTML laid out in pages, before it is written (to count its pages first)."""
    return HTML(string=html, url_fetcher=_no_fetching).render()


def pdf_of_html(html: str) -> bytes:
    """The HTML as a PDF."""
    return laid_out(html).write_pdf()
