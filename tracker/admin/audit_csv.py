"""CSV downloads that open cleanly in Excel and cannot smuggle in a formula."""

import csv
import io
from collections.abc import Iterable

from flask import Response

from tracker import spreadsheet


def neutralise(value) -> str:
    """A cell as text; one starting like a formula gets a leading apostrophe."""
    return "" if value is None else spreadsheet.neutralise(str(value))


def csv_download(filename: str, header: list[str], rows: Iterable[list]) -> Response:
    """UTF-8 with a byte order mark, RFC 4180 quoting, CRLF line ends."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return Response(
        buffer.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
