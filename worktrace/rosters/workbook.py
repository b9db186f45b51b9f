"""Writing roster workbooks: the blank template and exports share one writer, so they always match the reader.

Written with openpyxl in write-only mode (lxml installed: ~25% faster, MEASURED.md). Text that a spreadsheet
would take for a formula (= + - @ at the start) is written as text behind an apostrophe, which the reader
strips again, so an export can neither run a formula on the reader's machine nor change on re-import.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from worktrace.rosters.columns import (
    BUS_COLUMNS,
    COMPANY_FIELDS,
    CORESIDENT_COLUMNS,
    SHEET_BUSES,
    SHEET_COMPANY,
    SHEET_CORESIDENTS,
    SHEET_GUIDE,
    SHEET_LISTS,
    SHEET_WORKERS,
    WORKER_COLUMNS,
    Column,
)
from worktrace.spreadsheets import safe_cell

SEXES = ["Nam", "Nữ"]
SHIFTS = ["Ca 1", "Ca 2", "Ca 3", "Hành chính"]
RESULTS = ["Âm tính", "Dương tính"]
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
MAX_ROWS_VALIDATED = 200_000

GUIDE = [
    "HƯỚNG DẪN ĐIỀN DANH SÁCH NGƯỜI LAO ĐỘNG",
    "",
    "1. Trang “Doanh nghiệp”: điền tên, mã số thuế (10 chữ số, chi nhánh 10-3 chữ số), khu/cụm công nghiệp "
    "(chọn trong danh sách; để trống nếu ngoài khu, cụm), địa chỉ và người đầu mối.",
    "2. Trang “Người lao động”: mỗi người một dòng. Cột có dấu * là bắt buộc. Không đổi tên cột; "
    "có thể thêm cột khác (sẽ được bỏ qua).",
    "3. Dòng “Ví dụ” là mẫu: để nguyên hoặc xóa đi, hệ thống không nhập dòng này.",
    "4. Ngày ghi theo dd/mm/yyyy (ví dụ 03/06/2021). Ngày sinh chỉ biết năm thì ghi năm (1998).",
    "5. Số CCCD gồm 12 chữ số (CMND cũ 9 chữ số). Nên định dạng cột là Văn bản (Text) để giữ số 0 ở đầu.",
    "6. Số điện thoại 10 chữ số bắt đầu bằng 0; chấp nhận +84, dấu cách, dấu chấm. Số 11 số cũ sẽ được đổi.",
    "7. Nơi ở: ghi mã nhà trọ (nếu có trong danh sách nhà trọ của tỉnh) hoặc tên và địa chỉ nhà trọ, và số phòng.",
    "8. Xe đưa đón: ghi biển số xe có trong trang “Xe đưa đón”; đi xe riêng thì ghi “Tự túc” hoặc để trống.",
    "9. Trang “Người ở cùng”: người ở cùng phòng nhưng không phải người lao động của doanh nghiệp.",
    "10. Không dùng công thức: hãy dán giá trị. Không đặt mật khẩu cho tệp.",
    "11. Người lao động không còn trong danh sách sẽ được ghi nhận là đã nghỉ việc (không bị xóa khỏi sổ).",
    "12. Tải lên lại cùng một tệp không làm thay đổi gì. Dòng có lỗi được bỏ qua và liệt kê trong báo cáo lỗi.",
]

EXAMPLE = {
    "row_no": "Ví dụ",
    "worker_code": "CN00001",
    "full_name": "Nguyễn Thị Hương",
    "birth": dt.date(1998, 6, 3),
    "sex": "Nữ",
    "national_id": "024198001234",
    "phone": "0912345678",
    "home_province": "Bắc Ninh",
    "permanent_address": "Thôn Núi Hiểu, xã Quang Châu",
    "lodging_code": "NT00012",
    "lodging": "Nhà trọ Bà Tư, thôn Núi Hiểu",
    "room": "Phòng 3",
    "workshop": "Phân xưởng May 1",
    "team": "Tổ 2",
    "shift": "Ca 1",
    "bus": "98B-123.45",
    "doses": 2,
    "last_dose_on": dt.date(2021, 5, 20),
    "vaccine_name": "AstraZeneca",
    "last_test_on": dt.date(2021, 6, 1),
    "test_result": "Âm tính",
    "start_date": dt.date(2020, 3, 2),
}


class RosterWriter:
    def __init__(self, *, zones: list[str], extra_worker_columns: tuple[str, ...] = ()) -> None:
        self.book = Workbook(write_only=True)
        self.zones = zones
        self.extra = extra_worker_columns
        self._date_cells: list = []

    def _cell(self, sheet, value, **style):
        cell = WriteOnlyCell(sheet, value=safe_cell(value))
        if isinstance(value, str):
            cell.data_type = "s"
        elif isinstance(value, dt.date):
            cell.number_format = "DD/MM/YYYY"
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def _header(self, sheet, columns: tuple[Column, ...], extra: tuple[str, ...] = ()) -> None:
        bold = Font(bold=True)
        wrap = Alignment(wrap_text=True, vertical="center")
        for index, column in enumerate(columns):
            letter = _letter(index)
            sheet.column_dimensions[letter].width = column.width
        cells = [
            self._cell(sheet, c.header, font=bold, alignment=wrap, fill=REQUIRED_FILL if c.required else HEADER_FILL)
            for c in columns
        ]
        cells += [self._cell(sheet, label, font=bold, alignment=wrap, fill=HEADER_FILL) for label in extra]
        sheet.append(cells)

    def guide(self) -> None:
        sheet = self.book.create_sheet(SHEET_GUIDE)
        sheet.column_dimensions["A"].width = 120
        for number, line in enumerate(GUIDE):
            sheet.append([self._cell(sheet, line, font=Font(bold=number == 0, size=14 if number == 0 else 11))])
        sheet.append([])
        sheet.append([self._cell(sheet, "Cột của trang “Người lao động”", font=Font(bold=True))])
        for column in WORKER_COLUMNS:
            sheet.append([self._cell(sheet, column.header)])

    def company(self, info: dict[str, str]) -> None:
        sheet = self.book.create_sheet(SHEET_COMPANY)
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 50
        zone_list = DataValidation(type="list", formula1=f"='{SHEET_LISTS}'!$A$2:$A${len(self.zones) + 1}")
        sheet.data_validations.append(zone_list)
        for number, field in enumerate(COMPANY_FIELDS, start=1):
            label = self._cell(sheet, field.header, font=Font(bold=True))
            sheet.append([label, self._cell(sheet, info.get(field.key, ""))])
            if field.key == "zone":
                zone_list.add(f"B{number}")

    def workers(self, rows: Iterable[list], *, example: bool = False) -> None:
        sheet = self.book.create_sheet(SHEET_WORKERS)
        sheet.freeze_panes = "C2"
        self._header(sheet, WORKER_COLUMNS, self.extra)
        keys = [c.key for c in WORKER_COLUMNS]
        for key, values in (("sex", SEXES), ("shift", SHIFTS), ("test_result", RESULTS)):
            letter = _letter(keys.index(key))
            rule = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
            rule.add(f"{letter}2:{letter}{MAX_ROWS_VALIDATED}")
            sheet.data_validations.append(rule)
        if example:
            grey = Font(italic=True, color="808080")
            sheet.append([self._cell(sheet, EXAMPLE.get(k, ""), font=grey) for k in keys])
        for row in rows:
            sheet.append([self._cell(sheet, v) if v not in (None, "") else None for v in row])

    def buses(self, rows: Iterable[list]) -> None:
        sheet = self.book.create_sheet(SHEET_BUSES)
        self._header(sheet, BUS_COLUMNS)
        for row in rows:
            sheet.append([self._cell(sheet, v) if v not in (None, "") else None for v in row])

    def coresidents(self, rows: Iterable[list]) -> None:
        sheet = self.book.create_sheet(SHEET_CORESIDENTS)
        self._header(sheet, CORESIDENT_COLUMNS)
        for row in rows:
            sheet.append([self._cell(sheet, v) if v not in (None, "") else None for v in row])

    def lists(self) -> None:
        sheet = self.book.create_sheet(SHEET_LISTS)
        titles = ("Khu/Cụm công nghiệp", "Giới tính", "Ca làm việc", "Kết quả xét nghiệm")
        sheet.append([self._cell(sheet, title) for title in titles])
        columns = [self.zones, SEXES, SHIFTS, RESULTS]
        for index in range(max(len(c) for c in columns)):
            sheet.append([self._cell(sheet, c[index]) if index < len(c) else None for c in columns])

    def save(self, target: IO[bytes] | str) -> None:
        self.book.save(target)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def write_template(target: IO[bytes] | str, *, zones: list[str]) -> None:
    """The blank workbook: guide, company sheet, workers sheet with one example row, buses, co-residents, lists."""
    writer = RosterWriter(zones=zones)
    writer.guide()
    writer.company({})
    writer.workers([], example=True)
    writer.buses([])
    writer.coresidents([])
    writer.lists()
    writer.save(target)
