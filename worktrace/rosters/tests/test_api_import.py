"""The JSON upload route: the command line's JSON over HTTP, with the same access checks."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from worktrace.registry.models import Person
from worktrace.rosters.testing import registry_state, roster_bytes, worker


def post(client, rows, **data):
    upload = SimpleUploadedFile("ds.xlsx", roster_bytes(rows))
    return client.post(reverse("roster_api_import"), {"file": upload, **data})


def test_it_answers_with_the_import_json(client, world):
    client.force_login(world.focal_a)
    response = post(client, [worker("A002", "Đỗ Văn Em", "024095007777")])
    assert response.status_code == 200
    body = response.json()
    assert body["company"] == "2400000101" and body["created"] == 1 and body["ended"] == 1


def test_it_refuses_a_company_outside_scope(client, world):
    before = registry_state()
    client.force_login(world.focal_b)
    response = post(client, [worker("A002", "Đỗ Văn Em", "024095007777")], company="2400000101")
    assert response.status_code == 404
    assert registry_state() == before
    assert not Person.objects.filter(national_id="024095007777").exists()
    assert world.ann.employments.get(company=world.company_a).end_date is None  # not made a leaver


def test_it_answers_422_when_nothing_was_applied(client, world):
    client.force_login(world.health)
    response = post(client, [worker("A002", "Đỗ Văn Em", "024095007777", birth="?")], company="2400000101")
    assert response.status_code == 422 and response.json()["invalid"] == 1


def test_it_refuses_get(client, world):
    client.force_login(world.focal_a)
    assert client.get(reverse("roster_api_import")).status_code == 405
