"""Excel downloads (.xlsx) for people, beside the CSV files for machines.

Rows are written one at a time in XlsxWriter's constant-memory mode: each row goes to a
temporary file as soon as it is written, and the finished workbook is a temporary file on disk
too, so a download of any length holds only one row in memory. Headers are the labels the pages
use, dates and times are real date cells in UK time, text is always a text cell (never a
formula), the header row is frozen and filtered, and columns have widths that fit their content.
"""

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import IO

import xlsxwriter
from flask import Response, send_file

from tracker import clock

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet could read as a formula gets a leading apostrophe, as in the CSV."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Column:
    """One column: its header, what its cells hold, and how wide it starts."""

    label: str
    kind: str = "text"  # text, number, date (a date), moment (a UTC datetime), month, yes_no
    width: float = 14
    show: Callable[[object], str] | None = None  # text: turns a stored code into its label


KINDS = ("text", "number", "date", "moment", "month", "yes_no")
FORMATS = {
    "header": {"bold": True, "text_wrap": True, "valign": "top", "bottom": 1},
    "date": {"num_format": "dd/mm/yyyy"},
    "moment": {"num_format": "dd/mm/yyyy hh:mm:ss"},
    "month": {"num_format": "mmm yyyy"},
    "text": {"num_format": "@"},
}


def write_workbook(
    target: IO[bytes], sheet: str, columns: list[Column], rows: Iterable[list]
) -> int:
    """Write the rows to an .xlsx in `target`; returns how many rows were written."""
    for column in columns:
        if column.kind not in KINDS:
            raise ValueError(f"unknown column kind {column.kind!r}")
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_date_format": "dd/mm/yyyy",
        },
    )
    formats = {name: book.add_format(spec) for name, spec in FORMATS.items()}
    book.set_properties({"title": sheet, "comments": "Times are UK time (GMT or BST)."})
    worksheet = book.add_worksheet(sheet[:31])
    for index, column in enumerate(columns):
        worksheet.set_column(index, index, column.width, formats.get(column.kind))
    worksheet.set_row(0, None, formats["header"])
    for index, column in enumerate(columns):
        worksheet.write_string(0, index, column.label, formats["header"])
    worksheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, (column, value) in enumerate(zip(columns, row, strict=True)):
            _write_cell(worksheet, count, index, column, value, formats)
    worksheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    book.close()
    return count


def _write_cell(worksheet, row: int, col: int, column: Column, value, formats) -> None:
    if value is None or value == "":
        return  # an empty cell: sorts and filters as blank
    kind = column.kind
    if kind == "number":
        worksheet.write_number(row, col, value)
    elif kind == "yes_no":
        worksheet.write_string(row, col, "Yes" if value else "No")
    elif kind == "moment":
        local = clock.to_london(value).replace(tzinfo=None)
        worksheet.write_datetime(row, col, local, formats["moment"])
    elif kind in ("date", "month"):
        day = value.date() if isinstance(value, datetime) else value
        worksheet.write_datetime(row, col, day, formats[kind])
    else:
        text = column.show(value) if column.show else str(value)
        worksheet.write_string(row, col, neutralise(text), formats["text"])


def xlsx_download(
    filename: str, sheet: str, columns: list[Column], rows: Iterable[list]
) -> Response:
    """The workbook as a download, built in a temporary file that goes when it has been sent."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it after the response
    write_workbook(spool, sheet, columns, rows)
    spool.seek(0)
    response = send_file(spool, mimetype=MIMETYPE, as_attachment=True, download_name=filename)
    response.headers["Cache-Control"] = "no-store"
    return response
