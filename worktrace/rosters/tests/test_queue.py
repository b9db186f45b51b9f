"""The task queue's side of imports: ImportRun's lifecycle, the stale sweep, file retention, every source recorded."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import time
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from worktrace.api.services import token_create
from worktrace.rosters.models import E_WORKER_DIED, ImportRun, ImportSource, ImportStatus
from worktrace.rosters.services import roster_submit
from worktrace.rosters.tasks import MAX_ATTEMPTS, roster_purge_files, roster_sweep_stale
from worktrace.rosters.testing import roster_bytes, run_queued_tasks, worker

COMPANY_A = {"name": "Công ty May An Phát", "tax_code": "2400000101"}


def dead_worker() -> str:
    """``host:pid`` of a process that really ran and was killed, as a worker killed mid-import leaves it."""
    process = subprocess.Popen(["sleep", "60"])
    process.kill()
    process.wait()
    return f"{socket.gethostname()}:{process.pid}"


def queued_run(world, **fields) -> ImportRun:
    data = roster_bytes([worker("A001", "Nguyễn Thị Ánh", "024301001111")])
    run = ImportRun(company=world.company_a, user=world.focal_a, filename="ds.xlsx", **fields)
    run.file.save("ds.xlsx", ContentFile(data), save=False)
    run.save()
    return run


def test_it_lets_one_worker_claim_a_run(world):
    run = queued_run(world)
    assert run.start(worker="host-a:1") is True
    assert run.status == ImportStatus.RUNNING and run.attempts == 1 and run.worker == "host-a:1"
    other = ImportRun.objects.get(pk=run.pk)
    other.status = ImportStatus.QUEUED  # a second worker holding a stale copy of the row
    assert other.start(worker="host-b:2") is False
    run.refresh_from_db()
    assert run.worker == "host-a:1" and run.attempts == 1


def test_it_sees_a_run_whose_worker_was_killed_as_stale(world):
    run = queued_run(world)
    run.start(worker=dead_worker())
    assert run.is_stale()
    alive = queued_run(world)
    alive.start()  # this very process: alive, and its heartbeat is fresh
    assert not alive.is_stale()
    assert alive.is_stale(now=timezone.now() + dt.timedelta(hours=2))  # silent for too long


def test_it_sees_a_killed_worker_not_yet_reaped_as_dead(world):
    process = subprocess.Popen(["sleep", "60"])
    process.kill()
    time.sleep(0.2)  # killed, still a zombie: its parent (this test, a consumer in real life) has not reaped it
    run = queued_run(world)
    run.start(worker=f"{socket.gethostname()}:{process.pid}")
    try:
        assert run.is_stale()
    finally:
        process.wait()


def test_it_retries_a_run_whose_worker_was_killed(world):
    run = queued_run(world)
    run.start(worker=dead_worker())
    assert roster_sweep_stale() == (1, 0)
    run.refresh_from_db()  # retried on the queue (immediate here): applied by the second attempt
    assert run.status == ImportStatus.APPLIED and run.attempts == 2 and run.moved == 1


def test_it_fails_a_run_killed_on_its_last_attempt(world):
    run = queued_run(world, attempts=MAX_ATTEMPTS - 1)
    run.start(worker=dead_worker())
    assert roster_sweep_stale() == (0, 1)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED and run.finished_at
    assert run.result["message"] == str(E_WORKER_DIED)


def test_it_fails_a_run_never_started(world, held_queue):
    run = queued_run(world)
    assert roster_sweep_stale() == (0, 0)
    assert roster_sweep_stale(now=timezone.now() + dt.timedelta(hours=2)) == (0, 1)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert run_queued_tasks() == 0  # nothing was queued by the sweep


def test_it_leaves_a_live_run_alone(world):
    run = queued_run(world)
    run.start()
    assert roster_sweep_stale() == (0, 0)
    run.refresh_from_db()
    assert run.status == ImportStatus.RUNNING


def stored_files() -> set[Path]:
    return {p for p in Path(ImportRun.file.field.storage.location).rglob("*") if p.is_file()}


def test_it_deletes_a_refused_file_at_once(world, client):
    before = stored_files()
    client.force_login(world.focal_a)
    upload = SimpleUploadedFile("ds.xlsx", b"this is not a workbook")
    client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": upload})
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REFUSED
    assert not run.file
    assert stored_files() == before


def test_it_keeps_a_read_file_until_the_retention_ends(world, client, settings):
    settings.ROSTER_FILE_RETENTION_DAYS = 30
    client.force_login(world.focal_a)
    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111"), worker("A9", "Lỗi", "024301009999", birth="x")]
    upload = SimpleUploadedFile("ds.xlsx", roster_bytes(rows))
    client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": upload, "strict": "on"})
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REFUSED and run.file  # kept: its error report marks the cells
    path = run.file.path
    assert roster_purge_files(now=timezone.now() + dt.timedelta(days=29)) == 0
    assert roster_purge_files(now=timezone.now() + dt.timedelta(days=31)) == 1
    run.refresh_from_db()
    assert not run.file
    assert not Path(path).exists()
    assert client.get(reverse("roster_report", args=[run.pk])).status_code == 200  # the list of problems alone


def test_it_records_a_command_line_import_in_the_history(world, tmp_path, client):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(roster_bytes([worker("A001", "Nguyễn Thị Ánh", "024301001111")], company=COMPANY_A))
    call_command("import", str(path), "--json", verbosity=0)
    run = ImportRun.objects.get()
    assert run.source == ImportSource.CLI and run.status == ImportStatus.APPLIED and run.company == world.company_a
    client.force_login(world.focal_a)
    page = client.get(reverse("rosters")).content.decode()
    assert reverse("roster_run", args=[run.pk]) in page and f"<td>{ImportSource.CLI.label}</td>" in page


def test_it_records_a_token_api_import_in_the_history(world, client):
    _token, raw = token_create(user=world.focal_a, name="HR")
    upload = SimpleUploadedFile("ds.xlsx", roster_bytes([worker("A002", "Đỗ Văn Em", "024095007777")]))
    response = client.post("/api/rosters", {"file": upload}, headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200 and response.json()["created"] == 1
    run = ImportRun.objects.get()
    assert run.source == ImportSource.API and run.status == ImportStatus.APPLIED and run.user == world.focal_a
    page = client_page(client, world)
    assert reverse("roster_run", args=[run.pk]) in page and f"<td>{ImportSource.API.label}</td>" in page


def client_page(client, world) -> str:
    client.force_login(world.focal_a)
    return client.get(reverse("rosters")).content.decode()


def test_it_answers_202_while_the_api_upload_waits_in_the_queue(world, client, held_queue, settings):
    settings.ROSTER_API_WAIT_SECONDS = 0
    client.force_login(world.focal_a)
    upload = SimpleUploadedFile("ds.xlsx", roster_bytes([worker("A002", "Đỗ Văn Em", "024095007777")]))
    response = client.post(reverse("roster_api_import"), {"file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 202 and response.json()["run"] == run.pk
    assert run.source == ImportSource.API and run.status == ImportStatus.QUEUED
    assert run_queued_tasks() == 1
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED


def test_it_bounds_how_many_imports_run_at_once(world, client, held_queue):
    client.force_login(world.focal_a)
    for _ in range(3):
        upload = SimpleUploadedFile("ds.xlsx", roster_bytes([worker("A001", "Nguyễn Thị Ánh", "024301001111")]))
        client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": upload})
    # Three uploads started no thread and no import: they wait for the consumer's workers (HUEY_WORKERS).
    assert set(ImportRun.objects.values_list("status", flat=True)) == {ImportStatus.QUEUED}
    assert held_queue.pending_count() == 3
    run_queued_tasks()
    assert set(ImportRun.objects.values_list("status", flat=True)) == {ImportStatus.PREVIEWED}


def test_it_runs_a_duplicate_message_once(world):
    run = queued_run(world)
    from worktrace.rosters.tasks import roster_import_task

    roster_import_task(run.pk)
    roster_import_task(run.pk)
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.attempts == 1


def test_it_submits_with_the_purpose_kept_for_a_retry(world, held_queue):
    upload = ContentFile(roster_bytes([worker("A001", "Nguyễn Thị Ánh", "024301001111")]), name="ds.xlsx")
    run = roster_submit(
        upload=upload, user=world.focal_a, company=world.company_a, strict=False, source="web", purpose="Thử"
    )
    assert run.result["purpose"] == "Thử" and run.status == ImportStatus.QUEUED
