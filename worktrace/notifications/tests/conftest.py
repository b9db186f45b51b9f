"""Fixtures of the notification tests: a real SMTP server and SMS gateway on loopback, configured in settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from worktrace.notifications.testing import sms_gateway, smtp_server


@pytest.fixture
def smtp(settings):
    with smtp_server() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        settings.EMAIL_TIMEOUT = 5
        settings.NOTIFY_EMAIL = True
        settings.SITE_URL = "https://worktrace.example.vn"
        yield sink


@pytest.fixture
def gateway(settings):
    with sms_gateway() as gw:
        settings.SMS_GATEWAY_URL = gw.url
        settings.SMS_GATEWAY_TOKEN = "bi-mat"
        yield gw


@pytest.fixture
def emails(world):
    """The focal points and the zone board have e-mail addresses (the world's accounts have none)."""
    for user, address in (
        (world.focal_a, "nhansu@anphat.vn"),
        (world.focal_b, "nhansu@binhminh.vn"),
        (world.zone_officer, "bql@kcn1.vn"),
        (world.health, "cdc@soyte.vn"),
    ):
        user.email = address
        user.save(update_fields=["email"])
    return world


@pytest.fixture
def investigation(world):
    """A health officer's saved trace from Hải (A's bus driver) with Ánh (A), Bình (B) and Châu (C) as close F1."""
    from worktrace.tracing.models import Investigation

    now = timezone.now()
    contacts = [
        {"id": p.pk, "name": p.full_name, "level": 1, "close": True} for p in (world.ann, world.binh, world.chau)
    ]
    return Investigation.objects.create(
        index_person=world.hai,
        reference_date=now.date(),
        window_start=now - dt.timedelta(days=2),
        window_end=now,
        created_by=world.health,
        snapshot={"contacts": contacts},
    )
