"""Large uploads run in the background so the page answers at once; progress lives on the ImportRun row.

A database-backed queue: the upload is stored and its ImportRun marked queued; a worker claims queued runs
one at a time. The worker is a thread started by the web process after the upload (ROSTER_BACKGROUND_THREAD,
on by default) and/or ``worktrace roster_worker`` run beside the server. The `django-tasks` package was not
adopted in this version (see docs/rosters.md). If a process dies mid-run its transaction rolls back, nothing
is applied, and the run is marked failed once it is stale (``mark_stale``).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from worktrace.rosters.models import ImportRun, ImportStatus

logger = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(hours=1)
_threads: list[threading.Thread] = []  # started here, so that a caller can wait for them


def background_threshold() -> int:
    return int(float(getattr(settings, "ROSTER_BACKGROUND_MB", 1)) * 2**20)


def enqueue(run: ImportRun, *, purpose: str) -> None:
    run.status = ImportStatus.QUEUED
    run.result = {**(run.result or {}), "purpose": purpose}
    run.save(update_fields=["status", "result"])
    if getattr(settings, "ROSTER_BACKGROUND_THREAD", True):
        thread = threading.Thread(target=_work, name=f"roster-import-{run.pk}", daemon=True)
        thread.start()
        _threads[:] = [t for t in _threads if t.is_alive()] + [thread]


def _work() -> None:
    close_old_connections()
    try:
        run_queued()
    finally:
        connection.close()


def run_queued(*, limit: int | None = None) -> int:
    """Claim and run queued uploads, oldest first; returns how many were run."""
    from worktrace.rosters.services import roster_import_run

    mark_stale()
    done = 0
    while limit is None or done < limit:
        run = ImportRun.objects.filter(status=ImportStatus.QUEUED).order_by("created_at", "id").first()
        if run is None:
            break
        # Claimed by whoever flips it from queued to running first: two workers never run one upload twice.
        if not ImportRun.objects.filter(pk=run.pk, status=ImportStatus.QUEUED).update(status=ImportStatus.RUNNING):
            continue
        run.refresh_from_db()
        try:
            roster_import_run(run=run, purpose=(run.result or {}).get("purpose", ""))
        except Exception:  # recorded on the run as failed by roster_import_run; go on with the next one
            logger.exception("background roster import %s failed", run.pk)
        done += 1
    return done


def mark_stale() -> None:
    """Runs left queued or running by a process that stopped: their transaction never committed."""
    ImportRun.objects.filter(
        status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING], created_at__lt=timezone.now() - STALE_AFTER
    ).update(status=ImportStatus.FAILED, finished_at=timezone.now())
