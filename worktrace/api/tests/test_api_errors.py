"""The API answers JSON everywhere under /api/, documents its errors, serves its document to tokens, and is
rate-limited per token and per address."""

from __future__ import annotations

import pytest
from django.test import Client

from worktrace.api.services import token_create
from worktrace.ratelimits import TOO_MANY_REQUESTS


def bearer(user) -> dict:
    _token, raw = token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("path", ["/api/people/null,null", "/api/nowhere", "/api/people/1/trace/extra"])
def test_it_answers_json_for_unknown_paths_under_the_api(client, world, path):
    response = client.get(path, **bearer(world.health))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_pages_outside_the_api_keep_their_html_404(client, world):
    client.force_login(world.health)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_openapi_document_is_readable_with_a_token(client, world):
    response = client.get("/api/openapi.json", **bearer(world.focal_a))
    assert response.status_code == 200
    assert "/api/search" in response.json()["paths"]


def test_the_openapi_document_refuses_a_bad_token_in_json(client, world):
    response = client.get("/api/openapi.json", HTTP_AUTHORIZATION="Bearer wt_nope")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_the_openapi_document_documents_the_errors(client, world):
    paths = client.get("/api/openapi.json", **bearer(world.health)).json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403", "422", "429"} <= codes, (method, path, codes)
            if "{" in path:
                assert "404" in codes, (method, path)
    search = paths["/api/search"]["get"]["responses"]
    assert search["403"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_a_refusal_matches_the_documented_error_shape(client, world):
    response = client.get(f"/api/people/{world.ann.pk}/trace", **bearer(world.focal_a))
    assert response.status_code == 403
    assert isinstance(response.json()["detail"], str)


def test_it_limits_api_calls_per_token_in_json(client, world, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "api": {"user": "3/m", "address": "100/m"}}
    headers = bearer(world.health)
    statuses = [client.get("/api/search", {"q": "x"}, **headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(f"/api/people/{world.ann.pk}", **headers)
    assert response.status_code == 429
    assert response.json() == {"detail": str(TOO_MANY_REQUESTS)}
    assert client.get("/api/search", {"q": "x"}, **bearer(world.admin)).status_code == 200  # another token


def test_it_limits_api_calls_per_address(world, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "api": {"user": "100/m", "address": "2/m"}}
    here, there = Client(REMOTE_ADDR="10.5.0.1"), Client(REMOTE_ADDR="10.5.0.2")
    assert here.get("/api/search", **bearer(world.health)).status_code == 200
    assert here.get("/api/search", **bearer(world.admin)).status_code == 200
    assert here.get("/api/search", **bearer(world.focal_a)).status_code == 429
    assert there.get("/api/search", **bearer(world.focal_a)).status_code == 200


def test_it_limits_api_traces_with_the_trace_limit(client, world, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "trace": {"user": "1/m", "address": "100/m"}}
    headers = bearer(world.health)
    url = f"/api/people/{world.ann.pk}/trace"
    assert [client.get(url, **headers).status_code for _ in range(2)] == [200, 429]
