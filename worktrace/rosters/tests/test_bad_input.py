"""Bad input: a clear refusal naming what is wrong, and nothing changed (issue #3's list, one test each)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

from worktrace.registry.models import Employment, Membership, Person
from worktrace.rosters import messages as m
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes, worker

COMPANY_A = {"name": "Công ty May An Phát", "tax_code": "2400000101"}


def state():
    return (
        sorted(Employment.objects.values_list("id", "end_date")),
        sorted(Membership.objects.values_list("id", "end")),
        Person.objects.count(),
    )


def refused(data: bytes, message) -> dict:
    before = state()
    outcome = roster_import(data=data, filename="bad.xlsx")
    assert not outcome.applied
    assert state() == before
    assert outcome.errors, "a refusal must say why"
    first = outcome.errors[0]
    assert message is None or first["message"].startswith(str(message).split("%")[0])
    return first


def skipped(workers, message, **kwargs) -> list[dict]:
    """Bad rows are refused one by one, named by sheet, row and column; nothing else changes."""
    before = state()
    outcome = roster_import(data=roster_bytes(workers, company=COMPANY_A, **kwargs), filename="bad.xlsx")
    assert state() == before
    assert outcome.invalid == len(workers) and outcome.created == 0
    problems = [e for e in outcome.errors if e["message"].startswith(str(message).split("%")[0])]
    assert problems and all(p["sheet"] == "Người lao động" and p["row"] >= 2 for p in problems)
    return problems


def test_it_refuses_what_is_not_a_spreadsheet(world):
    refused(b"%PDF-1.7\n1 0 obj << >> endobj\n", m.E_NOT_SPREADSHEET)
    refused(b"STT,Ma cong nhan\n1,A001\n", m.E_NOT_SPREADSHEET)


def test_it_refuses_a_zip_that_is_not_a_workbook(world):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refused(stream.getvalue(), m.E_NOT_SPREADSHEET)


def test_it_refuses_an_encrypted_workbook(world):
    # Excel wraps a password-protected .xlsx in an OLE2 container whose streams are named like this.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "EncryptionInfo".encode("utf-16-le").ljust(128, b"\x00")
    directory += "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00")
    refused(header + directory + b"\x00" * 1024, m.E_ENCRYPTED)


def test_it_refuses_an_empty_file(world):
    refused(b"", m.E_EMPTY)
    refused(roster_bytes([], company=COMPANY_A), m.E_EMPTY)


def test_it_refuses_a_file_without_a_header_row(world):
    book = Workbook()
    sheet = book.active
    sheet.title = "Người lao động"
    for i in range(40):
        sheet.append([i, f"dòng {i}", 3.5])
    stream = io.BytesIO()
    book.save(stream)
    refused(stream.getvalue(), m.E_NO_HEADER)


def test_it_refuses_a_file_missing_a_required_column(world):
    columns = ["row_no", "worker_code", "full_name", "birth", "workshop"]
    data = roster_bytes([worker("A1", "An", "024301001111")], company=COMPANY_A, columns=columns)
    first = refused(data, m.E_MISSING_COLUMN)
    assert first["column"] == "Số CCCD/CMND" and first["row"] == 1


def test_it_refuses_duplicate_worker_codes(world):
    problems = skipped(
        [worker("X1", "Vũ Thị Giang", "024302008888"), worker("X1", "Lý Văn Hòa", "024092009999", sex="Nam")],
        m.E_DUPLICATE_CODE,
    )
    assert {p["row"] for p in problems} == {2, 3}


def test_it_refuses_one_citizen_id_with_two_people(world):
    skipped(
        [worker("X1", "Vũ Thị Giang", "024302008888"), worker("X2", "Vũ Thị Giang", "024302008888", birth="1990")],
        m.E_ID_CONFLICT,
    )


def test_it_refuses_an_unknown_bus_plate(world):
    problems = skipped([worker("X1", "Vũ Thị Giang", "024302008888", bus="98B-999.99")], m.E_UNKNOWN_PLATE)
    assert problems[0]["value"] == "98B-999.99"


def test_it_refuses_dates_in_the_future(world):
    problems = skipped([worker("X1", "Vũ Thị Giang", "024302008888", start_date="01/01/2099")], m.E_FUTURE_DATE)
    assert problems[0]["column"] == "Ngày vào làm"


def test_it_refuses_a_file_over_the_size_limit(world, settings):
    settings.ROSTER_MAX_UPLOAD_MB = 0.01
    data = roster_bytes([worker(f"X{i}", "Vũ Thị Giang", f"0243020{i:05d}") for i in range(300)], company=COMPANY_A)
    assert len(data) > 0.01 * 2**20
    refused(data, m.E_TOO_LARGE)


def test_it_refuses_a_zip_bomb(world):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 2**20))
    assert len(stream.getvalue()) < 2**20
    refused(stream.getvalue(), m.E_ZIP_BOMB)


def test_it_refuses_formulas_and_names_the_cell(world):
    book = Workbook()
    sheet = book.active
    sheet.title = "Người lao động"
    sheet.append(["Mã công nhân *", "Họ và tên *", "Ngày sinh *", "Số CCCD/CMND *", "Phân xưởng/Bộ phận *"])
    sheet.append(["X1", '=CONCATENATE("Vũ"," Giang")', "04/03/2001", "024302008888", "May"])
    stream = io.BytesIO()
    book.save(stream)
    first = refused(stream.getvalue(), m.E_FORMULA)
    assert (first["sheet"], first["row"], first["column"]) == ("Người lao động", 2, "B")
