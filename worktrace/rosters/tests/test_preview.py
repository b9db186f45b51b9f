"""Check, then apply: a web upload shows what it would change and applies only on a second, explicit POST."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from worktrace.audit.models import AuditEntry
from worktrace.registry.models import Employment, Membership
from worktrace.rosters.models import ImportRun, ImportStatus
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import registry_state, roster_bytes, worker

ANN = worker("A001", "Nguyễn Thị Ánh", "024301001111")
EM = worker("A002", "Đỗ Văn Em", "024095007777")


def xlsx(rows, name="ds.xlsx"):
    return SimpleUploadedFile(name, roster_bytes(rows))


def preview(client, company, rows) -> ImportRun:
    response = client.post(reverse("roster_upload"), {"company": company.pk, "file": xlsx(rows)})
    run = ImportRun.objects.latest("pk")
    assert response["Location"] == reverse("roster_run", args=[run.pk])
    return run


def five_workers(world):
    """Company A with Ann and four more workers, applied in one step (the command line's way)."""
    rows = [ANN] + [worker(f"A1{i}", f"Công Nhân {i}", f"02409500100{i}") for i in range(4)]
    roster_import(data=roster_bytes(rows), filename="ds.xlsx", company=world.company_a, user=world.focal_a)
    return rows


def test_it_changes_nothing_before_the_apply(client, world):
    client.force_login(world.focal_a)
    before = registry_state()
    run = preview(client, world.company_a, [EM])
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED and run.created == 1 and run.ended == 1
    assert registry_state() == before  # Em not created, Ann's job not ended
    assert Employment.objects.filter(company=world.company_a, end_date__isnull=True).count() == 1
    page = client.get(reverse("roster_run", args=[run.pk])).content.decode()
    assert "Chưa có gì thay đổi." in page
    assert "Đỗ Văn Em" in page and "Nguyễn Thị Ánh" in page  # the hire and the leaver, by name
    assert 'id="by-workshop"' in page and "Phân xưởng May" in page
    assert reverse("roster_apply", args=[run.pk]) in page
    entry = AuditEntry.objects.filter(action="import").latest("pk")
    assert entry.detail["dry_run"] is True and entry.detail["applied"] is False


def test_it_applies_on_the_second_post(client, world):
    client.force_login(world.focal_a)
    rows = five_workers(world)
    run = preview(client, world.company_a, [*rows, EM])
    response = client.post(reverse("roster_apply", args=[run.pk]))
    assert response["Location"] == reverse("roster_run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.created == 1 and run.ended == 0
    assert run.confirmed_by == world.focal_a
    assert Employment.objects.filter(worker_code="A002", end_date__isnull=True).exists()
    assert client.post(reverse("roster_apply", args=[run.pk])).status_code == 302  # a second click: nothing more
    assert Employment.objects.filter(worker_code="A002").count() == 1


@pytest.mark.parametrize("route", ["roster_apply", "roster_undo"])
def test_it_refuses_get_on_the_state_changing_routes(client, world, route):
    client.force_login(world.focal_a)
    run = preview(client, world.company_a, [EM])
    assert client.get(reverse(route, args=[run.pk])).status_code == 405
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED


def test_it_asks_a_second_confirmation_for_a_large_leave(client, world):
    client.force_login(world.focal_a)
    rows = five_workers(world)
    run = preview(client, world.company_a, rows[:2])  # 3 of 5 leave: 60%
    page = client.get(reverse("roster_run", args=[run.pk])).content.decode()
    assert "Tệp này sẽ cho 3/5 công nhân (60%) nghỉ việc" in page
    assert 'name="confirm_large_leave"' in page
    before = registry_state()
    client.post(reverse("roster_apply", args=[run.pk]))  # the checkbox is checked by the server, not the browser
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED and registry_state() == before
    client.post(reverse("roster_apply", args=[run.pk]), {"confirm_large_leave": "1"})
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.ended == 3


def test_it_needs_no_second_confirmation_at_the_threshold(client, world, settings):
    client.force_login(world.focal_a)
    rows = five_workers(world)
    run = preview(client, world.company_a, rows[:4])  # 1 of 5: 20%, not over
    assert 'name="confirm_large_leave"' not in client.get(reverse("roster_run", args=[run.pk])).content.decode()
    settings.ROSTER_LARGE_LEAVE_PERCENT = 10
    run_low = preview(client, world.company_a, rows[:4])
    assert run_low.result["preview"]["large_leave"] is True
    client.post(reverse("roster_apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.ended == 1


def test_it_refuses_a_stale_preview_and_previews_again(client, world):
    client.force_login(world.focal_a)
    rows = five_workers(world)
    run = preview(client, world.company_a, [*rows, EM])
    # Meanwhile the company's roster changes (another upload, one step): one of its workers leaves.
    roster_import(data=roster_bytes(rows[:4]), filename="b.xlsx", company=world.company_a, user=world.focal_a)
    before = registry_state()
    client.post(reverse("roster_apply", args=[run.pk]))
    run.refresh_from_db()
    assert registry_state() == before  # nothing of the stale preview was applied
    assert run.status == ImportStatus.PREVIEWED
    assert run.created == 2 and run.ended == 0  # the new preview: Em, and the worker who left comes back
    page = client.get(reverse("roster_run", args=[run.pk])).content.decode()
    assert "đã thay đổi kể từ lúc xem trước" in page
    client.post(reverse("roster_apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert Employment.objects.filter(company=world.company_a, end_date__isnull=True).count() == 6


def test_another_company_cannot_apply_a_preview(client, world):
    client.force_login(world.focal_a)
    run = preview(client, world.company_a, [EM])
    client.force_login(world.focal_b)
    assert client.post(reverse("roster_apply", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED


def test_the_preview_masks_identifiers_for_a_zone_officer(client, world):
    client.force_login(world.zone_officer)
    name_with_id = worker("A002", "Đỗ Văn Em 024095007777", "024095007777")
    run = preview(client, world.company_a, [name_with_id])
    page = client.get(reverse("roster_run", args=[run.pk])).content.decode()
    assert "024095007777" not in page and "Đỗ Văn Em" in page


def test_the_command_line_dry_run_writes_nothing(world, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(roster_bytes([EM]))
    before = registry_state(), ImportRun.objects.count(), Membership.objects.filter(end__isnull=True).count()
    call_command("import", str(path), "--company", world.company_a.tax_code, "--dry-run", "--json")
    body = json.loads(capsys.readouterr().out)
    assert (registry_state(), ImportRun.objects.count(), Membership.objects.filter(end__isnull=True).count()) == before
    assert body["dry_run"] is True and body["created"] == 1 and body["ended"] == 1
    assert body["large_leave"] is True and body["current"] == 1 and body["share"] == 100
    assert body["by_workshop"] == [{"workshop": "Phân xưởng May", "created": 1, "ended": 1, "moved": 0}]
    assert AuditEntry.objects.filter(action="import", detail__dry_run=True).exists()


def test_the_command_line_dry_run_prints_the_summary(world, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(roster_bytes([EM]))
    call_command("import", str(path), "--company", world.company_a.tax_code, "--dry-run")
    out = capsys.readouterr().out
    assert "Phân xưởng May: mới 1, nghỉ 1, chuyển 0" in out
    assert "1/1 công nhân (100%) nghỉ việc" in out and "chưa áp dụng gì" in out
    call_command("import", str(path), "--company", world.company_a.tax_code)  # without --dry-run: one step
    assert Employment.objects.filter(worker_code="A002", end_date__isnull=True).exists()


def test_a_preview_alerts_nobody_of_a_positive_test_and_the_apply_does(client, world):
    from worktrace.notifications.models import Kind, Notification

    client.force_login(world.focal_a)
    run = preview(client, world.company_a, [{**ANN, "last_test_on": "20/11/2026", "test_result": "Dương tính"}])
    assert not Notification.objects.exists()  # rolled back with the preview, and nothing sent on commit
    client.post(reverse("roster_apply", args=[run.pk]), {"confirm_large_leave": "1"})
    assert Notification.objects.filter(kind=Kind.POSITIVE_TEST, user=world.health).count() == 1
