"""Issue 7 §1: a roster row cannot take over a registered person by writing their citizen ID."""

from __future__ import annotations

from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import ConflictSource, Employment, IdentityConflict, Membership, MembershipRole, Person
from worktrace.rosters import messages as m
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes, worker
from worktrace.rosters.tests.test_roster_import import BUS, COMPANY_A, ann

BINH_ID = "024099002222"  # Binh works at company B, born 06/05/1999


def upload(workers, user=None, strict=False, **book):
    data = roster_bytes(workers, company=COMPANY_A, buses=book.pop("buses", [BUS]), **book)
    return roster_import(data=data, filename="ds.xlsx", user=user, strict=strict)


def intruder(national_id=BINH_ID, **fields):
    defaults = {"birth": "01/01/1990", "phone": "0999888777", "permanent_address": "Giả mạo"}
    defaults.update(fields)
    return worker("A666", "Người Bịa Tên", national_id, **defaults)


def test_it_refuses_a_row_naming_another_companys_worker(world):
    outcome = upload([ann(), intruder()], user=world.focal_a)
    assert outcome.applied and outcome.invalid == 1 and outcome.created == 0
    [error] = [e for e in outcome.errors if e["value"] == BINH_ID]
    assert error["message"] == str(m.E_ID_REGISTERED)
    assert not Employment.objects.filter(person=world.binh, company=world.company_a).exists()
    world.binh.refresh_from_db()
    assert (world.binh.phone, world.binh.permanent_address) == ("0912000222", "")


def test_it_does_not_reveal_the_registered_details(world):
    outcome = upload([ann(), intruder()], user=world.focal_a)
    said = repr(outcome.errors) + repr(outcome.warnings) + repr(outcome.changes)
    for secret in ("Trần Văn Bình", "Tran Van Binh", "06/05/1999", "1999-05-06", "1999"):
        assert secret not in said


def test_it_accepts_the_same_name_written_another_way(world):
    outcome = upload([ann(), worker("A777", "  TRẦN van  BINH ", BINH_ID, birth="1999")])
    assert outcome.created == 1 and outcome.invalid == 0
    assert Employment.objects.filter(person=world.binh, company=world.company_a, end_date__isnull=True).exists()


def test_it_refuses_a_different_birth_date_with_the_right_name(world):
    outcome = upload([ann(), worker("A777", "Trần Văn Bình", BINH_ID, birth="07/05/1999")])
    assert outcome.invalid == 1 and outcome.created == 0


def test_it_refuses_a_year_only_birth_of_another_year(world):
    outcome = upload([ann(), worker("A777", "Trần Văn Bình", BINH_ID, birth="1998")])
    assert outcome.invalid == 1 and outcome.created == 0


def test_it_keeps_the_job_of_a_worker_whose_row_is_refused(world):
    outcome = upload([ann(birth="01/01/2000"), worker("A002", "Đỗ Văn Em", "024095007777")])
    assert outcome.applied and outcome.invalid == 1 and outcome.ended == 0
    assert Employment.objects.get(worker_code="A001").end_date is None


def test_it_refuses_a_driver_with_another_name(world):
    outcome = upload([ann()], buses=[{**BUS, "driver_id": BINH_ID, "driver_name": "Lái Xe Giả"}])
    assert any(e["value"] == BINH_ID and e["message"] == str(m.E_ID_REGISTERED) for e in outcome.errors)
    assert not Membership.objects.filter(person=world.binh, role=MembershipRole.DRIVER).exists()
    # what company A declared for that bus before stays as it was
    assert Membership.objects.filter(person=world.hai, role=MembershipRole.DRIVER, end__isnull=True).exists()


def test_it_refuses_a_coresident_with_another_name(world):
    co = {"full_name": "Người Ở Giả", "national_id": BINH_ID, "lodging_code": "NT001", "room": "Phòng 3"}
    outcome = upload([ann()], coresidents=[co])
    assert any(e["value"] == BINH_ID for e in outcome.errors)
    assert not Membership.objects.filter(person=world.binh, role=MembershipRole.CO_RESIDENT).exists()


def test_it_records_the_conflict_for_the_health_department(world):
    upload([ann(), intruder()], user=world.focal_a)
    conflict = IdentityConflict.objects.get()
    assert (conflict.person, conflict.company, conflict.uploaded_by) == (world.binh, world.company_a, world.focal_a)
    assert conflict.source == ConflictSource.WORKER
    assert conflict.declared["full_name"] == "Người Bịa Tên" and conflict.declared["worker_code"] == "A666"


def test_it_refuses_a_strict_file_and_still_records_the_conflict(world):
    before = Employment.objects.count(), Person.objects.count()
    outcome = upload([ann(), intruder()], strict=True)
    assert not outcome.applied and outcome.errors[0]["message"] == str(m.E_STRICT)
    assert (Employment.objects.count(), Person.objects.count()) == before
    assert IdentityConflict.objects.filter(person=world.binh).count() == 1


def test_it_applies_nothing_when_every_row_is_refused(world):
    outcome = upload([intruder()])
    assert not outcome.applied and outcome.invalid == 1
    assert Employment.objects.get(worker_code="A001").end_date is None
    assert IdentityConflict.objects.count() == 1


def test_it_lists_the_people_an_import_touched_in_its_audit_entry(world):
    binh = worker("A003", "Trần Văn Bình", BINH_ID, birth="06/05/1999", sex="Nam", phone="0912000222")
    new = worker("A002", "Đỗ Văn Em", "024095007777")
    upload([ann(phone="0912999111"), new, binh, intruder("027198003333")], user=world.focal_a)
    people = AuditEntry.objects.filter(action=Action.IMPORT).latest("at").detail
    em = Person.objects.get(national_id="024095007777").pk
    assert people["people"]["created"] == [[em, em]]
    assert people["people"]["linked"] == [[world.binh.pk, world.binh.pk]]
    assert people["people"]["updated"] == [[world.ann.pk, world.ann.pk]]
    assert people["conflicts"] == [world.chau.pk]
