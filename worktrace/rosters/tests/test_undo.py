"""Undoing a company's last import: its changes reversed as history, never a delete; refused when it cannot be."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from worktrace.audit.models import AuditEntry
from worktrace.registry.models import Employment, Membership
from worktrace.rosters.models import ImportRun, ImportStatus
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes, worker
from worktrace.rosters.undo import E_NOT_APPLIED, UndoRefused, roster_undo

ANN = worker("A001", "Nguyễn Thị Ánh", "024301001111")
GIANG = worker("A003", "Vũ Thị Giang", "024301009999", team="Tổ 2", shift="Ca 1")
EM = worker("A002", "Đỗ Văn Em", "024095007777")


def roster(world):
    """What is current at company A: (job, code, shift) and open memberships (person, group, job)."""
    jobs = sorted(
        Employment.objects.filter(company=world.company_a, end_date__isnull=True).values_list(
            "pk", "worker_code", "shift"
        )
    )
    memberships = sorted(
        Membership.objects.filter(declared_by=world.company_a, end__isnull=True).values_list(
            "person_id", "group_id", "employment_id", "role"
        ),
        key=str,
    )
    return jobs, memberships


def apply_in_two_steps(client, world, rows) -> ImportRun:
    upload = SimpleUploadedFile("ds.xlsx", roster_bytes(rows))
    client.post(reverse("roster_upload"), {"company": world.company_a.pk, "file": upload})
    run = ImportRun.objects.latest("pk")
    client.post(reverse("roster_apply", args=[run.pk]), {"confirm_large_leave": "1"})
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    return run


def test_it_reverses_an_import_exactly(client, world):
    client.force_login(world.focal_a)
    roster_import(data=roster_bytes([ANN, GIANG]), filename="a.xlsx", company=world.company_a, user=world.focal_a)
    before = roster(world)
    memberships_before = Membership.objects.count()
    # Ann moves to Tổ 2 and leaves her room and bus, Giang leaves, Em is hired, Ann's shift changes.
    run = apply_in_two_steps(client, world, [{**ANN, "team": "Tổ 2", "shift": "Ca 2"}, EM])
    assert (run.created, run.ended, run.moved) == (1, 1, 1)
    assert roster(world) != before
    response = client.post(reverse("roster_undo", args=[run.pk]))
    assert response["Location"] == reverse("roster_run", args=[run.pk])
    assert roster(world) == before  # the same jobs and memberships current again, the same shift
    assert Membership.objects.count() > memberships_before  # nothing deleted: Em's job and the move stay as history
    em_job = Employment.objects.get(worker_code="A002")
    assert em_job.end_date == timezone.localdate()  # the job the import created is ended, not deleted
    run.refresh_from_db()
    assert run.status == ImportStatus.UNDONE and run.undone_by == world.focal_a and run.undone_at
    entry = AuditEntry.objects.filter(action="import", detail__undo=run.pk).get()
    assert entry.detail["jobs_reopened"] == 1 and entry.detail["jobs_ended"] == 1
    page = client.get(reverse("roster_run", args=[run.pk])).content.decode()
    assert "Đã hoàn tác" in page
    assert "Đã hoàn tác" in client.get(reverse("rosters")).content.decode()  # in the history too


def test_it_refuses_to_undo_when_a_later_import_exists(client, world):
    client.force_login(world.focal_a)
    first = apply_in_two_steps(client, world, [ANN, EM])
    second = apply_in_two_steps(client, world, [ANN, EM, GIANG])
    page = client.get(reverse("roster_run", args=[first.pk])).content.decode()
    assert reverse("roster_undo", args=[first.pk]) not in page  # the button is offered on the last one only
    assert (
        reverse("roster_undo", args=[second.pk]) in client.get(reverse("roster_run", args=[second.pk])).content.decode()
    )
    before = roster(world)
    response = client.post(reverse("roster_undo", args=[first.pk]), follow=True)
    assert (
        f"lượt {second.pk}" in response.content.decode() and "Hãy hoàn tác lượt đó trước" in response.content.decode()
    )
    assert roster(world) == before
    first.refresh_from_db()
    assert first.status == ImportStatus.APPLIED
    client.post(reverse("roster_undo", args=[second.pk]))
    client.post(reverse("roster_undo", args=[first.pk]))  # once the later one is undone, this one may be
    first.refresh_from_db()
    assert first.status == ImportStatus.UNDONE


def test_it_refuses_to_undo_twice_or_a_preview(client, world):
    client.force_login(world.focal_a)
    run = apply_in_two_steps(client, world, [ANN, EM])
    roster_undo(run=run, user=world.focal_a)
    before = roster(world)
    response = client.post(reverse("roster_undo", args=[run.pk]), follow=True)
    assert str(E_NOT_APPLIED) in response.content.decode()
    assert roster(world) == before


def test_it_refuses_to_undo_what_another_company_declared(client, world):
    client.force_login(world.focal_a)
    # An official placed Ann in a team too (declared by nobody's roster): the import's leave ends it.
    ann_job = world.ann.employments.get(company=world.company_a)
    team = Membership.objects.filter(employment=ann_job, group__kind="team").first().group
    Membership.objects.create(person=world.ann, group=team, start=timezone.now(), employment=ann_job)
    run = apply_in_two_steps(client, world, [EM])
    try:
        roster_undo(run=run, user=world.focal_a)
    except UndoRefused as exc:
        assert "doanh nghiệp khác hoặc cán bộ" in exc.message
    else:
        raise AssertionError("the undo touched an official's declaration")
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
    assert Employment.objects.get(pk=ann_job.pk).end_date is not None  # nothing reversed


def test_another_company_cannot_undo(client, world):
    client.force_login(world.focal_a)
    run = apply_in_two_steps(client, world, [ANN, EM])
    client.force_login(world.focal_b)
    assert client.post(reverse("roster_undo", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.status == ImportStatus.APPLIED
