"""Integer filters of the pages and the API: an id no database can hold, or not a number, is a 400 — never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from worktrace.api.services import token_create
from worktrace.front.views import BAD_FILTER

HUGE = "99999999999999999999"


@pytest.mark.parametrize("name", ["company", "zone", "workshop"])
@pytest.mark.parametrize("value", [HUGE, "-1", "abc", "٣"])
def test_people_list_refuses_a_bad_id_filter(client, world, name, value):
    client.force_login(world.health)
    params = {name: value}
    if name == "workshop":
        params["company"] = world.company_a.pk
    response = client.get(reverse("people"), params)
    assert response.status_code == 400
    assert str(BAD_FILTER % {"name": name}) in response.content.decode()


def test_people_list_still_filters_by_a_good_id(client, world):
    client.force_login(world.health)
    response = client.get(reverse("people"), {"company": world.company_a.pk, "zone": "", "workshop": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert world.ann.full_name in body and world.binh.full_name not in body


@pytest.mark.parametrize("route", ["people", "audit_log", "investigations"])
def test_an_over_large_page_number_shows_the_last_page(client, world, route):
    client.force_login(world.admin)
    assert client.get(reverse(route), {"page": HUGE}).status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/api/people/{huge}", "/api/people/{huge}/trace"],
)
def test_the_api_answers_404_for_an_over_large_id(client, world, path):
    _token, raw = token_create(user=world.health, name="t")
    response = client.get(path.format(huge=HUGE), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("name", ["depth", "lookback"])
def test_the_api_answers_422_for_an_over_large_trace_number(client, world, name):
    _token, raw = token_create(user=world.health, name="t")
    response = client.get(f"/api/people/{world.ann.pk}/trace", {name: HUGE}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422


@pytest.mark.parametrize("route", ["person", "trace", "investigation", "roster_run"])
def test_pages_answer_404_for_an_over_large_id_in_the_path(client, world, route):
    client.force_login(world.admin)
    key = {"person": "person_id", "trace": "person_id", "investigation": "investigation_id", "roster_run": "run_id"}
    assert client.get(reverse(route, kwargs={key[route]: int(HUGE)})).status_code == 404
