"""Every change of who may do what is audited, old → new: in the admin and through the account service."""

from __future__ import annotations

from django.urls import reverse

from worktrace.accounts.models import Grant, Role, User
from worktrace.accounts.services import user_create_with_role
from worktrace.audit.models import Action, AuditEntry
from worktrace.testing import PASSWORD


def _grant_entries(user: User):
    return AuditEntry.objects.filter(action=Action.ADMIN_CHANGE, object_type="grant", object_id=str(user.pk))


def _user_form(user: User, grants: list[dict], **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": "",
        "is_active": "on",
        "date_joined_0": "01/01/2026",
        "date_joined_1": "08:00:00",
        "grants-TOTAL_FORMS": str(len(grants)),
        "grants-INITIAL_FORMS": str(sum(1 for g in grants if g.get("id"))),
        "grants-MIN_NUM_FORMS": "0",
        "grants-MAX_NUM_FORMS": "1000",
    }
    for i, grant in enumerate(grants):
        for key, value in grant.items():
            data[f"grants-{i}-{key}"] = value
        data[f"grants-{i}-user"] = user.pk
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_the_admin_audits_a_new_grant_with_old_and_new(client, world):
    client.force_login(world.admin)
    existing = world.focal_a.grants.get()
    form = _user_form(
        world.focal_a,
        [
            {"id": existing.pk, "role": existing.role, "company": existing.company_id},
            {"role": Role.COMPANY_FOCAL, "company": world.company_b.pk},
        ],
    )
    response = client.post(reverse("admin:accounts_user_change", args=[world.focal_a.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert world.focal_a.grants.count() == 2
    entry = _grant_entries(world.focal_a).latest("id")
    assert entry.username == "admin"
    assert [g["scope_id"] for g in entry.detail["old"]["grants"]] == [world.company_a.pk]
    assert sorted(g["scope_id"] for g in entry.detail["new"]["grants"]) == sorted(
        [world.company_a.pk, world.company_b.pk]
    )


def test_the_admin_audits_a_flag_change_and_not_a_plain_save(client, world):
    client.force_login(world.admin)
    grant = world.zone_officer.grants.get()
    grants = [{"id": grant.pk, "role": grant.role, "zone": grant.zone_id}]
    url = reverse("admin:accounts_user_change", args=[world.zone_officer.pk])
    before = _grant_entries(world.zone_officer).count()
    assert client.post(url, _user_form(world.zone_officer, grants, first_name="Lan")).status_code == 302
    assert _grant_entries(world.zone_officer).count() == before  # a name is not a grant
    assert client.post(url, _user_form(world.zone_officer, grants, is_staff="on")).status_code == 302
    entry = _grant_entries(world.zone_officer).latest("id")
    assert (entry.detail["old"]["flags"]["is_staff"], entry.detail["new"]["flags"]["is_staff"]) == (False, True)


def test_the_admin_audits_a_removed_grant_and_a_deleted_account(client, world):
    client.force_login(world.admin)
    grant = world.focal_b.grants.get()
    url = reverse("admin:accounts_user_change", args=[world.focal_b.pk])
    form = _user_form(
        world.focal_b, [{"id": grant.pk, "role": grant.role, "company": grant.company_id, "DELETE": "on"}]
    )
    assert client.post(url, form).status_code == 302
    assert not Grant.objects.filter(user=world.focal_b).exists()
    entry = _grant_entries(world.focal_b).latest("id")
    assert entry.detail["new"]["grants"] == [] and len(entry.detail["old"]["grants"]) == 1
    pk = world.facility_officer.pk
    client.post(reverse("admin:accounts_user_delete", args=[pk]), {"post": "yes"})
    assert not User.objects.filter(pk=pk).exists()
    deleted = AuditEntry.objects.filter(action=Action.ADMIN_CHANGE, object_type="grant", object_id=str(pk)).latest("id")
    assert deleted.detail["new"] is None and deleted.detail["old"]["grants"][0]["role"] == Role.FACILITY_OFFICER


def test_the_service_audits_who_changed_whose_grant(world):
    user_create_with_role(
        username="focal_a", password=PASSWORD, role=Role.ZONE_OFFICER, zone=world.zone1, by=world.admin
    )
    entry = _grant_entries(world.focal_a).latest("id")
    assert entry.username == "admin"
    assert entry.detail["old"]["grants"][0]["role"] == Role.COMPANY_FOCAL
    assert entry.detail["new"]["grants"][0]["role"] == Role.ZONE_OFFICER
    assert entry.object_repr == "focal_a"


def test_the_service_audits_a_new_account(world):
    user = user_create_with_role(username="moi", password=PASSWORD, role=Role.HEALTH_OFFICER)
    entry = _grant_entries(user).get()
    assert entry.detail["old"] is None and entry.detail["new"]["grants"][0]["role"] == Role.HEALTH_OFFICER
