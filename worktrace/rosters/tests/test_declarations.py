"""Issue 7 §1 bullet 2: what each company declares about a person stays attributed to it."""

from __future__ import annotations

from worktrace.registry.models import PersonDeclaration, TestResult
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes, worker
from worktrace.rosters.tests.test_roster_import import BUS, COMPANY_A, ann

COMPANY_B = {"name": "Công ty Điện tử Bình Minh", "tax_code": "2400000102"}


def upload_a(**fields):
    return roster_import(data=roster_bytes([ann(**fields)], company=COMPANY_A, buses=[BUS]), filename="a.xlsx")


def upload_b(**fields):
    rows = [
        worker("B001", "Trần Văn Bình", "024099002222", birth="06/05/1999", sex="Nam", phone="0912000222"),
        worker("B777", "Nguyễn Thị Ánh", "024301001111", birth="04/03/2001", **fields),
    ]
    return roster_import(data=roster_bytes(rows, company=COMPANY_B), filename="b.xlsx")


def phone_of(world):
    world.ann.refresh_from_db()
    return world.ann.phone


def test_it_keeps_each_companys_declaration(world):
    upload_a(phone="0912000111")
    upload_b(phone="0988000222")
    declared = dict(PersonDeclaration.objects.filter(person=world.ann).values_list("company_id", "phone"))
    assert declared == {world.company_a.pk: "0912000111", world.company_b.pk: "0988000222"}
    assert phone_of(world) == "0988000222"  # the most recent declaration by a current employer


def test_an_unchanged_re_upload_does_not_take_the_value_back(world):
    upload_a(phone="0912000111")
    upload_b(phone="0988000222")
    upload_a(phone="0912000111")  # company A declares nothing new
    assert phone_of(world) == "0988000222"
    upload_a(phone="0912333444")  # a new declaration by A is the most recent again
    assert phone_of(world) == "0912333444"
    assert PersonDeclaration.objects.get(person=world.ann, company=world.company_b).phone == "0988000222"


def test_an_officials_declaration_wins_over_companies(world):
    world.ann.phone = "0903000999"
    world.ann.save()
    PersonDeclaration.objects.create(
        person=world.ann, official=world.health, phone="0903000999", declared_at=world.ann.updated_at
    )
    upload_a(phone="0912333444", permanent_address="Thôn Mới")
    world.ann.refresh_from_db()
    assert (world.ann.phone, world.ann.permanent_address) == ("0903000999", "")
    assert PersonDeclaration.objects.get(person=world.ann, company=world.company_a).phone == "0912333444"


def test_a_blank_cell_keeps_the_companys_earlier_value(world):
    upload_a(permanent_address="Thôn Núi Hiểu")
    upload_a(permanent_address="")
    declared = PersonDeclaration.objects.get(person=world.ann, company=world.company_a)
    assert declared.permanent_address == "Thôn Núi Hiểu"


def test_it_records_which_company_sent_a_test_result(world):
    upload_a(last_test_on="20/11/2026", test_result="Dương tính")
    assert TestResult.objects.get(person=world.ann).declared_by == world.company_a


def test_new_people_are_declared_by_the_company_that_listed_them(world):
    roster_import(
        data=roster_bytes(
            [ann(), worker("A002", "Đỗ Văn Em", "024095007777", phone="0977000111")], company=COMPANY_A, buses=[BUS]
        ),
        filename="a.xlsx",
    )
    declared = PersonDeclaration.objects.get(person__national_id="024095007777")
    assert (declared.company, declared.phone) == (world.company_a, "0977000111")
