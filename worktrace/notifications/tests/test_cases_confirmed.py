"""Trigger 1: contacts confirmed → each company's focal points get only their own people, by inbox and e-mail;
the zone board gets counts per company. Delivered to a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from worktrace.audit.models import Action, AuditEntry
from worktrace.notifications.delivery import deliveries_send
from worktrace.notifications.models import Delivery, DeliveryState, Kind, Notification
from worktrace.notifications.testing import MailSink
from worktrace.notifications.triggers import cases_confirmed
from worktrace.tracing.models import QuarantinePlace
from worktrace.tracing.services import Placement, Selection, investigation_confirm


def cases_confirm(*, user, investigation, person_ids, placement: Placement | None = None):
    chosen = Selection(frozenset(person_ids), placement or Placement())
    return investigation_confirm(user=user, investigation=investigation, selections=[chosen]).created


def confirm(world, investigation, capture, people=None):
    with capture(execute=True):
        return cases_confirm(
            user=world.health,
            investigation=investigation,
            person_ids=[p.pk for p in people or (world.ann, world.binh, world.chau)],
            placement=Placement(QuarantinePlace.FACILITY, world.facility.pk),
        )


def test_it_gives_each_company_only_its_own_people(emails, investigation, smtp, django_capture_on_commit_callbacks):
    world = emails
    confirm(world, investigation, django_capture_on_commit_callbacks)
    inbox_a = Notification.objects.get(user=world.focal_a, kind=Kind.CASES_CONFIRMED)
    inbox_b = Notification.objects.get(user=world.focal_b, kind=Kind.CASES_CONFIRMED)
    assert [p["name"] for p in inbox_a.params["people"]] == ["Nguyễn Thị Ánh"]
    assert [p["name"] for p in inbox_b.params["people"]] == ["Trần Văn Bình"]
    assert inbox_a.params["people"][0] | {"id": 0} == {
        "id": 0,
        "name": "Nguyễn Thị Ánh",
        "code": "A001",
        "workshop": "Phân xưởng May",
        "team": "Tổ 1",
        "level": "F1",
        "place": "facility",
        "starts_on": timezone.localdate().isoformat(),
    }
    mail_a, mail_b = smtp.to("nhansu@anphat.vn"), smtp.to("nhansu@binhminh.vn")
    assert len(mail_a) == len(mail_b) == 1
    text_a = MailSink.text(mail_a[0])
    assert "Nguyễn Thị Ánh" in text_a and "A001" in text_a and "Cách ly tập trung" in text_a
    assert "Trần Văn Bình" not in text_a and "Lê Minh Châu" not in text_a
    assert f"https://worktrace.example.vn/thong-bao/{inbox_a.pk}/" in text_a
    assert "Trần Văn Bình" in MailSink.text(mail_b[0]) and "Nguyễn Thị Ánh" not in MailSink.text(mail_b[0])
    assert not Notification.objects.filter(user__in=[world.worker_ann, world.facility_officer, world.admin]).exists()


def test_it_gives_the_zone_board_counts_per_company(emails, investigation, smtp, django_capture_on_commit_callbacks):
    world = emails
    confirm(world, investigation, django_capture_on_commit_callbacks)
    board = Notification.objects.get(user=world.zone_officer)
    assert board.kind == Kind.CASES_BY_COMPANY
    assert board.params["counts"] == [
        {"company": "Công ty May An Phát", "n": 1, "levels": {"F1": 1}},
        {"company": "Công ty Điện tử Bình Minh", "n": 1, "levels": {"F1": 1}},
    ]  # company C is in zone 2: not this board's
    assert "Nguyễn Thị Ánh" not in str(board.params) and "Lê Minh Châu" not in str(board.params)
    assert board.title == "KCN Vân Trung: 2 người lao động của 2 doanh nghiệp là tiếp xúc gần"
    assert len(smtp.to("bql@kcn1.vn")) == 1


def test_it_retries_after_the_server_refuses_once(emails, investigation, smtp, django_capture_on_commit_callbacks):
    world = emails
    smtp.refuse = 1  # the first message is answered 451
    confirm(world, investigation, django_capture_on_commit_callbacks, people=[world.ann])
    delivery = Delivery.objects.get(address="nhansu@anphat.vn")
    assert (delivery.state, delivery.attempts, smtp.refused) == (DeliveryState.PENDING, 1, 1)
    assert "451" in delivery.last_error and delivery.next_attempt_at > timezone.now()
    assert deliveries_send() == 0  # not due yet: the back-off holds
    later = timezone.now() + dt.timedelta(minutes=2)
    assert deliveries_send(now=lambda: later) == 1
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 2)
    assert len(smtp.to("nhansu@anphat.vn")) == 1
    assert deliveries_send(now=lambda: later) == 0  # a retried task finds nothing left to send
    assert len(smtp.to("nhansu@anphat.vn")) == 1


def test_a_second_trigger_notifies_nobody_twice(emails, investigation, smtp, django_capture_on_commit_callbacks):
    world = emails
    created = confirm(world, investigation, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        cases_confirmed(investigation=investigation, cases=created)  # the same event fired again
    confirm(world, investigation, django_capture_on_commit_callbacks)  # the officer clicks again: no new cases
    assert Notification.objects.filter(user=world.focal_a).count() == 1
    assert Delivery.objects.filter(notification__user=world.focal_a).count() == 1
    assert len(smtp.to("nhansu@anphat.vn")) == 1


def test_a_later_confirmation_is_a_new_event(emails, investigation, smtp, django_capture_on_commit_callbacks):
    world = emails
    confirm(world, investigation, django_capture_on_commit_callbacks, people=[world.ann])
    confirm(world, investigation, django_capture_on_commit_callbacks, people=[world.binh])
    assert Notification.objects.filter(user=world.focal_a).count() == 1
    assert Notification.objects.filter(user=world.focal_b).count() == 1
    assert Notification.objects.filter(user=world.zone_officer).count() == 2


def test_it_audits_every_notification_and_every_mail(emails, investigation, smtp, django_capture_on_commit_callbacks):
    world = emails
    confirm(world, investigation, django_capture_on_commit_callbacks)
    notified = AuditEntry.objects.filter(action=Action.NOTIFY)
    assert sorted(u for e in notified for u in e.detail["users"]) == sorted(
        [world.focal_a.pk, world.focal_b.pk, world.zone_officer.pk]
    )
    assert all(e.object_type == "investigation" and "email" in e.detail["channels"] for e in notified)
    sent = AuditEntry.objects.filter(action=Action.NOTIFICATION_SENT)
    assert sorted(e.detail["address"] for e in sent) == ["bql@kcn1.vn", "nhansu@anphat.vn", "nhansu@binhminh.vn"]
    assert {e.detail["channel"] for e in sent} == {"email"}


def test_a_rolled_back_confirmation_notifies_nobody(emails, investigation, smtp):
    import pytest
    from django.db import transaction

    world = emails
    with pytest.raises(RuntimeError), transaction.atomic():
        cases_confirm(user=world.health, investigation=investigation, person_ids=[world.ann.pk])
        raise RuntimeError
    assert not Notification.objects.exists() and not Delivery.objects.exists()
    assert smtp.messages == []
