"""One row per import, whatever its source: status and progress, counts, changes and problems.

``ImportRun`` owns its lifecycle: ``start`` (claimed by one worker), ``finish`` (applied or refused),
``fail`` (an error of ours, or a worker that died), ``is_stale`` (a worker that stopped without finishing).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models import Company


def _storage() -> FileSystemStorage:
    # Uploaded rosters hold personal data: kept under var/, never under a URL.
    return FileSystemStorage(location=settings.VAR_DIR / "rosters")


# A run whose worker gives no sign of life for this long is stale, even when the worker's host cannot be checked.
STALE_AFTER = dt.timedelta(hours=1)
E_WORKER_DIED = _("Tiến trình xử lý bị dừng giữa chừng; không áp dụng gì. Hãy tải lên lại.")


def this_worker() -> str:
    """``host:pid`` of the running process, recorded on the runs it starts."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _worker_alive(worker: str) -> bool | None:
    """Whether the process named ``host:pid`` still runs; None when it runs on another host (cannot tell)."""
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, under another user
        return True
    # A killed worker stays a zombie until its consumer reaps it (huey checks every 10 s): dead all the same.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (not Linux): the signal answered, take it as alive
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


class ImportSource(models.TextChoices):
    WEB = "web", _("Trang web")
    CLI = "cli", _("Dòng lệnh")
    API = "api", _("API")
    BENCH = "bench", _("Đo hiệu năng")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    APPLIED = "applied", _("Đã áp dụng")
    REFUSED = "refused", _("Bị từ chối")
    FAILED = "failed", _("Lỗi hệ thống")
    PREVIEWED = "previewed", _("Chờ xác nhận")  # checked, the difference shown; nothing applied yet
    UNDONE = "undone", _("Đã hoàn tác")  # applied, then reversed (as history: nothing deleted)


class ImportMode(models.TextChoices):
    """What the queue does with a run: check and show the difference, or apply it (one step or confirmed)."""

    PREVIEW = "preview", _("Xem trước")
    APPLY = "apply", _("Áp dụng")


class ImportRun(models.Model):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, null=True, blank=True, related_name="roster_imports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # last progress report of the worker
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(_("tệp"), max_length=255)
    file = models.FileField(storage=_storage, upload_to="%Y/%m/", max_length=255, blank=True)
    strict = models.BooleanField(default=False)
    source = models.CharField(_("nguồn"), max_length=10, choices=ImportSource.choices, default=ImportSource.WEB)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    mode = models.CharField(max_length=10, choices=ImportMode.choices, default=ImportMode.APPLY)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    worker = models.CharField(max_length=100, blank=True)  # host:pid of the process running it
    attempts = models.PositiveSmallIntegerField(default=0)
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

    def start(self, *, worker: str | None = None) -> bool:
        """Claim a queued run for this process; False when another worker has it or it is no longer queued.

        The claim is one conditional UPDATE, so two workers handed the same run never both run it.
        """
        now = timezone.now()
        fields = {
            "status": ImportStatus.RUNNING,
            "started_at": now,
            "heartbeat_at": now,
            "worker": worker or this_worker(),
        }
        claimed = ImportRun.objects.filter(pk=self.pk, status=ImportStatus.QUEUED).update(
            attempts=F("attempts") + 1, **fields
        )
        self.refresh_from_db()
        return bool(claimed)

    def report_progress(self, percent: int) -> None:
        """Progress doubles as the worker's heartbeat (see ``is_stale``)."""
        ImportRun.objects.filter(pk=self.pk).update(progress=percent, heartbeat_at=timezone.now())

    def finish(
        self,
        *,
        applied: bool,
        counts: dict[str, int],
        result: dict[str, Any],
        keep_file: bool = True,
        previewed: bool = False,
    ) -> None:
        """Applied, previewed (checked, waiting for confirmation) or refused; a file never read is deleted at once."""
        if previewed:
            self.status = ImportStatus.PREVIEWED
        else:
            self.status = ImportStatus.APPLIED if applied else ImportStatus.REFUSED
        self.progress = 100
        self.finished_at = timezone.now()
        for name, value in counts.items():
            setattr(self, name, value)
        self.result = result
        if not keep_file:
            self.delete_file()
        self.save()

    def fail(self, message: str | Promise = "") -> None:
        """Not the file's fault: an error of ours, or a worker that stopped. Nothing was applied."""
        self.status = ImportStatus.FAILED
        self.finished_at = timezone.now()
        self.result = {**(self.result or {}), "message": str(message or E_WORKER_DIED)}
        self.save(update_fields=["status", "finished_at", "result"])

    def requeue(self) -> bool:
        """Put a stale run back in the queue (its transaction rolled back: nothing was applied)."""
        return bool(
            ImportRun.objects.filter(pk=self.pk, status=self.status, worker=self.worker).update(
                status=ImportStatus.QUEUED, progress=0, worker="", heartbeat_at=None
            )
        )

    def is_stale(self, now: dt.datetime | None = None) -> bool:
        """Queued or running, but nobody is working on it any more.

        Running: its worker process is gone (same host), or gave no sign of life for STALE_AFTER. Queued: not
        started within STALE_AFTER (the queue lost its message, or no worker has run since).
        """
        now = now or timezone.now()
        if self.status == ImportStatus.RUNNING:
            if self.worker and _worker_alive(self.worker) is False:
                return True
            return (self.heartbeat_at or self.started_at or self.created_at) < now - STALE_AFTER
        if self.status == ImportStatus.QUEUED:
            return self.created_at < now - STALE_AFTER
        return False

    @property
    def stale(self) -> bool:
        return self.is_stale()

    @property
    def finished(self) -> bool:
        return self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING) or self.is_stale()

    def delete_file(self) -> None:
        """The uploaded workbook holds personal data: removed once it is no longer needed (retention)."""
        if self.file:
            self.file.delete(save=False)
