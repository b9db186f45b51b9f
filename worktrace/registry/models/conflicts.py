"""Identity conflicts: a roster row naming a registered citizen ID with another name or birth date.

The row is refused at import; the conflict waits here for an official of the province, who decides: the
same person (link them as the row asked), a typo in the register (correct it, then link), or fraud (note).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models.org import Company
from worktrace.registry.models.people import Person


class ConflictSource(models.TextChoices):
    WORKER = "worker", _("Người lao động")
    DRIVER = "driver", _("Lái xe")
    CO_RESIDENT = "co_resident", _("Người ở cùng")


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    LINKED = "linked", _("Cùng một người: đã liên kết")
    CORRECTED = "corrected", _("Sổ ghi sai: đã sửa và liên kết")
    FRAUD = "fraud", _("Khai gian: đã ghi nhận")


class IdentityConflictQuerySet(models.QuerySet["IdentityConflict"]):
    def open(self) -> IdentityConflictQuerySet:
        return self.filter(status=ConflictStatus.OPEN)


class IdentityConflict(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="identity_conflicts", verbose_name=_("người đã đăng ký")
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="identity_conflicts", verbose_name=_("doanh nghiệp")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The roster upload (rosters.ImportRun) when there was one; an id, not a key, so the register does not
    # depend on the rosters app.
    import_run_id = models.PositiveBigIntegerField(null=True, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    source = models.CharField(_("trang"), max_length=12, choices=ConflictSource.choices)
    sheet = models.CharField(max_length=60)
    row = models.PositiveIntegerField(_("dòng"))
    declared = models.JSONField(_("thông tin khai trong tệp"))
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN, db_index=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = IdentityConflictQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("xung đột danh tính")
        verbose_name_plural = _("xung đột danh tính")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.sheet}:{self.row}"

    # What the refused row said, whichever sheet it came from (the driver columns are named apart).
    @property
    def declared_name(self) -> str:
        return self.declared.get("full_name") or self.declared.get("driver_name") or ""

    @property
    def declared_national_id(self) -> str:
        return self.declared.get("national_id") or self.declared.get("driver_id") or ""

    @property
    def declared_birth(self) -> str:
        if self.declared.get("birth_date"):
            return dt.date.fromisoformat(self.declared["birth_date"]).strftime("%d/%m/%Y")
        return str(self.declared.get("birth_year") or "")

    @property
    def declared_code(self) -> str:
        return self.declared.get("worker_code") or ""
