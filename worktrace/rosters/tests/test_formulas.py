"""Formulas: refused in every format however they are written, and never written live into a report we produce."""

from __future__ import annotations

import io
import re
import zipfile

import xlwt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from worktrace.registry.models import Person
from worktrace.rosters import messages as m
from worktrace.rosters.models import ImportRun
from worktrace.rosters.services import roster_import

HEADERS = ["Mã công nhân *", "Họ và tên *", "Ngày sinh *", "Số CCCD/CMND *", "Phân xưởng/Bộ phận *"]
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _xlsx_with_formula() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Người lao động"
    sheet.append(HEADERS)
    sheet.append(["X1", "Vũ Thị Giang", '=HYPERLINK("http://x","y")', "024302008888", "May"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite_sheet(data: bytes, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, change(content) if info.filename.startswith("xl/worksheets/") else content)
    return out.getvalue()


def _refused_at(data: bytes, sheet: str, row: int, column: str) -> None:
    outcome = roster_import(data=data, filename="ds.xlsx")
    assert not outcome.applied and not Person.objects.filter(national_id="024302008888").exists()
    first = outcome.errors[0]
    assert first["message"] == str(m.E_FORMULA)
    assert (first["sheet"], first["row"], first["column"]) == (sheet, row, column)


def test_it_refuses_a_formula_with_single_quoted_attributes(world):
    def single_quotes(content: bytes) -> bytes:
        return re.sub(rb'(\w+)="([^"]*)"', rb"\1='\2'", content)

    data = _rewrite_sheet(_xlsx_with_formula(), single_quotes)
    _refused_at(data, "Người lao động", 2, "C")


def test_it_refuses_a_formula_under_a_namespace_prefix(world):
    def prefixed(content: bytes) -> bytes:
        content = content.replace(b'xmlns="' + MAIN + b'"', b'xmlns:x="' + MAIN + b'"')
        return re.sub(rb"<(/?)([A-Za-z]+)([ />])", rb"<\1x:\2\3", content)

    _refused_at(_rewrite_sheet(_xlsx_with_formula(), prefixed), "Người lao động", 2, "C")


def test_it_refuses_a_formula_in_an_xls(world):
    book = xlwt.Workbook()
    book.add_sheet("Hướng dẫn").write(0, 0, "x")
    sheet = book.add_sheet("Người lao động")
    for col, value in enumerate(HEADERS):
        sheet.write(0, col, value)
    for col, value in enumerate(["X1", "Vũ Thị Giang", "04/03/2001", "024302008888"]):
        sheet.write(1, col, value)
    sheet.write(1, 4, xlwt.Formula('CONCATENATE("Ma";"y")'))
    out = io.BytesIO()
    book.save(out)
    _refused_at(out.getvalue(), "Người lao động", 2, "E")


def test_it_refuses_a_formula_in_an_ods_whatever_the_prefix(world):
    cells = "".join(f'<t:table-cell o:value-type="string"><p:p>{h}</p:p></t:table-cell>' for h in HEADERS)
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<o:document-content xmlns:o="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:p="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><o:body><o:spreadsheet>'
        "<t:table t:name='Người lao động'>"
        f"<t:table-row>{cells}</t:table-row>"
        "<t:table-row t:number-rows-repeated='2'><t:table-cell/></t:table-row>"
        '<t:table-row><t:table-cell t:number-columns-repeated="3"/>'
        "<t:table-cell t:formula='of:=HYPERLINK(\"http://x\")' o:value-type='string'><p:p>y</p:p></t:table-cell>"
        "</t:table-row></t:table></o:spreadsheet></o:body></o:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    _refused_at(out.getvalue(), "Người lao động", 4, "D")


def test_it_writes_sheet_names_and_headers_of_an_upload_as_text_in_the_report(client, world):
    book = Workbook()
    sheet = book.active
    sheet.title = "=1+1"  # not the contract's name: found as the first sheet with a header row
    sheet.append(["Mã công nhân *", "=Họ và tên *", "Ngày sinh *", "Số CCCD/CMND *", "Phân xưởng/Bộ phận *"])
    sheet.append(["X1", "", "04/03/2001", "024302008888", "May"])
    sheet["B1"].data_type = "s"  # a header cell as text that starts with "=", as a spreadsheet can hold it
    out = io.BytesIO()
    book.save(out)
    client.force_login(world.focal_a)
    upload = SimpleUploadedFile("ds.xlsx", out.getvalue())
    client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": upload})
    run = ImportRun.objects.latest("id")
    response = client.get(reverse("roster_report", args=[run.pk]))
    assert response.status_code == 200
    listing = load_workbook(io.BytesIO(response.content))["Lỗi"]
    cells = [cell for row in listing.iter_rows(min_row=2) for cell in row]
    assert cells and all(cell.data_type != "f" for cell in cells)
    values = [cell.value for cell in cells]
    assert "'=1+1" in values and "'=Họ và tên *" in values
