"""`worktrace import`: exactly one JSON object, and exit 0 / 1 / 2 as issue #3 says."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from worktrace.accounts.services import SYSTEM_USERNAME
from worktrace.rosters.testing import roster_bytes, worker

COMPANY_A = {"name": "Công ty May An Phát", "tax_code": "2400000101"}


def run(capsys, *args) -> tuple[int, dict | None]:
    try:
        call_command("import", *args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr().out
    return code, (json.loads(out) if "--json" in args else None)


def test_it_prints_the_json_shape(world, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    rows = [worker("A001", "Nguyễn Thị Ánh", "024301001111"), worker("A9", "Lỗi", "024301009999", birth="x")]
    path.write_bytes(roster_bytes(rows, company=COMPANY_A))
    code, data = run(capsys, str(path), "--json")
    assert code == 0
    assert list(data) == ["company", "created", "ended", "moved", "unchanged", "invalid", "errors", "warnings"]
    assert data["company"] == "2400000101" and data["invalid"] == 1
    assert data["errors"][0] == {
        "sheet": "Người lao động",
        "row": 3,
        "column": "Ngày sinh *",
        "value": "x",
        "message": "Không đọc được ngày (dùng dd/mm/yyyy).",
    }


def test_it_exits_1_when_nothing_is_applied(world, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(roster_bytes([worker("A001", "Nguyễn Thị Ánh", "024301001111", birth="x")], company=COMPANY_A))
    code, data = run(capsys, str(path), "--json")
    assert code == 1 and data["invalid"] == 1
    code, data = run(capsys, str(path), "--json", "--strict")
    assert code == 1


def test_it_takes_the_company_from_the_option(world, tmp_path, capsys):
    path = tmp_path / "ds.xlsx"
    path.write_bytes(roster_bytes([worker("B001", "Trần Văn Bình", "024099002222", birth="06/05/1999")]))
    code, data = run(capsys, str(path), "--company", "2400000102", "--json")
    assert code == 0 and data["company"] == "2400000102" and data["unchanged"] == 1


def test_it_exits_2_on_a_usage_error(world, tmp_path):
    with pytest.raises(CommandError) as exc:
        call_command("import", str(tmp_path / "missing.xlsx"))
    assert exc.value.returncode == 2


def test_it_audits_the_import_with_the_system_account(world, tmp_path, capsys):
    from worktrace.audit.models import Action, AuditEntry

    path = tmp_path / "ds.xlsx"
    path.write_bytes(roster_bytes([worker("A001", "Nguyễn Thị Ánh", "024301001111")], company=COMPANY_A))
    run(capsys, str(path), "--json", "--purpose", "Cập nhật hằng tuần")
    entry = AuditEntry.objects.filter(action=Action.IMPORT).latest("at")
    assert entry.purpose == "Cập nhật hằng tuần" and entry.detail["source"] == "cli" and entry.detail["actor"]
    assert (entry.username, entry.roles) == (SYSTEM_USERNAME, "health_officer")
