"""Investigations (a trace with its parameters and a snapshot of its result) and case statuses."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models import Facility, Person


class Investigation(models.Model):
    index_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="investigations", verbose_name=_("ca bệnh chỉ điểm (F0)")
    )
    reference_date = models.DateField(_("ngày tham chiếu"), help_text=_("ngày khởi phát hoặc ngày lấy mẫu"))
    lookback_days = models.PositiveSmallIntegerField(_("số ngày truy ngược"), default=2)
    isolated_on = models.DateField(_("ngày cách ly F0"), null=True, blank=True)
    close_kinds = models.JSONField(_("quan hệ tính là tiếp xúc gần"), default=list)
    depth = models.PositiveSmallIntegerField(_("số tầng"), default=2)
    min_overlap_minutes = models.PositiveSmallIntegerField(_("thời gian ở cùng địa điểm tối thiểu (phút)"), default=15)
    window_start = models.DateTimeField(_("đầu khoảng phơi nhiễm"))
    window_end = models.DateTimeField(_("cuối khoảng phơi nhiễm"))
    purpose = models.CharField(_("mục đích"), max_length=300, blank=True)
    # The result as it was when saved (the JSON of `worktrace trace --json` plus person ids): later roster changes
    # never rewrite what an officer acted on.
    snapshot = models.JSONField(_("kết quả đã lưu"), default=dict)
    # People proposed per level label ("F1", "F2", "Theo dõi"), counted once when saved, so the list of
    # investigations never reads the snapshots (hundreds of contacts each).
    counts = models.JSONField(_("số người theo tầng"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("cuộc điều tra")
        verbose_name_plural = _("cuộc điều tra")

    def __str__(self) -> str:
        return f"#{self.pk} {self.index_person} {self.reference_date:%d/%m/%Y}"


class TraceChannel(models.TextChoices):
    """Where a trace was asked from (the ``channel`` of its audit entry)."""

    WEB = "web", _("Trang web")
    API = "api", _("API")
    CLI = "cli", _("Dòng lệnh")


class TraceRecord(models.Model):
    """One trace result as the officer saw it on the page, kept a short while (``KEPT_FOR`` in services.py).

    Export, print and "save as an investigation" read this record by its key instead of running the engine again,
    so they hold exactly what was on screen even if rosters changed in between, and a trace is audited once.
    """

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    index_person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    purpose = models.CharField(max_length=300, blank=True)
    params = models.JSONField(default=dict)  # TraceParams.as_dict()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    document = models.JSONField(default=dict)  # trace_document(..., with_ids=True)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = _("kết quả truy vết tạm")
        verbose_name_plural = _("kết quả truy vết tạm")

    def __str__(self) -> str:
        return f"{self.key} {self.index_person_id}"


class CaseLevel(models.TextChoices):
    """What an officer confirms: the index case, a level the trace proposed (up to params.MAX_DEPTH), or cleared."""

    F0 = "F0", "F0"
    F1 = "F1", "F1"
    F2 = "F2", "F2"
    F3 = "F3", "F3"
    F4 = "F4", "F4"
    F5 = "F5", "F5"
    CLEARED = "cleared", _("Đã loại trừ")


class QuarantinePlace(models.TextChoices):
    HOME = "home", _("Cách ly tại nhà")
    FACILITY = "facility", _("Cách ly tập trung")
    HOSPITAL = "hospital", _("Bệnh viện")


class CaseStatusQuerySet(models.QuerySet["CaseStatus"]):
    def current(self) -> CaseStatusQuerySet:
        """The newest row of each person in each investigation (earlier rows are history)."""
        newer = CaseStatus.objects.filter(
            investigation_id=models.OuterRef("investigation_id"),
            person_id=models.OuterRef("person_id"),
            pk__gt=models.OuterRef("pk"),
        )
        return self.filter(~models.Exists(newer))


class CaseStatus(models.Model):
    """What an officer confirmed for one person in one investigation: tracing proposes, an officer decides.

    History, never overwritten: a confirmation that changes a person's place or start adds a row, and the newest
    row of a person in an investigation is their current status (``CaseStatusQuerySet.current``). Confirming
    again what is already current adds nothing (services.investigation_confirm).
    """

    investigation = models.ForeignKey(Investigation, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_statuses")
    level = models.CharField(_("phân loại"), max_length=8, choices=CaseLevel.choices)
    quarantine_place = models.CharField(_("nơi cách ly"), max_length=10, choices=QuarantinePlace.choices, blank=True)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("cơ sở cách ly"),
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người xác nhận")
    )
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), auto_now_add=True)

    objects = CaseStatusQuerySet.as_manager()

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        verbose_name = _("phân loại ca")
        verbose_name_plural = _("phân loại ca")
        indexes = [models.Index(fields=["investigation", "person", "-id"], name="case_status_latest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(facility__isnull=True) | models.Q(quarantine_place="facility"),
                name="case_status_facility_only_for_facility",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.level}"

    @property
    def place_label(self) -> str:
        """ "Cách ly tập trung · <facility>", "Cách ly tại nhà", … or "" when no place was set."""
        label = str(self.get_quarantine_place_display()) if self.quarantine_place else ""
        return f"{label} · {self.facility}" if self.facility_id else label
