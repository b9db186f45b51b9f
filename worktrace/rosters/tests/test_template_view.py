"""The blank template: the same file from the web and the command; the reader understands it."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from worktrace.rosters import messages as m
from worktrace.rosters.services import roster_import


def test_it_downloads_the_template_with_lists_and_an_example(client, world):
    client.force_login(world.focal_a)
    response = client.get(reverse("roster_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Hướng dẫn", "Doanh nghiệp", "Người lao động", "Xe đưa đón", "Người ở cùng", "Danh mục"]
    workers = book["Người lao động"]
    assert workers["B1"].value == "Mã công nhân *" and workers["A2"].value == "Ví dụ"
    formulas = {dv.formula1 for dv in workers.data_validations.dataValidation}
    assert '"Nam,Nữ"' in formulas and '"Âm tính,Dương tính"' in formulas
    zones = [c.value for c in book["Danh mục"]["A"][1:] if c.value]
    assert "KCN Vân Trung" in zones


def test_it_writes_the_same_template_from_the_command(world, tmp_path):
    path = tmp_path / "mau.xlsx"
    call_command("template", str(path), verbosity=0)
    assert load_workbook(path)["Người lao động"]["C1"].value == "Họ và tên *"


def test_it_skips_the_example_row_on_import(client, world):
    client.force_login(world.focal_a)
    outcome = roster_import(data=client.get(reverse("roster_template")).content, filename="mau.xlsx")
    assert not outcome.applied
    assert outcome.errors[0]["message"] == str(m.E_NO_COMPANY)
