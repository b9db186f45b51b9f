"""What every workbook the project writes shares: safe cells and the download response.

Every text cell of every workbook the product produces (roster template and exports, the error report and its
"Lỗi" sheet, the trace export) goes through ``safe_cell``, so that no formula runs on the reader's machine and
no stored text can make a download fail.
"""

from __future__ import annotations

from django.http import HttpResponse

from worktrace.text import printable

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell beginning with one of these is run as a formula by Excel or LibreOffice (CSV/DDE injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """Text as a spreadsheet must show it: control characters openpyxl would refuse (and bidi controls) dropped,
    text that would start a formula kept as text behind an apostrophe (the roster import strips it again).
    Other values are returned as they are."""
    if isinstance(value, str):
        value = printable(value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
