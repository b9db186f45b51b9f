from __future__ import annotations

from django.urls import reverse


def test_it_lists_people_in_scope_with_filters(client, world):
    client.force_login(world.health)
    body = client.get(reverse("people"), {"company": world.company_b.pk}).content.decode()
    assert "Trần Văn Bình" in body
    assert "Nguyễn Thị Ánh" not in body


def test_it_finds_without_diacritics(client, world):
    client.force_login(world.health)
    body = client.get(reverse("people"), {"q": "nguyen thi anh"}).content.decode()
    assert "Nguyễn Thị Ánh" in body
    assert "Trần Văn Bình" not in body


def test_it_finds_by_worker_code_and_last_digits(client, world):
    client.force_login(world.health)
    assert "Trần Văn Bình" in client.get(reverse("people"), {"q": "B001"}).content.decode()
    assert "Lê Minh Châu" in client.get(reverse("people"), {"q": "3333"}).content.decode()


def test_it_masks_numbers_for_zone_officers(client, world):
    client.force_login(world.zone_officer)
    body = client.get(reverse("person", args=[world.ann.pk])).content.decode()
    assert "024301001111" not in body
    assert "•••••••••111" in body
    client.force_login(world.focal_a)
    assert "024301001111" in client.get(reverse("person", args=[world.ann.pk])).content.decode()


def test_profile_shows_roommates_across_companies_only_within_scope(client, world):
    client.force_login(world.health)
    body = client.get(reverse("person", args=[world.ann.pk])).content.decode()
    assert "Lê Minh Châu" in body and "Phạm Thị Dung" in body and "Hoàng Văn Hải" in body
    client.force_login(world.focal_a)
    body = client.get(reverse("person", args=[world.ann.pk])).content.decode()
    assert "Lê Minh Châu" not in body
    assert "ngoài phạm vi của bạn" in body


def test_dates_are_dd_mm_yyyy(client, world):
    client.force_login(world.health)
    assert "04/03/2001" in client.get(reverse("person", args=[world.ann.pk])).content.decode()


def test_english_is_available(client, world):
    client.force_login(world.health)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("people")).content.decode()
    assert "Workers" in body


def test_vietnamese_is_shown_whatever_the_browser_asks(client, world):
    client.force_login(world.health)
    body = client.get(reverse("people"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Người lao động" in body
