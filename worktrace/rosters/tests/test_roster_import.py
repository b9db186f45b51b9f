"""roster_import: the difference against the current roster, history kept, and a re-import that changes nothing."""

from __future__ import annotations

import pytest

from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import Employment, Group, GroupKind, Membership, MembershipRole, Person
from worktrace.rosters import messages as m
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes, worker

COMPANY_A = {"name": "Công ty May An Phát", "tax_code": "2400000101"}
BUS = {"plate": "98B-123.45", "driver_name": "Hoàng Văn Hải", "driver_id": "024080005555"}


def ann(**fields):
    defaults = {
        "birth": "04/03/2001",
        "lodging_code": "NT001",
        "lodging": "Nhà trọ Bà Tư",
        "room": "Phòng 3",
        "bus": "98B-123.45",
    }
    defaults.update(fields)
    return worker("A001", "Nguyễn Thị Ánh", "024301001111", **defaults)


def run(workers, **kwargs):
    data = roster_bytes(workers, company=COMPANY_A, buses=kwargs.pop("buses", [BUS]), **kwargs.pop("book", {}))
    return roster_import(data=data, filename="ds.xlsx", **kwargs)


def state():
    """Everything an import may change, to compare before and after."""
    return (
        sorted(Employment.objects.values_list("id", "worker_code", "end_date", "shift")),
        sorted(Membership.objects.values_list("id", "person_id", "group_id", "end")),
        Person.objects.count(),
        Group.objects.count(),
    )


def test_it_keeps_an_unchanged_roster_unchanged(world):
    before = state()
    outcome = run([ann()])
    assert outcome.applied
    assert (outcome.created, outcome.ended, outcome.moved, outcome.unchanged) == (0, 0, 0, 1)
    assert state() == before


def test_it_creates_new_workers_with_their_groups(world):
    outcome = run([ann(), worker("A002", "Đỗ Văn Em", "024095007777", sex="Nam", birth="1995", team="Tổ 2")])
    assert outcome.created == 1
    em = Person.objects.get(national_id="024095007777")
    assert em.birth_year == 1995 and em.birth_date is None
    job = Employment.objects.get(person=em, company=world.company_a)
    groups = {ms.group.kind: ms.group for ms in em.memberships.select_related("group")}
    assert groups[GroupKind.WORKSHOP].name == "Phân xưởng May"
    assert groups[GroupKind.TEAM].parent == groups[GroupKind.WORKSHOP]
    assert all(ms.employment == job and ms.declared_by == world.company_a for ms in em.memberships.all())


def test_it_ends_leavers_without_deleting_them(world):
    outcome = run([worker("A002", "Đỗ Văn Em", "024095007777")])
    assert outcome.ended == 1
    job = Employment.objects.get(worker_code="A001", company=world.company_a)
    assert job.end_date is not None
    assert not Membership.objects.filter(employment=job, end__isnull=True).exists()
    assert Person.objects.filter(pk=world.ann.pk).exists()
    # Chau's room membership, declared by company C, is not touched by A's upload
    assert Membership.objects.filter(person=world.chau, end__isnull=True).count() == 3


def test_it_records_a_move_as_history(world):
    old_team = Membership.objects.get(person=world.ann, group__kind=GroupKind.TEAM)
    outcome = run([ann(team="Tổ 2")])
    assert outcome.moved == 1 and outcome.unchanged == 0
    old_team.refresh_from_db()
    assert old_team.end is not None
    current = Membership.objects.get(person=world.ann, group__kind=GroupKind.TEAM, end__isnull=True)
    assert current.group.name == "Tổ 2" and current.start == old_team.end
    assert "Tổ 1 → Tổ 2" in outcome.changes[0]["detail"]


def test_it_matches_a_boarding_house_by_normalised_address(world):
    run([ann(lodging_code="", lodging="nhà  trọ BÀ TƯ", room="phòng 3")])
    assert (
        Membership.objects.get(person=world.ann, group__kind=GroupKind.ROOM, end__isnull=True).group.name == "Phòng 3"
    )
    assert Group.objects.filter(kind=GroupKind.BOARDING_HOUSE).count() == 1


def test_it_keeps_hung_and_hung_apart(world):
    run([ann(lodging_code="", lodging="Nhà trọ Bà Tứ")])
    assert Group.objects.filter(kind=GroupKind.BOARDING_HOUSE).count() == 2


def test_it_lists_near_miss_houses_for_an_official(world):
    outcome = run([ann(lodging_code="", lodging="Nhà trọ Bà Tu")])
    assert outcome.near_misses and outcome.near_misses[0]["candidates"][0]["name"] == "Nhà trọ Bà Tư"


def test_it_matches_a_bus_by_plate(world):
    before = Group.objects.filter(kind=GroupKind.VEHICLE).count()
    outcome = run([ann(bus="98b 12345")], buses=[{**BUS, "plate": "98B12345"}])
    assert outcome.unchanged == 1
    assert Group.objects.filter(kind=GroupKind.VEHICLE).count() == before


def test_it_makes_one_person_with_two_jobs_across_companies(world):
    data = roster_bytes(
        [worker("B001", "Trần Văn Bình", "024099002222", birth="06/05/1999", sex="Nam"),
         worker("B777", "Nguyễn Thị Ánh", "024301001111")],
        company={"name": "Công ty Điện tử Bình Minh", "tax_code": "2400000102"},
    )  # fmt: skip
    outcome = roster_import(data=data, filename="b.xlsx")
    assert outcome.created == 1
    assert Person.objects.filter(national_id="024301001111").count() == 1
    assert set(world.ann.employments.values_list("company__tax_code", flat=True)) == {"2400000101", "2400000102"}
    # B's upload did not end Ann's job at A
    assert world.ann.employments.get(company=world.company_a).end_date is None


def test_it_does_not_treat_invalid_rows_as_leavers(world):
    outcome = run([ann(birth="not a date")])
    assert outcome.invalid == 1 and not outcome.applied
    assert Employment.objects.get(worker_code="A001").end_date is None
    outcome = run([ann(birth="not a date"), worker("A002", "Đỗ Văn Em", "024095007777")])
    assert outcome.applied and outcome.ended == 0
    assert Employment.objects.get(worker_code="A001").end_date is None


def test_it_refuses_the_whole_file_when_strict(world):
    before = state()
    outcome = run([ann(), worker("A002", "Đỗ Văn Em", "024095007777", birth="32/13/2001")], strict=True)
    assert not outcome.applied
    assert outcome.errors[0]["message"] == str(m.E_STRICT)
    assert state() == before


def test_it_declares_drivers_and_coresidents(world):
    co = {"full_name": "Phạm Thị Dung", "national_id": "024175004444", "lodging_code": "NT001", "room": "Phòng 3"}
    outcome = run([ann()], book={"coresidents": [co]})
    assert outcome.unchanged == 1
    assert Membership.objects.filter(person=world.dung, role=MembershipRole.CO_RESIDENT, end__isnull=True).count() == 1
    assert Membership.objects.filter(person=world.hai, role=MembershipRole.DRIVER, end__isnull=True).count() == 1
    before = state()
    run([ann()], book={"coresidents": [co]})
    assert state() == before


def test_it_creates_a_new_company_from_the_company_sheet(world):
    data = roster_bytes(
        [worker("X1", "Vũ Thị Giang", "024302008888")],
        company={"name": "Công ty Mới", "tax_code": "2400000999", "zone": "KCN Vân Trung"},
    )
    outcome = roster_import(data=data, filename="new.xlsx")
    assert outcome.applied and outcome.company.tax_code == "2400000999"
    assert outcome.company.zone == world.zone1


def test_it_refuses_a_company_outside_the_users_scope(world):
    outcome = run([ann()], user=world.focal_b)
    assert not outcome.applied
    assert outcome.errors[0]["message"] == str(m.E_OUT_OF_SCOPE)


def test_it_audits_every_import_with_its_purpose(world):
    run([ann()], user=world.focal_a, purpose="Cập nhật tuần")
    entry = AuditEntry.objects.filter(action=Action.IMPORT).latest("at")
    assert entry.purpose == "Cập nhật tuần" and entry.user == world.focal_a
    assert entry.detail["unchanged"] == 1


@pytest.mark.parametrize("title_rows", [0, 3])
def test_it_finds_the_header_under_title_rows(world, title_rows):
    outcome = run([ann()], book={"title_rows": title_rows})
    assert outcome.unchanged == 1


def test_it_ends_the_old_holder_when_a_code_is_given_to_someone_else(world):
    outcome = run([worker("A001", "Đỗ Văn Em", "024095007777")])
    assert (outcome.created, outcome.ended) == (1, 1)
    jobs = Employment.objects.filter(company=world.company_a, worker_code="A001")
    assert {(j.person.national_id, j.end_date is None) for j in jobs} == {
        ("024301001111", False),
        ("024095007777", True),
    }


def test_it_flags_a_code_repeated_on_an_invalid_row(world):
    outcome = run([ann(birth="?"), worker("A001", "Đỗ Văn Em", "024095007777")])
    assert not outcome.applied and outcome.invalid == 2
    assert Employment.objects.get(worker_code="A001").person == world.ann


def test_it_adds_a_test_result_once_whatever_the_read_path(world, monkeypatch):
    from worktrace.registry.models import TestResult
    from worktrace.rosters.apply import plan

    monkeypatch.setattr(plan, "CHUNK", 1)  # takes the joined read used for large rosters
    rows = [ann(last_test_on="20/11/2026", test_result="Dương tính"),
            worker("A002", "Đỗ Văn Em", "024095007777", last_test_on="21/11/2026", test_result="Âm tính")]  # fmt: skip
    run(rows)
    run(rows)
    assert TestResult.objects.filter(person=world.ann).count() == 1
    assert TestResult.objects.filter(person__national_id="024095007777").count() == 1


def test_it_keeps_a_worker_whose_invalid_row_has_no_code_but_their_citizen_id(world):
    outcome = run([ann(worker_code=""), worker("A002", "Đỗ Văn Em", "024095007777")])
    assert outcome.applied and outcome.ended == 0 and outcome.invalid == 1
    assert Employment.objects.get(worker_code="A001").end_date is None
