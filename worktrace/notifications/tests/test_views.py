"""The inbox, the bell, marking read (POST only), the broadcast page and the failed deliveries page."""

from __future__ import annotations

from django.urls import reverse

from worktrace.notifications.models import Broadcast, Delivery, DeliveryState, Kind, Notification
from worktrace.notifications.services import notify


def note(user, key="k1", **params):
    notify(
        kind=Kind.ROSTER_STALE,
        dedup_key=key,
        params={"company": "X", "since": "2026-11-20", "days": 5, **params},
        users=[user],
    )
    return Notification.objects.get(user=user, dedup_key=key)


def test_it_shows_the_unread_count_on_every_page(client, world):
    note(world.focal_a, "k1")
    note(world.focal_a, "k2")
    client.force_login(world.focal_a)
    for url in (reverse("home"), reverse("people"), reverse("notifications")):
        body = client.get(url).content.decode()
        assert 'data-unread="2"' in body, url
    client.force_login(world.focal_b)
    assert "data-unread" not in client.get(reverse("home")).content.decode()


def test_it_lists_only_the_users_own_notifications(client, world):
    note(world.focal_a)
    client.force_login(world.focal_b)
    assert "Nhắc cập nhật" not in client.get(reverse("notifications")).content.decode()
    client.force_login(world.focal_a)
    body = client.get(reverse("notifications")).content.decode()
    assert "Nhắc cập nhật danh sách người lao động" in body
    assert "chưa được cập nhật từ ngày 20/11/2026 (5 ngày)" in body


def test_it_refuses_another_users_notification(client, world):
    other = note(world.focal_a)
    client.force_login(world.focal_b)
    assert client.get(reverse("notification", args=[other.pk])).status_code == 404
    assert client.post(reverse("notification_read", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_it_marks_read_on_post_only(client, world):
    mine = note(world.focal_a)
    client.force_login(world.focal_a)
    assert client.get(reverse("notification_read", args=[mine.pk])).status_code == 405
    assert client.get(reverse("notifications_read_all")).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None
    response = client.post(reverse("notification_read", args=[mine.pk]), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("notifications")
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "data-unread" not in client.get(reverse("home")).content.decode()


def test_it_marks_all_read(client, world):
    note(world.focal_a, "k1")
    note(world.focal_a, "k2")
    theirs = note(world.focal_b, "k1")
    client.force_login(world.focal_a)
    client.post(reverse("notifications_read_all"))
    assert not Notification.objects.filter(user=world.focal_a, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_broadcast_page_is_for_province_roles_only(client, world):
    for persona in ("zone_officer", "focal_a", "worker_ann", "facility_officer"):
        client.force_login(world.personas[persona])
        assert client.get(reverse("broadcast")).status_code == 403
        assert client.post(reverse("broadcast"), {"title": "x", "body": "y", "companies": "all"}).status_code == 403
    assert not Broadcast.objects.exists()
    for persona in ("admin", "health"):
        client.force_login(world.personas[persona])
        assert client.get(reverse("broadcast")).status_code == 200


def test_a_broadcast_reaches_exactly_its_audience(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.health)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("broadcast"),
            {
                "title": "Khẩn: tạm dừng ca đêm",
                "body": "Các doanh nghiệp trong KCN Vân Trung tạm dừng ca đêm từ 02/12/2026.",
                "companies": "chosen",
                "chosen": [world.company_a.pk],
                "workers": "zone",
                "zone": world.zone1.pk,
            },
        )
    assert response.status_code == 302
    broadcast = Broadcast.objects.get()
    reached_users = set(
        Notification.objects.filter(broadcast=broadcast, user__isnull=False).values_list("user", flat=True)
    )
    reached_people = set(
        Notification.objects.filter(broadcast=broadcast, person__isnull=False).values_list("person", flat=True)
    )
    assert reached_users == {world.focal_a.pk}
    assert reached_people == {world.ann.pk, world.binh.pk}  # zone 1's current workers; not Châu, Dung or Hải
    assert (broadcast.users, broadcast.people) == (1, 2)
    client.force_login(world.worker_ann)
    home = client.get(reverse("home")).content.decode()
    assert "Khẩn: tạm dừng ca đêm" in home and "tạm dừng ca đêm từ 02/12/2026" in home
    client.force_login(world.focal_b)  # B's focal point was not chosen
    assert "Khẩn: tạm dừng ca đêm" not in client.get(reverse("notifications")).content.decode()


def test_a_broadcast_without_an_audience_is_refused(client, world):
    client.force_login(world.health)
    response = client.post(reverse("broadcast"), {"title": "T", "body": "B", "companies": "", "workers": ""})
    assert "Hãy chọn người nhận" in response.content.decode()
    response = client.post(reverse("broadcast"), {"title": "T", "body": "B", "companies": "zone", "workers": ""})
    assert "hãy chọn một khu/cụm" in response.content.decode()
    assert not Broadcast.objects.exists()


def test_failed_deliveries_are_shown_to_administrators(client, world):
    notification = note(world.focal_a)
    Delivery.objects.create(
        notification=notification,
        channel="email",
        address="sai@dia-chi",
        state=DeliveryState.FAILED,
        last_error="SMTP [550]",
    )
    client.force_login(world.health)
    assert client.get(reverse("notification_failures")).status_code == 403
    client.force_login(world.admin)
    body = client.get(reverse("notification_failures")).content.decode()
    assert "sai@dia-chi" in body and "SMTP [550]" in body
    assert client.get(reverse("notification_failures_retry")).status_code == 405
    client.post(reverse("notification_failures_retry"))
    assert Delivery.objects.get().state == DeliveryState.PENDING
