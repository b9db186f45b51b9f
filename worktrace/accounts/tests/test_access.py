from __future__ import annotations

import pytest
from django.http import Http404

from worktrace.accounts.access import access_for, get_person_for_user, mask_national_id, mask_phone
from worktrace.accounts.models import Grant, Role


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
