"""Reading pages that show personal data, or the log itself, writes an entry: the import run page, the
investigation list, the admin's case and investigation pages, /nhat-ky/ and the admin's audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from worktrace.audit.models import Action, AuditEntry
from worktrace.audit.services import audit_record
from worktrace.rosters.models import ImportRun
from worktrace.tracing.models import CaseStatus, Investigation


@pytest.fixture
def investigation(world):
    now = timezone.now()
    found = Investigation.objects.create(
        index_person=world.binh,
        reference_date=now.date(),
        window_start=now - dt.timedelta(days=2),
        window_end=now,
        created_by=world.health,
        purpose="Điều tra ca F0",
        snapshot={"contacts": []},
    )
    CaseStatus.objects.create(
        person=world.ann, level="f1", starts_on=now.date(), investigation=found, confirmed_by=world.health
    )
    return found


def _entries(username: str, action: Action):
    return AuditEntry.objects.filter(username=username, action=action)


def test_the_investigation_list_is_recorded_with_who_it_showed(client, world, investigation):
    client.force_login(world.health)
    assert client.get(reverse("investigations")).status_code == 200
    entry = _entries("health", Action.LIST_PEOPLE).get(object_type="investigation")
    assert entry.detail["shown"] == [investigation.pk]
    assert entry.detail["people"] == [world.binh.pk]


def test_the_import_run_page_is_recorded_but_not_its_progress_poll(client, world):
    run = ImportRun.objects.create(company=world.company_a, filename="a.xlsx", status="applied", user=world.focal_a)
    client.force_login(world.focal_a)
    assert client.get(reverse("roster_run", args=[run.pk])).status_code == 200
    entry = _entries("focal_a", Action.LIST_PEOPLE).get()
    assert (entry.object_type, entry.object_id) == ("importrun", str(run.pk))
    client.get(reverse("roster_run", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert _entries("focal_a", Action.LIST_PEOPLE).count() == 1


@pytest.mark.parametrize("model", ["investigation", "casestatus"])
def test_the_admin_case_and_investigation_pages_are_recorded(client, world, investigation, model):
    client.force_login(world.admin)
    assert client.get(reverse(f"admin:tracing_{model}_changelist")).status_code == 200
    listed = _entries("admin", Action.LIST_PEOPLE).get(object_type=model)
    assert len(listed.detail["shown"]) == 1
    obj = investigation if model == "investigation" else investigation.cases.get()
    assert client.get(reverse(f"admin:tracing_{model}_change", args=[obj.pk])).status_code == 200
    viewed = _entries("admin", Action.VIEW_PERSON).get(object_type=model)
    assert viewed.object_id == str(obj.pk)


def test_reading_the_audit_log_is_recorded_in_the_page_and_the_admin(client, world):
    entry = audit_record(action=Action.EXPORT, user=world.health, purpose="Báo cáo tuần")
    client.force_login(world.admin)
    assert client.get(reverse("audit_log")).status_code == 200
    assert _entries("admin", Action.READ_AUDIT).count() == 1
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    listed = _entries("admin", Action.READ_AUDIT).latest("id")
    assert entry.pk in listed.detail["shown"]
    assert client.get(reverse("admin:audit_auditentry_change", args=[entry.pk])).status_code == 200
    assert _entries("admin", Action.READ_AUDIT).latest("id").object_id == str(entry.pk)
