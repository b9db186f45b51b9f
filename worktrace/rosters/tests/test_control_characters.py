"""Control characters and bidi controls: cleaned at the input, and never a failed export for text already stored."""

from __future__ import annotations

import io
import zipfile

import xlwt
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from worktrace.registry.models import Group, GroupKind, Person
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes, worker
from worktrace.spreadsheets import safe_cell
from worktrace.text import clean

COMPANY_A = {"name": "Công ty May An Phát", "tax_code": "2400000101"}
# NUL, BEL, escape, a C1 control, right-to-left override and a bidi isolate, as an upload or a database may hold.
DIRTY = "Nguyễn\x00 Thị\x07 \x1bÁnh\x85\u202e\u2067"


def _xlsx_with_controls(rows: list[dict]) -> bytes:
    """openpyxl refuses to write control characters; Excel stores them as _xHHHH_ escapes, as done here."""
    data = roster_bytes(rows, company=COMPANY_A)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename).replace(b"QQNULQQ", b"_x0000_").replace(b"QQBELQQ", b"_x0007_")
            target.writestr(info, content)
    return out.getvalue()


def test_it_cleans_control_characters_of_an_upload(world):
    rows = [worker("A001", "Nguyễn QQNULQQThị QQBELQQÁnh\u202e", "024301009876", team="Tổ\u2066 1QQNULQQ",
                   vaccine_name="Pfizer\u202eQQBELQQ")]  # fmt: skip
    outcome = roster_import(data=_xlsx_with_controls(rows), filename="ds.xlsx")
    assert outcome.applied and not outcome.errors and not outcome.warnings, (outcome.errors, outcome.warnings)
    assert Person.objects.get(national_id="024301009876").full_name == "Nguyễn Thị Ánh"
    assert Person.objects.get(national_id="024301009876").vaccine_name == "Pfizer"
    assert Group.objects.filter(kind=GroupKind.TEAM, name="Tổ 1").exists()
    assert all(name.isprintable() for name in Group.objects.values_list("name", flat=True))


def test_it_cleans_control_characters_of_an_xls_upload(world):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Người lao động")
    headers = ["Mã công nhân *", "Họ và tên *", "Ngày sinh *", "Số CCCD/CMND *", "Phân xưởng/Bộ phận *"]
    for col, value in enumerate(headers):
        sheet.write(0, col, value)
    for col, value in enumerate(["A001", DIRTY, "04/03/2001", "024301009876", "May\x00"]):
        sheet.write(1, col, value)
    out = io.BytesIO()
    book.save(out)
    outcome = roster_import(data=out.getvalue(), filename="ds.xls", company=world.company_a)
    assert outcome.applied and not outcome.warnings, (outcome.errors, outcome.warnings)
    assert Person.objects.get(national_id="024301009876").full_name == "Nguyễn Thị Ánh"


def test_it_keeps_one_rule_for_every_text():
    assert clean(DIRTY) == "Nguyễn Thị Ánh"
    assert clean("a\tb\nc") == "a b c"
    assert safe_cell("=1+1\x00") == "'=1+1"
    assert safe_cell("\x00=cmd") == "'=cmd"
    assert safe_cell("dòng 1\ndòng 2") == "dòng 1\ndòng 2"  # line breaks are allowed in a cell


def _store_dirty_text(world) -> None:
    # Text stored before the input rule existed, written straight to the database (PostgreSQL refuses NUL itself).
    nul = "" if connection.vendor == "postgresql" else "\x00"
    dirty, address = DIRTY.replace("\x00", nul), f"x{nul}\x08y"
    Person.objects.filter(pk__in=[world.ann.pk, world.chau.pk]).update(full_name=dirty, permanent_address=address)
    Group.objects.filter(kind=GroupKind.WORKSHOP).update(name="Phân xưởng\x07 May\u202e")


def _export(client, **data) -> list:
    response = client.post(reverse("roster_export"), {"purpose": "Rà soát danh sách", **data})
    assert response.status_code == 200, response.content[:300]
    sheet = load_workbook(io.BytesIO(response.content))["Người lao động"]
    return [cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row]


def test_a_company_export_never_fails_on_stored_text(client, world):
    _store_dirty_text(world)
    client.force_login(world.focal_a)
    assert "Nguyễn Thị Ánh" in _export(client, scope="company", company=world.company_a.pk)


def test_a_province_export_never_fails_on_stored_text(client, world):
    _store_dirty_text(world)
    client.force_login(world.admin)
    cells = _export(client, scope="province")
    assert "Nguyễn Thị Ánh" in cells and "xy" in cells


def test_a_trace_export_never_fails_on_stored_text(client, world):
    _store_dirty_text(world)
    client.force_login(world.health)
    params = {
        "reference": timezone.localdate().strftime("%d/%m/%Y"),
        "lookback": 2,
        "depth": 2,
        "close": ["team", "room", "vehicle", "trip", "location", "household"],
        "purpose": "Điều tra ca F0",
    }
    page = client.post(reverse("trace", args=[world.ann.pk]), params, follow=True)
    assert page.status_code == 200
    response = client.get(reverse("trace_export", args=[world.ann.pk]), {"ket_qua": page.context["record"].key})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert "Nguyễn Thị Ánh" in [cell for row in sheet.iter_rows(values_only=True) for cell in row]
