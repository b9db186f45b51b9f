"""Delivery against real servers on loopback: SMS through a local HTTP gateway, a worker that dies mid-delivery,
permanent refusals, and nothing sent twice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from worktrace.notifications.delivery import deliveries_claim, deliveries_requeue_stale, deliveries_send
from worktrace.notifications.models import Channel, Delivery, DeliveryState, Kind
from worktrace.notifications.services import notify
from worktrace.notifications.triggers import audience_resolve, broadcast_send
from worktrace.registry.models import Company


def later(minutes: int):
    moment = timezone.now() + dt.timedelta(minutes=minutes)
    return lambda: moment


def stale_reminder(world, key="k"):
    return notify(
        kind=Kind.ROSTER_STALE,
        dedup_key=key,
        params={"company": world.company_a.name, "since": "2026-11-20", "days": 5},
        users=[world.focal_a],
    )


def test_a_broadcast_texts_workers_through_the_gateway(world, gateway, django_capture_on_commit_callbacks):
    gateway.refuse = 1  # the gateway answers 503 once
    companies, people = audience_resolve(
        companies="", workers="chosen", chosen=Company.objects.filter(pk=world.company_a.pk)
    )
    with django_capture_on_commit_callbacks(execute=True):
        broadcast, sent = broadcast_send(
            by=world.health, title="Khẩn", body="Tạm dừng ca đêm.", companies=companies, people=people, sms=True
        )
    assert (sent.users, sent.people, sent.deliveries) == (0, 1, 1)
    delivery = Delivery.objects.get()
    assert (delivery.channel, delivery.address, delivery.state) == (Channel.SMS, "0912000111", DeliveryState.PENDING)
    assert "HTTP 503" in delivery.last_error
    assert deliveries_send(now=later(2)) == 1
    assert deliveries_send(now=later(10)) == 0
    assert len(gateway.received) == 1
    payload = gateway.received[0]
    assert payload == {"id": str(delivery.key), "to": "0912000111", "text": "Khẩn: Tạm dừng ca đêm."}
    assert gateway.headers[0]["Authorization"] == "Bearer bi-mat"
    assert broadcast.people == 1


def test_sms_is_not_sent_when_no_gateway_is_configured(world, settings):
    settings.SMS_GATEWAY_URL = ""
    _companies, people = audience_resolve(companies="", workers="all")
    _broadcast, sent = broadcast_send(
        by=world.health, title="T", body="B", companies=Company.objects.none(), people=people, sms=True
    )
    assert (sent.people, sent.deliveries) == (3, 0)


def test_a_permanent_refusal_fails_at_once(world, gateway, django_capture_on_commit_callbacks):
    gateway.refuse, gateway.refuse_status = 1, 400
    world.focal_a.phone = "0987654321"
    world.focal_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind=Kind.POSITIVE_TEST,
            dedup_key="p",
            params={"name": "X", "sampled_on": "2026-11-30", "source_company": ""},
            users=[world.focal_a],
        )
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.FAILED, 1, "HTTP 400")
    assert deliveries_send(now=later(60)) == 0 and gateway.received == []


def test_it_gives_up_after_the_last_attempt(world, smtp, django_capture_on_commit_callbacks):
    from worktrace.notifications.models import MAX_ATTEMPTS

    world.focal_a.email = "a@example.vn"
    world.focal_a.save()
    smtp.refuse = MAX_ATTEMPTS
    with django_capture_on_commit_callbacks(execute=True):
        stale_reminder(world)
    for minutes in range(1, 200, 30):
        deliveries_send(now=later(minutes))
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, MAX_ATTEMPTS)
    assert smtp.messages == []


def test_a_worker_that_dies_mid_delivery_loses_nothing(world, smtp):
    world.focal_a.email = "a@example.vn"
    world.focal_a.save()
    stale_reminder(world)  # no on-commit here: the queue never got its message either
    claimed = deliveries_claim()  # a worker claims the row, then is killed before sending
    assert [d.state for d in claimed] == [DeliveryState.SENDING]
    assert deliveries_send() == 0  # another worker does not take a row that is being sent
    assert deliveries_requeue_stale() == 0  # not yet abandoned
    assert deliveries_requeue_stale(timezone.now() + dt.timedelta(minutes=6)) == 1  # the sweep gives it back
    assert deliveries_send() == 1
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["Message-ID"] == f"<{claimed[0].key}@worktrace>"
    assert deliveries_send(now=later(30)) == 0 and len(smtp.messages) == 1


def test_the_sweep_task_sends_what_no_task_was_queued_for(world, smtp):
    from worktrace.notifications.tasks import notifications_sweep

    world.focal_a.email = "a@example.vn"
    world.focal_a.save()
    stale_reminder(world)
    notifications_sweep.call_local()
    assert len(smtp.to("a@example.vn")) == 1
