"""The identity-conflict queue: who sees it, and each way of resolving a refused row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import ConflictStatus, Employment, IdentityConflict, Membership
from worktrace.rosters import conflicts as c
from worktrace.rosters.tests.test_identity import BINH_ID, intruder, upload
from worktrace.rosters.tests.test_roster_import import ann


@pytest.fixture
def conflict(world):
    upload([ann(), intruder(full_name="Trần Văn Bìnhh", birth="06/05/1999")], user=world.focal_a)
    return IdentityConflict.objects.get()


def resolve(client, conflict, resolution, note=""):
    url = reverse("identity_conflict_resolve", kwargs={"conflict_id": conflict.pk})
    return client.post(url, {"resolution": resolution, "note": note})


def test_it_lists_open_conflicts_for_health_officers(client, world, conflict):
    client.force_login(world.health)
    response = client.get(reverse("identity_conflicts"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Trần Văn Bìnhh" in body and "Trần Văn Bình" in body and world.company_a.name in body
    # each choice is worded as the action it takes, not as the outcome's status
    assert "Sổ ghi sai: sửa họ tên, ngày sinh theo tệp rồi liên kết" in body
    entry = AuditEntry.objects.filter(action=Action.LIST_PEOPLE, object_type="identity_conflict").get()
    assert entry.detail["shown"] == [world.binh.pk]


def test_it_links_the_menu_for_officials_only(client, world, conflict):
    url = reverse("identity_conflicts")
    client.force_login(world.health)
    assert url in client.get(reverse("home")).content.decode()
    client.force_login(world.focal_a)
    assert url not in client.get(reverse("home")).content.decode()
    assert client.get(url).status_code == 403


def test_it_refuses_a_get_to_resolve(client, world, conflict):
    client.force_login(world.health)
    url = reverse("identity_conflict_resolve", kwargs={"conflict_id": conflict.pk})
    assert client.get(url).status_code == 405
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN


def test_it_links_the_same_person_as_the_row_asked(client, world, conflict):
    client.force_login(world.health)
    resolve(client, conflict, ConflictStatus.LINKED)
    job = Employment.objects.get(person=world.binh, company=world.company_a, worker_code="A666")
    assert job.end_date is None
    assert Membership.objects.filter(employment=job, end__isnull=True).count() == 2  # workshop and team
    conflict.refresh_from_db()
    assert (conflict.status, conflict.resolved_by) == (ConflictStatus.LINKED, world.health)
    entry = AuditEntry.objects.filter(action=Action.ADMIN_CHANGE).latest("at")
    assert entry.object_id == str(world.binh.pk) and entry.detail["resolution"] == "linked"


def test_it_corrects_the_register_then_links(client, world, conflict):
    client.force_login(world.admin)
    resolve(client, conflict, ConflictStatus.CORRECTED)
    world.binh.refresh_from_db()
    assert world.binh.full_name == "Trần Văn Bìnhh"
    assert Employment.objects.filter(person=world.binh, company=world.company_a).exists()
    entry = AuditEntry.objects.filter(action=Action.ADMIN_CHANGE).latest("at")
    assert entry.detail["before"]["full_name"] == "Trần Văn Bình"


def test_it_notes_fraud_without_linking(client, world, conflict):
    client.force_login(world.health)
    resolve(client, conflict, ConflictStatus.FRAUD)  # a note is required
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN
    resolve(client, conflict, ConflictStatus.FRAUD, note="Gọi điện: không làm ở công ty A")
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.FRAUD and conflict.note.startswith("Gọi điện")
    assert not Employment.objects.filter(person=world.binh, company=world.company_a).exists()


def test_it_resolves_a_conflict_only_once(world, conflict):
    c.conflict_resolve(conflict=conflict, user=world.health, resolution=ConflictStatus.LINKED)
    with pytest.raises(c.ConflictError):
        c.conflict_resolve(conflict=conflict, user=world.health, resolution=ConflictStatus.LINKED)
    assert Employment.objects.filter(person=world.binh, company=world.company_a).count() == 1


def test_it_links_a_refused_driver_to_the_bus(world):
    from worktrace.registry.models import MembershipRole
    from worktrace.rosters.tests.test_roster_import import BUS

    upload([ann()], buses=[{**BUS, "driver_id": BINH_ID, "driver_name": "Tran Van Binh Lai Xe"}])
    conflict = IdentityConflict.objects.get()
    c.conflict_resolve(conflict=conflict, user=world.health, resolution=ConflictStatus.LINKED)
    assert Membership.objects.filter(person=world.binh, role=MembershipRole.DRIVER, end__isnull=True).count() == 1
