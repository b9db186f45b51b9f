from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from worktrace.accounts.access import (
    Capability,
    ExportScope,
    Masker,
    access_for,
    get_house_for_user,
    get_import_run_for_user,
    get_investigation_for_user,
    get_person_for_user,
    mask_national_id,
    mask_phone,
)
from worktrace.accounts.models import Grant, Role
from worktrace.accounts.services import SYSTEM_USERNAME, system_account
from worktrace.registry.models import Employment, Group, GroupKind


@pytest.mark.parametrize(
    "persona",
    ["admin", "health", "zone_officer", "focal_a", "focal_b", "facility_officer", "worker_ann", "outsider"],
)
def test_each_role_sees_exactly_its_people(world, persona):
    user = world.personas[persona]
    assert set(access_for(user).people()) == world.visible_people(persona)


def test_it_hides_existence_outside_scope(world):
    with pytest.raises(Http404):
        get_person_for_user(world.focal_a, world.binh.pk)
    person, _ = get_person_for_user(world.focal_a, world.ann.pk)
    assert person == world.ann


def test_zone_officer_sees_companies_of_the_zone_only(world):
    companies = set(access_for(world.zone_officer).companies())
    assert companies == {world.company_a, world.company_b}


def test_inactive_user_has_no_access(world):
    world.health.is_active = False
    world.health.save()
    assert not access_for(world.health).people().exists()


def test_a_grant_must_name_the_scope_its_role_needs(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Grant(user=world.outsider, role=Role.COMPANY_FOCAL).full_clean()
    with pytest.raises(ValidationError):
        Grant(user=world.outsider, role=Role.HEALTH_OFFICER, company=world.company_a).full_clean()


def test_masks_keep_only_the_last_digits():
    assert mask_national_id("024301001111") == "•••••••••111"
    assert mask_phone("0912000111") == "091••••111"


def test_masker_hides_identifiers_in_free_text_and_keeps_them_for_who_may_see():
    message = "Số điện thoại 11 số cũ đã được đổi sang số 10 số mới: 0912000111."
    assert Masker(reveal=False).text(message) == "Số điện thoại 11 số cũ đã được đổi sang số 10 số mới: •••••••111."
    assert Masker(reveal=True).text(message) == message
    assert Masker(reveal=False).phone("0912000111") == "091••••111"
    assert Masker(reveal=False).national_id(None) == ""


def _end_ann_job(world, days_ago: int) -> None:
    Employment.objects.filter(person=world.ann).update(end_date=timezone.localdate() - dt.timedelta(days=days_ago))


def test_it_keeps_access_through_an_ended_job_for_the_documented_period(world, settings):
    settings.ENDED_JOB_ACCESS_DAYS = 28
    _end_ann_job(world, 27)  # the 28th day from the end date: still visible
    assert access_for(world.focal_a).may_see_person(world.ann.pk)
    assert access_for(world.zone_officer).may_see_person(world.ann.pk)


def test_it_ends_access_through_an_ended_job_after_the_period(world, settings):
    settings.ENDED_JOB_ACCESS_DAYS = 28
    _end_ann_job(world, 28)
    assert not access_for(world.focal_a).may_see_person(world.ann.pk)
    assert not access_for(world.zone_officer).may_see_person(world.ann.pk)
    with pytest.raises(Http404):
        get_person_for_user(world.focal_a, world.ann.pk)
    assert access_for(world.health).may_see_person(world.ann.pk)  # province roles are not bound to jobs


def test_investigations_are_listed_for_those_who_may_trace(world):
    from worktrace.tracing.models import Investigation

    now = timezone.now()
    investigation = Investigation.objects.create(
        index_person=world.binh,
        reference_date=now.date(),
        window_start=now - dt.timedelta(days=2),
        window_end=now,
        created_by=world.health,
    )
    assert list(access_for(world.health).investigations()) == [investigation]
    assert not access_for(world.focal_b).investigations().exists()
    assert get_investigation_for_user(world.admin, investigation.pk)[0] == investigation
    with pytest.raises(Http404):
        get_investigation_for_user(world.focal_b, investigation.pk)


def test_import_runs_are_those_of_companies_in_scope(world):
    from worktrace.rosters.models import ImportRun

    run_a = ImportRun.objects.create(company=world.company_a, filename="a.xlsx")
    run_c = ImportRun.objects.create(company=world.company_c, filename="c.xlsx")
    assert set(access_for(world.zone_officer).import_runs()) == {run_a}
    assert set(access_for(world.health).import_runs()) == {run_a, run_c}
    assert not access_for(world.worker_ann).import_runs().exists()
    with pytest.raises(Http404):
        get_import_run_for_user(world.focal_b, run_a.pk)


def test_houses_are_those_where_the_users_companies_declared_a_room(world):
    house = Group.objects.get(kind=GroupKind.BOARDING_HOUSE)
    assert get_house_for_user(world.admin, house.pk)[0] == house
    assert list(access_for(world.focal_a).houses()) == [house]  # Ann's room, declared by A
    assert not access_for(world.focal_b).houses().exists()
    with pytest.raises(Http404):
        get_house_for_user(world.focal_b, house.pk)
    with pytest.raises(Http404):
        get_house_for_user(world.admin, world.ann.pk * 1000)


def test_export_scopes_follow_the_roles(world):
    health, zone, focal = (access_for(u) for u in (world.health, world.zone_officer, world.focal_a))
    assert health.may_export(ExportScope.PROVINCE) and health.may_export(ExportScope.ZONE, world.zone2)
    assert zone.may_export(ExportScope.ZONE, world.zone1)
    assert not zone.may_export(ExportScope.ZONE, world.zone2)
    assert not zone.may_export(ExportScope.PROVINCE)
    assert focal.may_export(ExportScope.COMPANY)
    assert not focal.may_export(ExportScope.ZONE, world.zone1)
    assert not access_for(world.worker_ann).may_export(ExportScope.COMPANY)


def test_imports_and_new_companies_follow_the_scope(world):
    focal, zone = access_for(world.focal_a), access_for(world.zone_officer)
    assert focal.may_import_for(world.company_a) and not focal.may_import_for(world.company_b)
    assert not focal.may_create_company(world.zone1)
    assert zone.may_create_company(world.zone1) and not zone.may_create_company(world.zone2)
    assert access_for(world.health).may_create_company(world.zone2)
    assert focal.default_upload_company() == world.company_a
    assert zone.default_upload_company() is None  # two companies: the file says which


def test_a_worker_is_told_apart_from_officers(world):
    assert access_for(world.worker_ann).is_worker
    assert access_for(world.worker_ann).self_person() == world.ann
    assert not access_for(world.focal_a).is_worker
    assert access_for(world.focal_a).self_person() is None


def test_only_administrators_may_merge_houses(world):
    assert access_for(world.admin).may_merge_houses
    assert not access_for(world.health).may_merge_houses


def test_the_system_account_is_created_once_with_its_own_grant(db):
    first, second = system_account(), system_account()
    assert first.pk == second.pk and first.username == SYSTEM_USERNAME
    assert list(first.grants.values_list("role", flat=True)) == [Role.HEALTH_OFFICER]
    assert not first.has_usable_password()  # nobody signs in as it
    access = access_for(first)
    assert access.can(Capability.IMPORT) and access.can(Capability.TRACE) and access.province_wide
