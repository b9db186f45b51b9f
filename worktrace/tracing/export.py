"""The trace result as an .xlsx workbook (openpyxl, write-only), safe to open in Excel.

A cell that starts with = + - @ or a control character would be run as a formula by Excel (CSV/formula
injection): such values get a leading apostrophe so they stay text.
"""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from worktrace.registry.models import GroupKind
from worktrace.spreadsheets import safe_cell
from worktrace.tracing.params import level_label


def _when(value: str) -> str:
    return dt.datetime.fromisoformat(value).strftime("%d/%m/%Y %H:%M")


def trace_workbook(document: dict) -> bytes:
    """One row per reason; the document must carry ids (``trace_document(..., with_ids=True)``)."""
    names = {document["index"]["id"]: document["index"]["name"]} | {c["id"]: c["name"] for c in document["contacts"]}
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Truy vết"))
    index, window = document["index"], document["window"]
    sheet.append([safe_cell(_("F0")), safe_cell(index["name"]), safe_cell(index["national_id"] or "")])
    sheet.append([safe_cell(v) for v in (_("Khoảng phơi nhiễm"), _when(window["from"]), _when(window["to"]))])
    sheet.append([])
    sheet.append(
        [
            safe_cell(v)
            for v in (
                _("Phân loại"),
                _("Họ và tên"),
                _("Số CCCD/CMND"),
                _("Doanh nghiệp"),
                _("Phân xưởng"),
                _("Tổ"),
                _("Quan hệ"),
                _("Nhóm"),
                _("Qua người"),
                _("Từ"),
                _("Đến"),
            )
        ]
    )
    for contact in document["contacts"]:
        level = level_label(contact["level"], contact["close"])
        companies = ", ".join(name for _tax, name in contact.get("companies") or [])
        for relation in contact["relations"]:
            sheet.append(
                [
                    safe_cell(v)
                    for v in (
                        level,
                        contact["name"],
                        contact["national_id"] or "",
                        companies,
                        contact.get("workshop") or "",
                        contact.get("team") or "",
                        str(GroupKind(relation["kind"]).label),
                        relation["group"],
                        names.get(relation["via_id"], ""),
                        _when(relation["from"]),
                        _when(relation["to"]),
                    )
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
