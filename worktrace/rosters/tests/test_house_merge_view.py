"""Near-miss boarding houses: listed after an import, merged by a province administrator on POST."""

from __future__ import annotations

from django.urls import reverse

from worktrace.audit.models import Action, AuditEntry
from worktrace.registry.models import Group, GroupKind, Membership
from worktrace.rosters.services import roster_import
from worktrace.rosters.testing import roster_bytes, worker


def near_miss(world) -> Group:
    data = roster_bytes(
        [worker("A001", "Nguyễn Thị Ánh", "024301001111", lodging="Nhà trọ Bà Tu", room="Phòng 3")],
        company={"name": "Công ty May An Phát", "tax_code": "2400000101"},
    )
    outcome = roster_import(data=data, filename="a.xlsx")
    return Group.objects.get(pk=outcome.near_misses[0]["id"])


def test_it_merges_a_near_miss_into_the_known_house(client, world):
    house = near_miss(world)
    known = Group.objects.get(code="NT001")
    client.force_login(world.admin)
    page = client.get(reverse("roster_houses", args=[house.pk])).content.decode()
    assert "Nhà trọ Bà Tư" in page
    client.post(reverse("roster_houses", args=[house.pk]), {"into": known.pk})
    assert not Group.objects.filter(pk=house.pk).exists()
    rooms = Group.objects.filter(parent=known, kind=GroupKind.ROOM)
    assert rooms.count() == 1  # "Phòng 3" of both records is one room
    assert Membership.objects.filter(group=rooms.get(), person=world.ann).count() == 2  # history kept
    assert AuditEntry.objects.filter(action=Action.ADMIN_CHANGE).exists()


def test_it_is_closed_to_others(client, world):
    house = near_miss(world)
    client.force_login(world.health)
    assert client.post(reverse("roster_houses", args=[house.pk]), {"into": 1}).status_code == 403
    assert Group.objects.filter(pk=house.pk).exists()
