"""One row per upload: its status and progress (for background runs), counts, changes and problems."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models import Company


def _storage() -> FileSystemStorage:
    # Uploaded rosters hold personal data: kept under var/, never under a URL.
    return FileSystemStorage(location=settings.VAR_DIR / "rosters")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    APPLIED = "applied", _("Đã áp dụng")
    REFUSED = "refused", _("Bị từ chối")
    FAILED = "failed", _("Lỗi hệ thống")


class ImportRun(models.Model):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, null=True, blank=True, related_name="roster_imports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(_("tệp"), max_length=255)
    file = models.FileField(storage=_storage, upload_to="%Y/%m/", max_length=255, blank=True)
    strict = models.BooleanField(default=False)
    source = models.CharField(max_length=10, default="web")  # web, cli, api
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    created = models.PositiveIntegerField(default=0)
    ended = models.PositiveIntegerField(default=0)
    moved = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    invalid = models.PositiveIntegerField(default=0)
    # {"errors": [...], "warnings": [...], "changes": [...], "near_misses": [...], "message": "..."}
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt nhập danh sách")
        verbose_name_plural = _("lượt nhập danh sách")

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def stale(self) -> bool:
        """Queued or running for over an hour: the process that ran it stopped (its transaction rolled back)."""
        import datetime as dt

        from django.utils import timezone

        running = self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)
        return running and self.created_at < timezone.now() - dt.timedelta(hours=1)

    @property
    def finished(self) -> bool:
        return self.stale or self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING)
