"""Export: the same workbook the import reads (round trip = no change), formulas neutralised, audited, POST only."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook

from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import Employment, Group, Membership, Person
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes, worker


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


def test_it_refuses_a_province_export_to_a_focal_point(client, world):
    client.force_login(world.focal_a)
    response = client.post(reverse("roster_export"), {"purpose": "x", "scope": "province"})
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_it_refuses_get(client, world):
    client.force_login(world.focal_a)
    assert client.get(reverse("roster_export")).status_code == 405


def test_it_requires_a_purpose(client, world):
    client.force_login(world.focal_a)
    client.post(reverse("roster_export"), {"scope": "company", "company": world.company_a.pk})
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_it_masks_identifiers_for_a_zone_officer(client, world):
    client.force_login(world.zone_officer)
    sheet = load_workbook(io.BytesIO(export(client, scope="company", company=world.company_a.pk)))["Người lao động"]
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert row[5] == "•••••••••111" and "0912000111" not in row
