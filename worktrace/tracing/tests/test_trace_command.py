"""`worktrace trace`: the exact JSON shape of the issue, lookups by ID or worker code, an audit entry."""

from __future__ import annotations

import datetime as dt
import getpass
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from worktrace.accounts.services import SYSTEM_USERNAME, system_account
from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import Employment


def trace(*args: str) -> dict:
    out = io.StringIO()
    call_command("trace", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_exactly_the_documented_object(world):
    body = trace(world.ann.national_id)
    assert set(body) == {"index", "window", "contacts"}
    assert body["index"] == {"national_id": "024301001111", "name": "Nguyễn Thị Ánh", "company": "2400000101"}
    assert set(body["window"]) == {"from", "to"}
    start = dt.datetime.fromisoformat(body["window"]["from"])
    assert start.date() == timezone.localdate() - dt.timedelta(days=2)
    by_name = {c["name"]: c for c in body["contacts"]}
    for contact in body["contacts"]:
        assert set(contact) == {"national_id", "name", "company", "level", "close", "relations"}
        for relation in contact["relations"]:
            assert set(relation) == {"kind", "group", "via", "from", "to"}
    chau = by_name["Lê Minh Châu"]
    assert (chau["company"], chau["level"], chau["close"]) == ("2400000103", 1, True)
    assert {(r["kind"], r["via"]) for r in chau["relations"]} >= {("room", "024301001111")}
    assert {r["kind"] for r in by_name["Phạm Thị Dung"]["relations"]} >= {"household"}
    assert {r["kind"] for r in by_name["Hoàng Văn Hải"]["relations"]} == {"vehicle"}


def test_it_finds_the_index_by_worker_code_and_company(world):
    Employment.objects.create(
        person=world.binh, company=world.company_b, worker_code="A001", start_date=dt.date(2021, 1, 1)
    )
    with pytest.raises(CommandError):
        trace("A001")
    assert trace("A001", "--company", world.company_a.tax_code)["index"]["name"] == "Nguyễn Thị Ánh"


def test_it_honours_close_kinds_depth_and_date(world):
    body = trace(world.ann.national_id, "--close", "team,workshop", "--depth", "1")
    assert {(c["name"], c["close"]) for c in body["contacts"]} == {
        ("Lê Minh Châu", False),
        ("Phạm Thị Dung", False),
        ("Hoàng Văn Hải", False),
    }
    long_ago = (timezone.localdate() - dt.timedelta(days=400)).isoformat()
    assert trace(world.ann.national_id, "--date", long_ago)["contacts"] == []


def test_it_writes_an_audit_entry(world):
    trace(world.ann.national_id, "--lookback", "5")
    entry = AuditEntry.objects.get(action=Action.TRACE)
    assert entry.detail["channel"] == "cli" and entry.detail["lookback_days"] == 5
    assert entry.detail["os_user"] == getpass.getuser()
    assert entry.object_id == str(world.ann.pk)
    assert (entry.username, entry.roles) == (SYSTEM_USERNAME, "health_officer")


def test_it_decides_as_the_system_account(world):
    # The command runs the same access decisions as a page: an account without the trace capability is refused.
    from worktrace.accounts.models import Grant, Role

    Grant.objects.filter(user=system_account()).update(role=Role.ZONE_OFFICER, zone=world.zone1)
    with pytest.raises(CommandError):
        call_command("trace", world.ann.national_id)
    assert not AuditEntry.objects.filter(action=Action.TRACE).exists()


def test_it_rejects_unknown_kinds(world):
    with pytest.raises(CommandError):
        call_command("trace", world.ann.national_id, "--close", "team,bus")


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--date", "0001-01-01"], "--date"),
        (["--isolated", "9999-12-31"], "--isolated"),
        (["--depth", "6"], "--depth"),
        (["--lookback", "29"], "--lookback"),
        (["--close", "team,nope"], "--close"),
        (["--min-overlap", "-1"], "--min-overlap"),
    ],
)
def test_it_refuses_parameters_out_of_range_with_the_shared_messages(world, args, option):
    with pytest.raises(CommandError, match=f"^{option}: "):
        trace(world.ann.national_id, *args)
    assert not AuditEntry.objects.filter(action=Action.TRACE).exists()
