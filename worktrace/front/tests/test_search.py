"""Search: diacritics and case optional, words in any order, ranked, scoped, audited."""

from __future__ import annotations

from django.urls import reverse

from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import Person
from worktrace.registry.selectors import people_search


def names(query: str) -> list[str]:
    return [p.full_name for p in people_search(Person.objects.all(), query, identifier_fragments=True)]


def test_it_finds_parts_of_names_in_any_order_and_case(world):
    assert names("NGUYEN anh") == ["Nguyễn Thị Ánh"]
    assert names("ánh nguyễn") == ["Nguyễn Thị Ánh"]
    assert names("inh") == ["Lê Minh Châu", "Trần Văn Bình"]  # Minh, Bình


def test_it_ranks_the_exact_name_before_names_that_contain_it(world):
    Person.objects.create(full_name="Trần Văn Bình Minh")
    Person.objects.create(full_name="Lê Trần Văn Bình")
    assert names("tran van binh") == ["Trần Văn Bình", "Trần Văn Bình Minh", "Lê Trần Văn Bình"]


def test_it_ranks_a_whole_citizen_id_before_numbers_ending_with_it(world):
    Person.objects.create(full_name="Đỗ Văn Em", phone="0900024301001111"[-10:])
    exact = Person.objects.create(full_name="Vũ Thị Hoa", national_id="001111")
    assert names("001111")[0] == exact.full_name
    assert "Nguyễn Thị Ánh" in names("001111")


def test_it_finds_worker_codes_whatever_the_case(world):
    assert names("a001") == ["Nguyễn Thị Ánh"]


def test_it_finds_phones(world):
    assert names("0912000333") == ["Lê Minh Châu"]


def test_search_is_scoped_and_audited(client, world):
    client.force_login(world.focal_b)
    body = client.get(reverse("people"), {"q": "nguyen thi anh"}).content.decode()
    assert "Nguyễn Thị Ánh" not in body
    entry = AuditEntry.objects.filter(action=Action.SEARCH).latest("id")
    assert entry.detail["q"] == "nguyen thi anh" and entry.username == "focal_b"


def test_profile_views_are_audited_with_purpose(client, world):
    client.force_login(world.health)
    client.get(reverse("person", args=[world.ann.pk]), {"purpose": "Gọi điện theo dõi"})
    entry = AuditEntry.objects.filter(action=Action.VIEW_PERSON).latest("id")
    assert (entry.object_id, entry.purpose) == (str(world.ann.pk), "Gọi điện theo dõi")


def test_profile_groups_related_people_by_relation_with_links(client, world):
    client.force_login(world.health)
    body = client.get(reverse("person", args=[world.ann.pk])).content.decode()
    related = body[body.index('id="related"') :]
    for label, person in (("Hộ ở cùng", world.dung), ("Phòng ở", world.chau), ("Xe đưa đón", world.hai)):
        assert label in related
        assert reverse("person", args=[person.pk]) in related
    assert "Truy vết từ người này" in body
    client.force_login(world.zone_officer)
    assert "Truy vết từ người này" not in client.get(reverse("person", args=[world.ann.pk])).content.decode()


def _found(client, user, query: str) -> bool:
    client.force_login(user)
    return "Nguyễn Thị Ánh" in client.get(reverse("people"), {"q": query}).content.decode()


def test_it_lets_a_masked_role_search_identifiers_only_by_the_whole_number(client, world):
    # The attack of issue 7 §2: the zone officer sees Ann's CCCD as •••••••••111 and prepends digits to the
    # visible suffix, keeping the digit under which Ann stays in the results, until the whole number is known.
    for fragment in ("111", "1111", "01111", "001111", "4301001111", "000111", "2000111"):
        assert not _found(client, world.zone_officer, fragment), fragment
    assert _found(client, world.zone_officer, "024301001111")
    assert _found(client, world.zone_officer, "0912000111")


def test_it_still_finds_identifiers_by_their_last_digits_for_roles_that_see_them(client, world):
    assert _found(client, world.health, "001111")
    assert _found(client, world.focal_a, "000111")


def test_it_tells_a_masked_role_why_a_part_of_a_number_finds_nobody(client, world):
    hint = "cần nhập đủ cả số"
    client.force_login(world.zone_officer)
    assert hint in client.get(reverse("people"), {"q": "1111"}).content.decode()
    assert hint not in client.get(reverse("people"), {"q": "Không Ai Tên Này"}).content.decode()
    client.force_login(world.health)
    assert hint not in client.get(reverse("people"), {"q": "99999"}).content.decode()
