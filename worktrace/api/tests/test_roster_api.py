"""Roster upload through the token API: the command line's JSON, the uploader's scope, the audit log."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from worktrace.api.services import token_create
from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import Employment
from worktrace.rosters.testing import roster_bytes, worker


def _headers(user) -> dict:
    _token, raw = token_create(user=user, name="hr-system")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _file(rows) -> SimpleUploadedFile:
    return SimpleUploadedFile("ds.xlsx", roster_bytes(rows), content_type="application/octet-stream")


def test_it_imports_for_the_focal_points_own_company(client, world):
    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111"), worker("A002", "Đỗ Văn Em", "024099007777")]
    response = client.post(
        "/api/rosters", {"file": _file(rows), "purpose": "cập nhật 3 ngày"}, **_headers(world.focal_a)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["company"], body["created"], body["invalid"]) == (world.company_a.tax_code, 1, 0)
    assert Employment.objects.filter(company=world.company_a, worker_code="A002", end_date=None).exists()
    entry = AuditEntry.objects.filter(action=Action.IMPORT).latest("id")
    assert (entry.username, entry.detail["source"], entry.purpose) == ("focal_a", "api", "cập nhật 3 ngày")
    again = client.post("/api/rosters", {"file": _file(rows)}, **_headers(world.focal_a)).json()
    assert (again["created"], again["ended"], again["moved"]) == (0, 0, 0)


def test_it_refuses_a_company_outside_scope(client, world):
    rows = [worker("B009", "Trần Văn Tám", "024099008888")]
    response = client.post(
        "/api/rosters", {"file": _file(rows), "company": world.company_b.tax_code}, **_headers(world.focal_a)
    )
    assert response.status_code == 404
    assert not Employment.objects.filter(worker_code="B009").exists()


def test_it_needs_the_import_capability(client, world):
    rows = [worker("A003", "Lê Văn Ba", "024099009999")]
    assert client.post("/api/rosters", {"file": _file(rows)}, **_headers(world.worker_ann)).status_code == 403
    assert client.post("/api/rosters", {"file": _file(rows)}).status_code == 401


def test_a_refused_file_answers_422_with_errors(client, world):
    response = client.post(
        "/api/rosters",
        {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")},
        **_headers(world.focal_a),
    )
    assert response.status_code == 422
    assert response.json()["errors"]


def test_it_answers_in_the_command_lines_json(client, world, tmp_path, capsys):
    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111"), worker("A9", "Lỗi", "024301009999", birth="x")]
    api = client.post("/api/rosters", {"file": _file(rows)}, **_headers(world.focal_a)).json()
    path = tmp_path / "ds.xlsx"
    path.write_bytes(roster_bytes(rows))
    call_command("import", str(path), "--company", world.company_a.tax_code, "--json")
    cli = json.loads(capsys.readouterr().out)
    assert list(api) == list(cli)
    assert api["errors"] == cli["errors"] and len(cli["errors"]) == 1  # the same problems, field for field


def test_it_previews_then_applies_through_the_api(client, world):
    from worktrace.rosters.testing import registry_state

    headers = _headers(world.focal_a)
    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111"), worker("A002", "Đỗ Văn Em", "024099007777")]
    before = registry_state()
    response = client.post("/api/rosters/preview", {"file": _file(rows)}, **headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "previewed" and body["created"] == 1 and body["large_leave"] is False
    assert body["by_workshop"] == [
        {"workshop": "Phân xưởng May", "created": 1, "ended": 0, "moved": 1}
    ]  # Ann: room, bus
    assert {(c["kind"], c["worker_code"], c["name"]) for c in body["changes"]} == {
        ("moved", "A001", "Nguyễn Thị Ánh"),
        ("created", "A002", "Đỗ Văn Em"),
    }
    assert registry_state() == before  # nothing applied yet
    assert body["apply"] == f"/api/rosters/{body['run']}/apply"
    applied = client.post(body["apply"], **headers)
    assert applied.status_code == 200, applied.content
    assert applied.json()["created"] == 1
    assert Employment.objects.filter(worker_code="A002", end_date=None).exists()
    assert client.post(body["apply"], **headers).status_code == 409  # applied once


def test_the_api_asks_to_confirm_a_large_leave(client, world):
    headers = _headers(world.focal_a)
    body = client.post(
        "/api/rosters/preview", {"file": _file([worker("A002", "Đỗ Văn Em", "024099007777")])}, **headers
    ).json()
    assert body["large_leave"] is True and body["share"] == 100 and body["current"] == 1
    refused = client.post(body["apply"], **headers)
    assert refused.status_code == 422
    assert world.ann.employments.get(company=world.company_a).end_date is None
    applied = client.post(body["apply"], {"confirm_large_leave": "true"}, **headers)
    assert applied.status_code == 200 and applied.json()["ended"] == 1


def test_the_api_answers_409_with_a_new_preview_when_the_roster_changed(client, world):
    headers = _headers(world.focal_a)
    ann = worker("A001", "Nguyễn Thị Ánh", "024301001111")
    body = client.post(
        "/api/rosters/preview", {"file": _file([ann, worker("A002", "Đỗ Văn Em", "024099007777")])}, **headers
    ).json()
    client.post("/api/rosters", {"file": _file([ann, worker("A003", "Lê Văn Ba", "024099009999")])}, **headers)
    stale = client.post(body["apply"], **headers)
    assert stale.status_code == 409
    assert "đã thay đổi" in stale.json()["message"] and stale.json()["ended"] == 1  # Ba would now leave
    assert not Employment.objects.filter(worker_code="A002").exists()


def test_the_api_undoes_the_last_import_and_no_other_companys(client, world):
    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111"), worker("A002", "Đỗ Văn Em", "024099007777")]
    body = client.post("/api/rosters/preview", {"file": _file(rows)}, **_headers(world.focal_a)).json()
    client.post(body["apply"], **_headers(world.focal_a))
    assert client.post(f"/api/rosters/{body['run']}/undo", **_headers(world.focal_b)).status_code == 404
    assert client.post(f"/api/rosters/{body['run']}/apply", **_headers(world.focal_b)).status_code == 404
    undone = client.post(f"/api/rosters/{body['run']}/undo", **_headers(world.focal_a))
    assert undone.status_code == 200 and undone.json()["jobs_ended"] == 1
    assert not Employment.objects.filter(worker_code="A002", end_date=None).exists()
    assert client.post(f"/api/rosters/{body['run']}/undo", **_headers(world.focal_a)).status_code == 409
