from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from worktrace.audit.models import Action, AppendOnlyError, AuditEntry
from worktrace.audit.services import audit_record


def test_viewing_a_profile_is_recorded_with_purpose(client, world):
    client.force_login(world.health)
    client.get(reverse("person", args=[world.ann.pk]), {"purpose": "Điều tra ca F0 số 12"})
    entry = AuditEntry.objects.get(action=Action.VIEW_PERSON)
    assert (entry.username, entry.object_id, entry.purpose) == (
        "health",
        str(world.ann.pk),
        "Điều tra ca F0 số 12",
    )
    assert entry.roles == "health_officer"


def test_search_and_list_are_recorded(client, world):
    client.force_login(world.focal_a)
    client.get(reverse("people"))
    client.get(reverse("people"), {"q": "anh"})
    assert AuditEntry.objects.filter(action=Action.LIST_PEOPLE, username="focal_a").count() == 1
    search = AuditEntry.objects.get(action=Action.SEARCH, username="focal_a")
    assert search.detail["q"] == "anh"
    assert search.detail["shown"] == [world.ann.pk]


def test_a_refused_look_is_not_a_look(client, world):
    client.force_login(world.focal_a)
    assert client.get(reverse("person", args=[world.binh.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action=Action.VIEW_PERSON).exists()
    # the same user's look at a person in scope is recorded: the refusal above, not a broken log, wrote nothing
    assert client.get(reverse("person", args=[world.ann.pk])).status_code == 200
    assert list(AuditEntry.objects.filter(action=Action.VIEW_PERSON).values_list("object_id", flat=True)) == [
        str(world.ann.pk)
    ]


def test_it_cannot_be_changed_through_the_models(world):
    entry = audit_record(action=Action.EXPORT, user=world.health, purpose="Báo cáo")
    entry.purpose = "sửa"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="sửa")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_changes_from_any_client(world):
    entry = audit_record(action=Action.EXPORT, user=world.health)
    table = AuditEntry._meta.db_table
    for sql in (f"UPDATE {table} SET purpose = 'x' WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk, purpose="").exists()


def test_admin_reads_but_cannot_edit(client, world):
    entry = audit_record(action=Action.EXPORT, user=world.health, purpose="Báo cáo tuần")
    client.force_login(world.admin)
    changelist = client.get(reverse("admin:audit_auditentry_changelist"))
    assert changelist.status_code == 200
    assert "Báo cáo tuần" in changelist.content.decode()
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    deleted = client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    assert deleted.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk, purpose="Báo cáo tuần").exists()


def test_audit_page_filters_and_is_admin_only(client, world):
    audit_record(action=Action.EXPORT, user=world.health, purpose="Xuất danh sách")
    audit_record(action=Action.TRACE, user=world.health, purpose="Truy vết")
    client.force_login(world.health)
    assert client.get(reverse("audit_log")).status_code == 403
    client.force_login(world.admin)
    response = client.get(reverse("audit_log"), {"action": "export"})
    assert response.status_code == 200
    rows = response.content.decode().split("<tbody>")[1]
    assert "Xuất danh sách" in rows
    assert "Truy vết" not in rows
    read = AuditEntry.objects.filter(action=Action.READ_AUDIT).latest("id")
    assert (read.username, read.detail["action"]) == ("admin", "export")
