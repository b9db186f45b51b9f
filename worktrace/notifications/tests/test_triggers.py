"""Triggers 2 and 4: a positive test recorded by a roster alerts the health officers; stale rosters are reminded
and each zone board gets its daily digest."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from worktrace.notifications.models import Kind, Notification
from worktrace.notifications.triggers import positive_tests_recorded, rosters_freshness_remind
from worktrace.rosters.models import ImportRun, ImportStatus


def test_a_positive_test_in_a_roster_alerts_the_health_officers(world):
    from worktrace.rosters.tests.test_declarations import upload_a

    upload_a(last_test_on="20/11/2026", test_result="Dương tính")
    alert = Notification.objects.get(kind=Kind.POSITIVE_TEST)
    assert alert.user == world.health  # the province administrator is not a health officer
    assert alert.link == reverse("trace", kwargs={"person_id": world.ann.pk})
    assert alert.title == "Kết quả dương tính: Nguyễn Thị Ánh"
    assert "mẫu lấy ngày 20/11/2026 (do Công ty May An Phát khai báo)" in alert.body
    upload_a(last_test_on="20/11/2026", test_result="Dương tính")  # the same result uploaded again
    assert Notification.objects.filter(kind=Kind.POSITIVE_TEST).count() == 1


def test_a_negative_test_alerts_nobody(world):
    from worktrace.rosters.tests.test_declarations import upload_a

    upload_a(last_test_on="20/11/2026", test_result="Âm tính")
    assert not Notification.objects.exists()


def test_a_result_recorded_by_an_official_says_so(world):
    positive_tests_recorded(tests=[(world.binh.pk, dt.date(2026, 11, 21))])
    alert = Notification.objects.get()
    assert "(cơ quan y tế ghi nhận)" in alert.body


def applied(company, days_ago):
    run = ImportRun.objects.create(company=company, filename="x.xlsx", status=ImportStatus.APPLIED)
    ImportRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - dt.timedelta(days=days_ago))


def test_it_reminds_stale_companies_once_and_digests_daily(world):
    applied(world.company_a, days_ago=5)
    applied(world.company_b, days_ago=3)  # three days: still fresh today
    applied(world.company_c, days_ago=0)
    today = timezone.localdate()
    assert rosters_freshness_remind(today=today) == (1, 1)
    reminder = Notification.objects.get(kind=Kind.ROSTER_STALE)
    assert reminder.user == world.focal_a
    assert "(5 ngày)" in reminder.body and reminder.link == reverse("rosters")
    digest = Notification.objects.get(kind=Kind.ROSTER_DIGEST)
    assert digest.user == world.zone_officer
    assert digest.params["stale"] == [
        {"company": "Công ty May An Phát", "since": (today - dt.timedelta(days=5)).isoformat()}
    ]
    assert rosters_freshness_remind(today=today) == (0, 0)  # the task ran twice: nobody hears twice
    assert rosters_freshness_remind(today=today + dt.timedelta(days=1)) == (1, 1)  # B is stale now; a new digest
    assert Notification.objects.filter(kind=Kind.ROSTER_STALE, user=world.focal_a).count() == 1
    assert Notification.objects.filter(kind=Kind.ROSTER_DIGEST).count() == 2
