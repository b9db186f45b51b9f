"""Issue 7 §1: a company sees about a person only what its own relation justifies; officials see every source."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from worktrace.registry.models import Employment, Group, GroupKind, Membership, TestResult
from worktrace.registry.models import TestOutcome as Outcome


@pytest.fixture
def second_job(world):
    """Ann also works at company B (code B777, team "Tổ Hàn B"); each company reported one test of hers."""
    since = timezone.now() - dt.timedelta(days=5)
    job = Employment.objects.create(person=world.ann, company=world.company_b, worker_code="B777", start_date=since)
    team = Group.objects.create(kind=GroupKind.TEAM, name="Tổ Hàn B", key="to han b", company=world.company_b)
    Membership.objects.create(person=world.ann, group=team, start=since, employment=job, declared_by=world.company_b)
    Membership.objects.create(person=world.binh, group=team, start=since, declared_by=world.company_b)
    today = timezone.localdate()
    TestResult.objects.create(
        person=world.ann, sampled_on=today, method="PCR-B", outcome=Outcome.POSITIVE, declared_by=world.company_b
    )
    TestResult.objects.create(
        person=world.ann,
        sampled_on=today - dt.timedelta(days=1),
        method="Test nhanh A",
        outcome=Outcome.NEGATIVE,
        declared_by=world.company_a,
    )
    return job


def profile(client, user, person):
    client.force_login(user)
    return client.get(reverse("person", args=[person.pk])).content.decode()


def test_it_hides_other_employers_and_their_codes_from_a_company(client, world, second_job):
    body = profile(client, world.focal_a, world.ann)
    assert "A001" in body and world.company_a.name in body
    assert "B777" not in body and world.company_b.name not in body


def test_it_hides_memberships_another_company_declared(client, world, second_job):
    body = profile(client, world.focal_a, world.ann)
    assert "Tổ Hàn B" not in body
    assert "Phòng 3" in body  # the room company A declared


def test_it_hides_tests_the_company_did_not_send(client, world, second_job):
    body = profile(client, world.focal_a, world.ann)
    assert "Test nhanh A" in body and "PCR-B" not in body


def test_it_shows_every_source_to_health_officers(client, world, second_job):
    body = profile(client, world.health, world.ann)
    for seen in ("A001", "B777", world.company_b.name, "Tổ Hàn B", "PCR-B", "Test nhanh A"):
        assert seen in body


def test_it_keeps_the_identity_fields_for_the_company(client, world, second_job):
    body = profile(client, world.focal_a, world.ann)
    assert "024301001111" in body and "0912000111" in body and "04/03/2001" in body


def test_it_hides_other_employers_in_the_api_profile(client, world, second_job):
    from worktrace.api.services import token_create

    _token, token = token_create(user=world.focal_a, name="hr")
    response = client.get(f"/api/people/{world.ann.pk}", headers={"authorization": f"Bearer {token}"})
    answer = response.json()
    assert [j["worker_code"] for j in answer["jobs"]] == ["A001"]
    assert "Tổ Hàn B" not in str(answer["memberships"])
    assert [t["method"] for t in answer["tests"]] == ["Test nhanh A"]


@pytest.fixture
def declared(world, second_job):
    """Company B declared Ann's current phone; company A declared an older one."""
    from worktrace.registry.models import PersonDeclaration

    now = timezone.now()
    PersonDeclaration.objects.create(person=world.ann, company=world.company_a, phone="0912111000", declared_at=now)
    PersonDeclaration.objects.create(person=world.ann, company=world.company_b, phone="0912000111", declared_at=now)


def test_it_names_the_source_of_each_value_for_officials(client, world, declared):
    body = profile(client, world.health, world.ann)
    assert f"nguồn: {world.company_b.name}" in body
    assert "0912111000" in body  # company A's declaration is listed too


def test_it_hides_which_other_company_declared_a_value(client, world, declared):
    body = profile(client, world.focal_a, world.ann)
    assert "nguồn: nguồn khác" in body and world.company_b.name not in body
    assert "0912111000" in body  # its own declaration


def test_it_masks_declared_phones_for_zone_officers(client, world, declared):
    body = profile(client, world.zone_officer, world.ann)
    assert "0912111000" not in body and "0912000111" not in body
