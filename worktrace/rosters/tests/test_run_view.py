"""The result page and the error report: counts, changes, and the uploaded file with bad cells marked."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from worktrace.audit.models import Action, AuditEntry
from worktrace.rosters import messages as m
from worktrace.rosters.models import ImportRun
from worktrace.rosters.testing import roster_bytes, worker


def upload(client, world, rows, *, apply: bool = False, **kwargs) -> ImportRun:
    """A web upload (previewed); ``apply``: then confirmed, as the second step of the page."""
    client.force_login(world.focal_a)
    data = SimpleUploadedFile("ds.xlsx", roster_bytes(rows, **kwargs))
    client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": data})
    run = ImportRun.objects.latest("id")
    if apply:
        client.post(reverse("roster_apply", args=[run.pk]), {"confirm_large_leave": "1"})
        run.refresh_from_db()
    return run


def test_it_marks_bad_cells_in_the_uploaded_file(client, world):
    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111"), worker("A002", "Đỗ Văn Em", "12345")]
    run = upload(client, world, rows, title_rows=2)
    page = client.get(reverse("roster_run", args=[run.pk])).content.decode()
    assert str(m.E_BAD_NATIONAL_ID) in page
    response = client.get(reverse("roster_report", args=[run.pk]))
    book = load_workbook(io.BytesIO(response.content))
    cell = book["Người lao động"]["F5"]  # 2 title rows, header on row 3, Em on row 5; CCCD is column F
    assert cell.value == "12345"
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert cell.comment.text == str(m.E_BAD_NATIONAL_ID)
    listing = [row for row in book["Lỗi"].iter_rows(min_row=2, values_only=True)]
    assert listing[0][:4] == ("Lỗi", "Người lao động", 5, "Số CCCD/CMND *")
    assert AuditEntry.objects.filter(action=Action.EXPORT, object_type="import_run").exists()


def test_it_shows_counts_and_changes(client, world):
    run = upload(client, world, [worker("A002", "Đỗ Văn Em", "024095007777")])
    page = client.get(reverse("roster_run", args=[run.pk])).content.decode()
    assert "Đỗ Văn Em" in page and "Nguyễn Thị Ánh" in page  # one new, one leaver
    assert run.created == 1 and run.ended == 1


def test_it_hides_another_companys_run(client, world):
    run = upload(client, world, [worker("A002", "Đỗ Văn Em", "024095007777")])
    client.force_login(world.focal_b)
    assert client.get(reverse("roster_run", args=[run.pk])).status_code == 404
    assert client.get(reverse("roster_report", args=[run.pk])).status_code == 404


def test_it_masks_identifiers_and_withholds_the_file_from_a_zone_officer(client, world):
    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111"), worker("A002", "Đỗ Văn Em", "0240950077X")]
    run = upload(client, world, rows)
    assert "0240950077X" in client.get(reverse("roster_run", args=[run.pk])).content.decode()  # the uploader
    client.force_login(world.zone_officer)
    page = client.get(reverse("roster_run", args=[run.pk])).content.decode()
    assert "••••••••77X" in page and "0240950077X" not in page
    assert client.get(reverse("roster_report", args=[run.pk])).status_code == 403


def test_it_masks_numbers_in_warnings_for_a_zone_officer(client, world):
    # An old 11-digit mobile is converted and the warning names the new number: masked like the value column.
    run = upload(client, world, [worker("A001", "Nguyễn Thị Ánh", "024301001111", phone="01699123456")])
    assert "0399123456" in client.get(reverse("roster_run", args=[run.pk])).content.decode()  # the uploader
    client.force_login(world.zone_officer)
    page = client.get(reverse("roster_run", args=[run.pk])).content.decode()
    assert "số 10 số mới" in page
    assert "0399123456" not in page and "01699123456" not in page
    assert "•••••••456" in page


def test_it_shows_the_house_merge_link_only_to_who_may_merge(client, world):
    from worktrace.registry.models import Group, GroupKind

    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111", lodging="Nhà trọ Bà Tu", room="Phòng 3")]
    run = upload(client, world, rows, apply=True)
    house = Group.objects.get(kind=GroupKind.BOARDING_HOUSE, name="Nhà trọ Bà Tu")
    link = reverse("roster_houses", args=[house.pk])
    client.force_login(world.health)
    page = client.get(reverse("roster_run", args=[run.pk])).content.decode()
    assert "Nhà trọ Bà Tu" in page and link not in page  # a health officer would get a 403 there
    client.force_login(world.admin)
    assert link in client.get(reverse("roster_run", args=[run.pk])).content.decode()
