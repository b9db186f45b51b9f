"""Export: the roster in scope as the workbook the import reads (round trip = no change), formulas neutralised,
audited when given, refused (no file, nothing audited) outside scope or without a purpose, POST only."""

from __future__ import annotations

import io

from django.contrib.messages import constants, get_messages
from django.urls import reverse
from openpyxl import load_workbook

from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import Employment, Group, Membership, Person
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes, worker
from worktrace.spreadsheets import XLSX_CONTENT_TYPE


def state():
    return (
        sorted(Employment.objects.values_list("id", "end_date", "shift")),
        sorted(Membership.objects.values_list("id", "group_id", "end")),
        sorted(Person.objects.values_list("id", "full_name", "phone", "birth_date", "vaccine_doses")),
        Group.objects.count(),
    )


def export(client, **data) -> bytes:
    response = client.post(reverse("roster_export"), {"purpose": "Rà soát danh sách", **data})
    assert response.status_code == 200, response.content[:300]
    return response.content


def test_it_round_trips_a_company(client, world):
    roster_import(
        data=roster_bytes(
            [
                worker("A001", "Nguyễn Thị Ánh", "024301001111", lodging_code="NT001", room="Phòng 3",
                       bus="98B-123.45", last_test_on="20/11/2026", test_result="Âm tính", doses=2),
                worker("A002", "'=HYPERLINK(\"x\")", "024095007777", birth="1995", team="Tổ 2", shift="Ca 2"),
            ],
            company={"name": "Công ty May An Phát", "tax_code": "2400000101"},
            buses=[{"plate": "98B-123.45", "driver_name": "Hoàng Văn Hải", "driver_id": "024080005555"}],
            coresidents=[{"full_name": "Phạm Thị Dung", "national_id": "024175004444", "lodging_code": "NT001",
                          "room": "Phòng 3"}],
        ),
        filename="a.xlsx",
    )  # fmt: skip
    client.force_login(world.focal_a)
    data = export(client, scope="company", company=world.company_a.pk)
    before = state()
    outcome = roster_import(data=data, filename="export.xlsx")
    assert outcome.applied, outcome.errors
    assert (outcome.created, outcome.ended, outcome.moved, outcome.unchanged) == (0, 0, 0, 2)
    assert state() == before
    sheet = load_workbook(io.BytesIO(data))["Người lao động"]
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("x")' in names  # shown as text, never evaluated
    assert Person.objects.filter(full_name='=HYPERLINK("x")').exists()


def test_it_audits_the_export_with_its_purpose(client, world):
    client.force_login(world.zone_officer)
    export(client, scope="zone", zone=world.zone1.pk)
    entry = AuditEntry.objects.filter(action=Action.EXPORT).latest("at")
    assert entry.purpose == "Rà soát danh sách" and entry.detail["workers"] == 2


def test_it_keeps_a_zone_export_to_the_zone(client, world):
    client.force_login(world.zone_officer)
    sheet = load_workbook(io.BytesIO(export(client, scope="zone", zone=world.zone1.pk)))["Người lao động"]
    names = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {"Nguyễn Thị Ánh", "Trần Văn Bình"}


def refused(client, **data) -> None:
    """No file, an error shown on the roster page, and nothing audited as exported."""
    response = client.post(reverse("roster_export"), data)
    assert response.status_code == 302 and response["Location"] == reverse("rosters")
    assert response["Content-Type"] != XLSX_CONTENT_TYPE and not response.content.startswith(b"PK")
    assert [m for m in get_messages(response.wsgi_request) if m.level == constants.ERROR]
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_it_exports_a_companys_current_roster(client, world):
    client.force_login(world.focal_a)
    response = client.post(
        reverse("roster_export"), {"purpose": "Rà soát danh sách", "scope": "company", "company": world.company_a.pk}
    )
    assert response.status_code == 200 and response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    company = {row[0]: row[1] for row in book["Doanh nghiệp"].iter_rows(values_only=True)}
    assert company["Mã số thuế *"] == world.company_a.tax_code
    rows = list(book["Người lao động"].iter_rows(min_row=2, values_only=True))
    current = Employment.objects.filter(company=world.company_a, end_date__isnull=True)
    assert sorted((row[1], row[2], row[5]) for row in rows) == sorted(
        current.values_list("worker_code", "person__full_name", "person__national_id")
    )
    assert world.binh.full_name not in {row[2] for row in rows}  # company B's worker
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.user == world.focal_a and entry.purpose == "Rà soát danh sách"
    assert entry.detail == {"scope": "company", "workers": len(rows), "companies": 1, "masked": False}


def test_it_refuses_a_province_export_to_a_focal_point(client, world):
    client.force_login(world.focal_a)
    refused(client, purpose="x", scope="province")


def test_it_refuses_another_companys_export_to_a_focal_point(client, world):
    client.force_login(world.focal_b)
    refused(client, purpose="x", scope="company", company=world.company_a.pk)


def test_it_refuses_get(client, world):
    client.force_login(world.focal_a)
    assert client.get(reverse("roster_export")).status_code == 405


def test_it_requires_a_purpose(client, world):
    client.force_login(world.focal_a)
    refused(client, scope="company", company=world.company_a.pk)


def test_it_masks_identifiers_for_a_zone_officer(client, world):
    client.force_login(world.zone_officer)
    sheet = load_workbook(io.BytesIO(export(client, scope="company", company=world.company_a.pk)))["Người lao động"]
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert row[5] == "•••••••••111" and "0912000111" not in row
