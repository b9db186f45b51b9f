"""The error report: the uploaded workbook with bad cells filled red and commented, plus a list of every problem.

When the upload was not an .xlsx (or is too large to load whole with openpyxl), a fresh workbook lists them.
Every text cell written, including sheet names and header texts copied from the upload into the "Lỗi" sheet,
goes through spreadsheets.safe_cell: the report is opened by health officers, never a formula on their machine.
"""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from worktrace.rosters.models import ImportRun
from worktrace.spreadsheets import safe_cell

BAD = PatternFill("solid", fgColor="FFC7CE")
MAX_MARKED_BYTES = 5 * 2**20  # openpyxl needs ~50× the file size in memory to load and re-save it


def error_report(run: ImportRun) -> bytes:
    result = run.result or {}
    book = None
    if run.file and run.filename.lower().endswith(".xlsx") and run.file.size <= MAX_MARKED_BYTES:
        try:
            with run.file.open("rb") as stream:
                book = load_workbook(io.BytesIO(stream.read()))
        except Exception:  # a file calamine could read but openpyxl cannot: fall back to the list alone
            book = None
        if book is not None:
            _no_formulas(book)
            for sheet_name, row, col, message in result.get("cells", []):
                if sheet_name in book.sheetnames and col is not None:
                    cell = book[sheet_name].cell(row=row, column=col + 1)
                    cell.fill = BAD
                    cell.comment = Comment(str(safe_cell(message)), "worktrace", width=300, height=80)
    if book is None:
        book = Workbook()
        book.remove(book.active)
    sheet = book.create_sheet("Lỗi", 0)
    sheet.append([safe_cell(title) for title in ("Loại", "Trang", "Dòng", "Cột", "Giá trị", "Nội dung")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for kind, problems in (("Lỗi", result.get("errors", [])), ("Cảnh báo", result.get("warnings", []))):
        for p in problems:
            cells = [kind, p["sheet"], p["row"] or None, p["column"], p["value"], p["message"]]
            sheet.append([safe_cell(cell) for cell in cells])
    for letter, width in zip("ABCDEF", (10, 18, 7, 22, 24, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _no_formulas(book: Workbook) -> None:
    """The upload is refused when it holds formulas (formulas.py); should one get this far, it stays text."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.value = safe_cell(str(getattr(cell.value, "text", None) or cell.value))
