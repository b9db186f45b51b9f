"""The "done when" of issue #3: a real-looking messy workbook imports with every bad row explained."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from xml.sax.saxutils import escape

from openpyxl import Workbook

from worktrace.registry.models import Employment, Person
from worktrace.rosters.services import roster_import


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def messy_xlsx() -> bytes:
    book = Workbook()
    company = book.active
    company.title = "doanh nghiep"  # sheet names are matched loosely too
    company.append(["TÊN DOANH NGHIỆP", "Công ty May An Phát"])
    company.append(["Mã số thuế *", 2400000101])
    sheet = book.create_sheet("NGƯỜI LAO ĐỘNG")
    sheet.append(["SỞ Y TẾ TỈNH BẮC NINH"])
    sheet.append(["DANH SÁCH NGƯỜI LAO ĐỘNG THÁNG 6/2021"])
    sheet.merge_cells("A1:F1")
    sheet.merge_cells("A2:F2")
    sheet.append([])
    sheet.append(["stt", "MÃ CN", "Họ và\ntên", "Ngày  sinh", "Số CCCD", "SĐT", "Phân xưởng", "Tổ", "Ghi chú riêng"])
    sheet.append(
        [
            1,
            "A001",
            nfd("Nguyễn  Thị Ánh"),
            dt.datetime(2001, 3, 4),
            24301001111,
            "+84 912.000.111",
            "Phân xưởng May",
            "Tổ 1",
            "x",
        ]
    )
    sheet.append([2, "A002", nfd("Đỗ Văn Em"), "4/3/98", "24095007777", "912000777", "PX Cắt", "Tổ 2", ""])
    sheet.append([3, "A003", "Vũ Thị Giang", "1999", "024199008888", "0912 000 888", "PX Cắt", "", ""])
    sheet.append([4, "A004", "Lý Văn Hòa", "2001-13-40", "024092009999", "", "PX Cắt", "", ""])
    sheet.append([5, "A005", "Trịnh Văn Kiên", "05-06-1990", "0240900", "", "PX Cắt", "", ""])
    sheet.append([])
    sheet.append(["Người lập biểu"])  # a signature line after the table: an incomplete row, reported
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()  # fmt: skip


def test_it_imports_a_messy_workbook_and_explains_every_bad_row(world):
    outcome = roster_import(data=messy_xlsx(), filename="messy.xlsx")
    assert outcome.applied
    # A001 is Ann, whose room and bus this file leaves out: a move; A002 and A003 are new
    assert (outcome.created, outcome.moved, outcome.ended, outcome.invalid) == (2, 1, 0, 3)
    bad_rows = {e["row"] for e in outcome.errors}
    assert bad_rows == {8, 9, 11}  # the sheet's own row numbers
    assert {e["column"] for e in outcome.errors if e["row"] == 8} == {"Ngày sinh"}
    em = Person.objects.get(national_id="024095007777")
    assert em.full_name == "Đỗ Văn Em" and em.birth_date == dt.date(1998, 3, 4) and em.phone == "0912000777"
    assert Person.objects.get(national_id="024199008888").birth_year == 1999
    assert Employment.objects.get(worker_code="A001").end_date is None
    again = roster_import(data=messy_xlsx(), filename="messy.xlsx")
    assert (again.created, again.ended, again.moved, again.unchanged) == (0, 0, 0, 3)


def ods(rows: list[list[str]], *, sheet: str = "Người lao động") -> bytes:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes it (text cells only)."""
    body = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'
            for v in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return stream.getvalue()


def test_it_reads_an_ods_workbook(world):
    data = ods(
        [
            ["Mã công nhân *", "Họ và tên *", "Ngày sinh *", "Số CCCD/CMND *", "Phân xưởng/Bộ phận *", "Tổ/Nhóm"],
            ["B001", "Trần Văn Bình", "06/05/1999", "024099002222", "Phân xưởng May", "Tổ 1"],
        ]
    )
    outcome = roster_import(data=data, filename="b.ods", tax_code="2400000102")
    assert outcome.applied and outcome.unchanged == 1, outcome.errors


def test_it_reads_an_xls_workbook_with_numeric_ids_and_date_cells(world):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Người lao động")
    dates = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    headers = ["Mã công nhân *", "Họ và tên *", "Ngày sinh *", "Số CCCD/CMND *", "Phân xưởng/Bộ phận *", "Tổ/Nhóm"]
    for col, header in enumerate(headers):
        sheet.write(2, col, header)  # under two empty title rows
    values = ["B001", "Trần Văn Bình", dt.date(1999, 5, 6), 24099002222, "Phân xưởng May", "Tổ 1"]
    for col, value in enumerate(values):
        sheet.write(3, col, value, dates) if isinstance(value, dt.date) else sheet.write(3, col, value)
    stream = io.BytesIO()
    book.save(stream)
    outcome = roster_import(data=stream.getvalue(), filename="b.xls", tax_code="2400000102")
    assert outcome.applied and outcome.unchanged == 1, outcome.errors
