"""Notifications (the in-app inbox), their deliveries by e-mail and SMS, and broadcasts.

A ``Notification`` is one message to one recipient — a user (resolved from a role on a scope) or a person (a
worker, reached on their page and by phone). Its ``dedup_key`` names the event: the same event never notifies
the same recipient twice, whatever the trigger does (two unique constraints). A ``Delivery`` is one message
to send outside the app (e-mail, SMS): a row with a state, claimed by one worker at a time, so nothing is lost
when a worker dies and nothing is sent twice (docs/architecture.md, "Notifications").
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models import Person


class Kind(models.TextChoices):
    CASES_CONFIRMED = "cases_confirmed", _("Người lao động được xác nhận F1/F2")
    CASES_BY_COMPANY = "cases_by_company", _("Số ca theo doanh nghiệp")
    POSITIVE_TEST = "positive_test", _("Kết quả xét nghiệm dương tính")
    BROADCAST = "broadcast", _("Thông báo của cơ quan chức năng")
    ROSTER_STALE = "roster_stale", _("Nhắc cập nhật danh sách")
    ROSTER_DIGEST = "roster_digest", _("Tổng hợp cập nhật danh sách")


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi thất bại")


class Broadcast(models.Model):
    """A message of a province administrator or health officer to companies and/or workers (trigger 3)."""

    title = models.CharField(_("tiêu đề"), max_length=120)
    body = models.TextField(_("nội dung"), max_length=1000)
    audience = models.JSONField(_("người nhận"), default=dict)  # the form's choices, as sent
    users = models.PositiveIntegerField(default=0)  # company accounts reached
    people = models.PositiveIntegerField(default=0)  # workers reached
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo chung")
        verbose_name_plural = _("thông báo chung")

    def __str__(self) -> str:
        return self.title


class Notification(models.Model):
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    dedup_key = models.CharField(max_length=200)
    # One of the two is set: an account, or a person reached on their own page.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications")
    # What the template of the kind is filled with (kinds.py), already limited to the recipient's scope.
    params = models.JSONField(default=dict)
    link = models.CharField(_("liên kết"), max_length=300, blank=True)
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("lúc"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key", "user"], condition=Q(user__isnull=False), name="notification_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["dedup_key", "person"], condition=Q(person__isnull=False), name="notification_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True, person__isnull=False) | Q(user__isnull=False, person__isnull=True),
                name="notification_one_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            models.Index(fields=["person", "created_at"], name="notification_person_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def title(self) -> str:
        from worktrace.notifications.kinds import render_title

        return render_title(self)

    @property
    def body(self) -> str:
        from worktrace.notifications.kinds import render_body

        return render_body(self)


# Back-off between attempts: 1, 2, 4, 8 minutes … then the delivery fails for good at MAX_ATTEMPTS.
MAX_ATTEMPTS = 6
BACKOFF_BASE = dt.timedelta(minutes=1)
# A delivery claimed longer ago than this by a worker that never finished it is given back to the queue.
CLAIM_TIMEOUT = dt.timedelta(minutes=5)


class Delivery(models.Model):
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("kênh"), max_length=5, choices=Channel.choices)
    address = models.CharField(_("địa chỉ"), max_length=254)
    # Sent to the SMTP server (Message-ID) and the SMS gateway, so that a resend after a crash is recognised.
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    state = models.CharField(_("trạng thái"), max_length=8, choices=DeliveryState.choices, default="pending")
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    last_error = models.CharField(_("lỗi"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt gửi")
        verbose_name_plural = _("lượt gửi")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address} ({self.get_state_display()})"

    def backoff(self) -> dt.timedelta:
        return BACKOFF_BASE * (2 ** max(self.attempts - 1, 0))


def due_deliveries(now: dt.datetime | None = None) -> models.QuerySet[Delivery]:
    return Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now or timezone.now())


def stale_claims(now: dt.datetime | None = None) -> models.QuerySet[Delivery]:
    return Delivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=(now or timezone.now()) - CLAIM_TIMEOUT)
