"""Sending deliveries: claim due rows, send each by its channel, record the outcome.

The state lives on the row, not in the queue (docs/architecture.md, "Background work"): a batch is claimed in one
short transaction (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers take different rows;
SQLite has one writer at a time anyway), marked ``sending`` with this worker's name, then sent outside any
transaction. Sent → ``sent``; refused for now (SMTP 4xx, HTTP 5xx/429, no connection) → back to ``pending``
after a back-off, until ``MAX_ATTEMPTS``; refused for good (SMTP 5xx, HTTP 4xx) → ``failed``, listed for province
administrators. A worker that dies leaves its rows ``sending``: the sweep gives them back after
``CLAIM_TIMEOUT``. The only window for a second copy is a worker killed after the server accepted a message and
before the row said so; the resend carries the same Message-ID (e-mail) or ``id`` (SMS gateway) so the far end
can recognise it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import smtplib
import threading
import urllib.error
import urllib.request
from base64 import b64encode
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from worktrace.accounts.masking import mask_phone
from worktrace.audit.models import Action, AuditEntry
from worktrace.notifications.kinds import people_rows
from worktrace.notifications.models import (
    MAX_ATTEMPTS,
    Channel,
    Delivery,
    DeliveryState,
    due_deliveries,
    stale_claims,
)
from worktrace.rosters.models import this_worker

logger = logging.getLogger(__name__)
BATCH = 200


class Refused(Exception):
    """The server refused the message; ``permanent`` says whether trying again can help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def deliveries_claim(*, limit: int = BATCH, now: dt.datetime | None = None) -> list[Delivery]:
    """Take up to ``limit`` due deliveries for this worker; another worker never gets the same rows."""
    now = now or timezone.now()
    worker = f"{this_worker()}/{threading.get_ident()}"  # thread workers share a process
    with transaction.atomic():
        due = due_deliveries(now).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, state=DeliveryState.PENDING).update(
            state=DeliveryState.SENDING, claimed_at=now, worker=worker, attempts=F("attempts") + 1
        )
    claimed = Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENDING, worker=worker, claimed_at=now)
    return list(claimed.select_related("notification", "notification__broadcast").order_by("pk"))


def deliveries_send(*, limit: int = BATCH, now: Callable[[], dt.datetime] = timezone.now) -> int:
    """Send due deliveries until none is left; returns how many were sent. Safe to run in several workers."""
    sent = 0
    while batch := deliveries_claim(limit=limit, now=now()):
        sent += _send_batch(batch, now)
    return sent


def deliveries_requeue_stale(now: dt.datetime | None = None) -> int:
    """Give back the rows of workers that died mid-delivery; returns how many."""
    return stale_claims(now).update(state=DeliveryState.PENDING, worker="", claimed_at=None)


def deliveries_retry_failed(*, ids: list[int] | None = None) -> int:
    """An administrator's "send again" for deliveries that failed for good (the address was corrected, say)."""
    failed = Delivery.objects.filter(state=DeliveryState.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    count = failed.update(state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
    if count:
        transaction.on_commit(_enqueue)
    return count


def _enqueue(delay: float | None = None) -> None:
    from worktrace.notifications.tasks import deliveries_task

    if delay:
        deliveries_task.schedule(delay=delay)
    else:
        deliveries_task()


def _send_batch(batch: list[Delivery], now: Callable[[], dt.datetime]) -> int:
    sent: list[Delivery] = []
    mail = None
    try:
        for delivery in batch:
            try:
                if delivery.channel == Channel.EMAIL:
                    if mail is None:
                        mail = get_connection(fail_silently=False)
                        mail.open()
                    _send_email(delivery, mail)
                else:
                    _send_sms(delivery)
            except Refused as exc:
                if mail is not None and not exc.permanent:
                    mail.close()  # the connection may be broken: a fresh one for the next message
                    mail = None
                _refused(delivery, exc, now())
            else:
                Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING, worker=delivery.worker).update(
                    state=DeliveryState.SENT, sent_at=now(), last_error=""
                )
                sent.append(delivery)
    finally:
        if mail is not None:
            mail.close()
    _audit_sent(sent)
    return len(sent)


def _refused(delivery: Delivery, exc: Refused, now: dt.datetime) -> None:
    error = str(exc)[:500]
    mine = Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING, worker=delivery.worker)
    if exc.permanent or delivery.attempts >= MAX_ATTEMPTS:
        logger.warning("delivery %s failed for good: %s", delivery.pk, error)
        mine.update(state=DeliveryState.FAILED, last_error=error)
        return
    backoff = delivery.backoff()
    mine.update(state=DeliveryState.PENDING, next_attempt_at=now + backoff, worker="", last_error=error)
    _enqueue(delay=backoff.total_seconds())


def _message(delivery: Delivery) -> dict[str, Any]:
    notification = delivery.notification
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "title": notification.title,
            "body": notification.body,
            "people": people_rows(notification),
            "url": settings.SITE_URL.rstrip("/") + notification_path(notification),
        }
        text = render_to_string("notifications/email.txt", context)
    return {"subject": context["title"], "text": text, "url": context["url"], "body": context["body"]}


def notification_path(notification: Any) -> str:
    from django.urls import reverse

    return notification.link or reverse("notification", kwargs={"notification_id": notification.pk})


def _send_email(delivery: Delivery, mail: Any) -> None:
    message = _message(delivery)
    email = EmailMessage(
        subject=message["subject"],
        body=message["text"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.address],
        headers={"Message-ID": f"<{delivery.key}@worktrace>"},
        connection=mail,
    )
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _msg in exc.recipients.values()]
        raise Refused(f"SMTP {codes}", permanent=all(code >= 500 for code in codes)) from exc
    except smtplib.SMTPResponseException as exc:
        raise Refused(f"SMTP {exc.smtp_code} {exc.smtp_error!r}", permanent=exc.smtp_code >= 500) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise Refused(f"SMTP {exc.__class__.__name__}: {exc}", permanent=False) from exc


def _send_sms(delivery: Delivery) -> None:
    """POST the message to the gateway (the contract: docs/configuration.md, "SMS gateway")."""
    message = _message(delivery)
    text = f"{message['subject']}: {message['body']}"[: settings.SMS_MAX_LENGTH]
    payload = {"id": str(delivery.key), "to": delivery.address, "text": text}
    if settings.SMS_SENDER:
        payload["sender"] = settings.SMS_SENDER
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if settings.SMS_GATEWAY_TOKEN:
        headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
    elif settings.SMS_GATEWAY_USER:
        pair = f"{settings.SMS_GATEWAY_USER}:{settings.SMS_GATEWAY_PASSWORD or ''}".encode()
        headers["Authorization"] = f"Basic {b64encode(pair).decode()}"
    request = urllib.request.Request(
        settings.SMS_GATEWAY_URL, data=json.dumps(payload).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        permanent = 400 <= exc.code < 500 and exc.code not in (408, 409, 425, 429)
        raise Refused(f"HTTP {exc.code}", permanent=permanent) from exc
    except (urllib.error.URLError, OSError) as exc:  # TimeoutError is an OSError
        raise Refused(f"SMS {exc.__class__.__name__}: {exc}", permanent=False) from exc


def _audit_sent(sent: list[Delivery]) -> None:
    """One audit entry per message that left the system: to whom, by which channel (bulk: one INSERT)."""
    if not sent:
        return
    entries = []
    for delivery in sent:
        notification = delivery.notification
        address = mask_phone(delivery.address) if delivery.channel == Channel.SMS else delivery.address
        entries.append(
            AuditEntry(
                username="he-thong",
                action=Action.NOTIFICATION_SENT,
                object_type="notification",
                object_id=str(notification.pk),
                object_repr=f"{notification.get_kind_display()}"[:300],
                detail={
                    "channel": delivery.channel,
                    "address": address,
                    "delivery": delivery.pk,
                    "recipient": (
                        {"user": notification.user_id} if notification.user_id else {"person": notification.person_id}
                    ),
                    "attempt": delivery.attempts,
                },
            )
        )
    AuditEntry.objects.bulk_create(entries)
