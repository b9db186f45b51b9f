"""The upload page: focal points for their own company, officials for companies in scope; POST only."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from worktrace.registry.models import Employment
from worktrace.rosters.models import ImportRun, ImportStatus
from worktrace.rosters.testing import roster_bytes, run_queued_tasks, worker


def xlsx(rows, **kwargs):
    return SimpleUploadedFile("ds.xlsx", roster_bytes(rows, **kwargs))


def test_it_previews_an_upload_then_applies_it_and_shows_the_result(client, world):
    client.force_login(world.focal_a)
    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111"), worker("A002", "Đỗ Văn Em", "024095007777")]
    response = client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": xlsx(rows)})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("roster_run", args=[run.pk])
    assert run.status == ImportStatus.PREVIEWED and run.created == 1 and run.user == world.focal_a
    assert not Employment.objects.filter(worker_code="A002").exists()
    client.post(reverse("roster_apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.created == 1
    page = client.get(response["Location"]).content.decode()
    assert "Đỗ Văn Em" in page


def test_it_refuses_get(client, world):
    client.force_login(world.focal_a)
    assert client.get(reverse("roster_upload")).status_code == 405


def test_it_rejects_another_companys_upload(client, world):
    client.force_login(world.focal_b)
    rows = [worker("A002", "Đỗ Văn Em", "024095007777")]
    response = client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": xlsx(rows)})
    assert response.status_code == 400
    assert not ImportRun.objects.exists()
    assert not Employment.objects.filter(worker_code="A002").exists()


def test_it_lets_a_zone_officer_upload_for_a_company_of_the_zone(client, world):
    client.force_login(world.zone_officer)
    rows = [worker("B001", "Trần Văn Bình", "024099002222", birth="06/05/1999")]
    client.post(reverse("roster_upload"), {"company": world.company_b.pk, "file": xlsx(rows)})
    assert ImportRun.objects.get().unchanged == 1  # Binh has no room or bus in the world


def test_it_honours_the_strict_checkbox(client, world):
    client.force_login(world.focal_a)
    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111"), worker("A002", "Đỗ Văn Em", "024095007777", birth="?")]
    client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": xlsx(rows), "strict": "on"})
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.REFUSED and run.invalid == 1


def test_it_runs_the_upload_on_the_queue_with_progress(client, world, held_queue):
    client.force_login(world.focal_a)
    upload = xlsx([worker("A001", "Nguyễn Thị Ánh", "024301001111")])
    response = client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": upload})
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.QUEUED  # the web process only stores and queues the file
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page  # a reload shows the progress bar until the run is done
    assert run_queued_tasks() == 1
    run.refresh_from_db()
    assert run.status == ImportStatus.PREVIEWED and run.moved == 1 and run.progress == 100  # room and bus left
    assert run.attempts == 1 and run.started_at and run.worker
    assert "<progress" not in client.get(response["Location"]).content.decode()
    client.post(reverse("roster_apply", args=[run.pk]))  # the apply is queued too
    run.refresh_from_db()
    assert run.status == ImportStatus.QUEUED and "<progress" in client.get(response["Location"]).content.decode()
    assert run_queued_tasks() == 1
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED and run.moved == 1 and run.attempts == 1  # a fresh count for the apply
