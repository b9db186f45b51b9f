from __future__ import annotations

import json

from django.core.management import call_command

from worktrace.api.models import ApiToken
from worktrace.api.services import token_create, token_revoke
from worktrace.audit.models import Action, AuditEntry
from worktrace.tracing.params import ERROR_DATE_RANGE, ERROR_DEPTH, ERROR_LOOKBACK


def bearer(user) -> dict:
    _token, raw = token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_it_refuses_calls_without_a_valid_token(client, world):
    assert client.get("/api/search", {"q": "nguyen"}).status_code == 401
    assert client.get("/api/search", {"q": "nguyen"}, HTTP_AUTHORIZATION="Bearer wt_nope").status_code == 401


def test_it_searches_in_the_token_users_scope_and_audits(client, world):
    headers = bearer(world.health)
    rows = client.get("/api/search", {"q": "nguyen thi anh", "purpose": "kiểm tra"}, **headers).json()
    assert [r["name"] for r in rows] == ["Nguyễn Thị Ánh"]
    assert rows[0]["national_id"] == "024301001111"
    entry = AuditEntry.objects.filter(action=Action.SEARCH).latest("id")
    assert (entry.username, entry.detail["channel"], entry.purpose) == ("health", "api", "kiểm tra")


def test_it_masks_numbers_for_a_zone_officer_token(client, world):
    rows = client.get("/api/search", {"q": "3333"}, **bearer(world.zone_officer)).json()
    assert rows == []  # Chau works in the other zone
    rows = client.get("/api/search", {"q": "nguyen thi anh"}, **bearer(world.zone_officer)).json()
    assert rows[0]["national_id"] == "•••••••••111"


def test_it_searches_identifiers_only_whole_for_a_zone_officer_token(client, world):
    headers = bearer(world.zone_officer)
    assert client.get("/api/search", {"q": "01001111"}, **headers).json() == []  # a suffix of Ann's CCCD
    assert client.get("/api/search", {"q": "2000111"}, **headers).json() == []  # a suffix of her phone
    rows = client.get("/api/search", {"q": "024301001111"}, **headers).json()
    assert [r["name"] for r in rows] == ["Nguyễn Thị Ánh"]


def test_profile_hides_people_outside_scope(client, world):
    body = client.get(f"/api/people/{world.ann.pk}", **bearer(world.focal_a)).json()
    assert body["name"] == "Nguyễn Thị Ánh"
    assert "Lê Minh Châu" not in json.dumps(body, ensure_ascii=False)
    assert body["related"]["room"]["outside_scope"] >= 1
    assert client.get(f"/api/people/{world.chau.pk}", **bearer(world.focal_a)).status_code == 404
    assert AuditEntry.objects.filter(action=Action.VIEW_PERSON, object_id=str(world.ann.pk)).exists()


def test_trace_needs_the_trace_capability(client, world):
    assert client.get(f"/api/people/{world.ann.pk}/trace", **bearer(world.focal_a)).status_code == 403


def test_it_traces_with_the_cli_shape(client, world):
    response = client.get(f"/api/people/{world.ann.pk}/trace", {"purpose": "API"}, **bearer(world.health))
    body = response.json()
    assert set(body) == {"index", "window", "contacts"}
    assert set(body["contacts"][0]) == {"national_id", "name", "company", "level", "close", "relations"}
    assert {c["name"] for c in body["contacts"] if c["level"] == 1 and c["close"]} == {
        "Lê Minh Châu",
        "Phạm Thị Dung",
        "Hoàng Văn Hải",
    }
    entry = AuditEntry.objects.filter(action=Action.TRACE).get()
    assert entry.detail["channel"] == "api" and entry.username == "health"


def test_a_revoked_token_stops_working(client, world):
    token, raw = token_create(user=world.health, name="x")
    token_revoke(token=token)
    assert client.get("/api/search", {"q": "a"}, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_the_command_issues_a_token_that_works(client, world, capsys):
    call_command("api_token", "health", "--name", "CDC")
    raw = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(name="CDC").key_hash != raw  # only the hash is stored
    assert client.get("/api/search", {"q": "binh"}, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_the_openapi_document_lists_the_routes(client, world):
    client.force_login(world.health)
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/search", "/api/people/{person_id}", "/api/people/{person_id}/trace"} <= set(paths)


def test_an_administrator_revokes_tokens_in_the_admin(client, world):
    token, raw = token_create(user=world.health, name="x")
    client.force_login(world.admin)
    client.post("/quan-tri/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    client.logout()  # the API also accepts a signed-in session
    assert client.get("/api/search", {"q": "a"}, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_it_answers_422_for_extreme_trace_parameters(client, world):
    headers = bearer(world.health)
    url = f"/api/people/{world.ann.pk}/trace"
    cases = [
        ({"date": "0001-01-01"}, "date", ERROR_DATE_RANGE),
        ({"isolated": "9999-12-31"}, "isolated", ERROR_DATE_RANGE),
        ({"lookback": 99999999999999999999}, "lookback", ERROR_LOOKBACK),
        ({"depth": 0}, "depth", ERROR_DEPTH),
    ]
    for query, name, message in cases:
        response = client.get(url, query, **headers)
        assert response.status_code == 422, query
        assert f"{name}: {str(message).split('%')[0]}" in response.json()["detail"], response.json()
    assert not AuditEntry.objects.filter(action=Action.TRACE).exists()
