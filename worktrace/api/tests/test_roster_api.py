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
