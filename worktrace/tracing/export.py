"""The trace result and each company's call list as .xlsx workbooks.

The trace: a summary sheet, then one sheet per company with one row per person (reasons joined), phone and
address for roles that see identifiers (masked, or left out for the address, otherwise). A call list: the one
company's people, F1 first, with phone, workshop/team, level and the reason naming nobody (results.ReasonLine.brief).
Each sheet has its header frozen, filters on and column widths set; every text cell goes through ``safe_cell``
so that no formula runs on the reader's machine.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from worktrace.accounts.masking import Masker
from worktrace.spreadsheets import safe_cell
from worktrace.tracing.results import Row, Summary, call_list, result_rows, result_summary

BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
# Characters Excel refuses in a sheet name; names are at most 31 characters.
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, taken: set[str]) -> str:
    base = _SHEET_NAME_BAD.sub(" ", name).strip().strip("'")[:31] or "-"
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def _table(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence[object]], widths: Sequence[int]) -> None:
    """A header row (bold, frozen, with filters) over the rows; widths in characters."""
    sheet.append([safe_cell(h) for h in header])
    for cell in sheet[1]:
        cell.font = BOLD
    count = 1
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
        count += 1
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count}"
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def _person_header() -> list[str]:
    return [
        _("Phân loại"),
        _("Họ và tên"),
        _("Số CCCD/CMND"),
        _("Số điện thoại"),
        _("Mã công nhân"),
        _("Phân xưởng"),
        _("Tổ"),
        _("Địa chỉ thường trú"),
        _("Lý do"),
    ]


def _person_row(row: Row, masker: Masker) -> list[object]:
    contact = row.contact
    return [
        contact["label"],
        contact["name"],
        masker.national_id(contact["national_id"]),
        masker.phone(contact.get("phone")),
        row.worker_code,
        row.workshop,
        row.team,
        # An address cannot be shown in part: a role that sees identifiers masked gets none.
        contact.get("address", "") if masker.reveal else "",
        row.reasons_text(),
    ]


def _summary_sheet(sheet: Worksheet, document: dict, summary: Summary) -> None:
    """Who, when and how many first; then the companies with their counts per level (filters on)."""
    index, window = document["index"], document["window"]
    facts: list[tuple[str, object]] = [
        (_("F0"), index["name"]),
        (_("Khoảng phơi nhiễm"), f"{window['from_dt']:%d/%m/%Y %H:%M} – {window['to_dt']:%d/%m/%Y %H:%M}"),
        (_("Tổng số người"), summary.total),
        *summary.levels,
        *((_("Qua quan hệ: %(kind)s") % {"kind": kind}, n) for kind, n in summary.kinds),
    ]
    if document.get("cut_message"):
        facts.append((_("Lưu ý"), document["cut_message"]))
    for label, value in facts:
        sheet.append([safe_cell(label), safe_cell(value)])
    sheet.append([])
    labels = summary.labels
    sheet.append([safe_cell(v) for v in (_("Doanh nghiệp"), _("Mã số thuế"), *labels, _("Tổng"))])
    header = sheet.max_row
    for cell in sheet[header]:
        cell.font = BOLD
    for company in summary.companies:
        counts = [company.count(label) for label in labels]
        sheet.append([safe_cell(company.name), safe_cell(company.tax_code), *counts, company.total])
    sheet.auto_filter.ref = f"A{header}:{get_column_letter(len(labels) + 3)}{sheet.max_row}"
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 36


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def trace_workbook(document: dict, *, masker: Masker) -> bytes:
    """The whole result: a summary sheet, then a sheet per company, one row per person.

    ``document`` is a kept document made ready by ``results.result_display``.
    """
    summary = result_summary(document)
    rows = result_rows(document, summary)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Tóm tắt")
    _summary_sheet(sheet, document, summary)
    taken = {sheet.title.casefold()}
    for company in summary.companies:
        sheet = book.create_sheet(_sheet_title(company.name, taken))
        people = call_list(rows, company.tax_code)
        _table(sheet, _person_header(), (_person_row(r, masker) for r in people), (9, 26, 15, 13, 12, 20, 12, 36, 80))
        for row in sheet.iter_rows(min_row=2, min_col=9, max_col=9):
            row[0].alignment = WRAP
    return _save(book)


def calls_workbook(rows: list[Row], *, masker: Masker) -> bytes:
    """One company's call list (``results.call_list``): what goes to that company, naming no one else."""
    book = Workbook()
    sheet = book.active
    sheet.title = _sheet_title(rows[0].company.name if rows else _("Danh sách gọi"), set())
    header = [_("Phân loại"), _("Họ và tên"), _("Số điện thoại"), _("Mã công nhân")]
    header += [_("Phân xưởng"), _("Tổ"), _("Lý do")]
    values = (
        [
            r.contact["label"],
            r.contact["name"],
            masker.phone(r.contact.get("phone")),
            r.worker_code,
            r.workshop,
            r.team,
            r.reasons_text(brief=True),
        ]
        for r in rows
    )
    _table(sheet, header, values, (9, 26, 13, 12, 20, 12, 70))
    return _save(book)
