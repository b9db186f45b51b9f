"""Background work of the rosters app, on the huey task queue (docs/architecture.md, "Background work").

``roster_import_task`` runs one stored upload; the consumer's worker count bounds how many run at once.
Two periodic tasks keep the queue honest: ``roster_sweep`` finds runs whose worker died (a killed process
leaves its run "running" and its transaction rolled back) and retries them once, else marks them failed;
``roster_purge_files`` deletes uploaded workbooks of finished runs after ROSTER_FILE_RETENTION_DAYS.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from worktrace.rosters.models import ImportRun, ImportStatus

logger = logging.getLogger(__name__)
# A run is tried this many times: a file that kills its worker (out of memory, say) is not retried forever.
MAX_ATTEMPTS = 2


@db_task()
def roster_import_task(run_id: int) -> None:
    from worktrace.rosters.services import roster_import_run

    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None or not run.start():
        return  # already taken by another worker, or finished: a duplicate message does nothing
    try:
        roster_import_run(run=run, purpose=(run.result or {}).get("purpose", ""))
    except Exception:  # recorded on the run as failed by roster_import_run; the worker goes on
        logger.exception("background roster import %s failed", run_id)


def roster_enqueue(run: ImportRun, *, purpose: str | None = None) -> None:
    """Queue a stored upload (the purpose is kept on the run for a retry); immediate mode runs it at once."""
    if purpose is not None:
        run.result = {**(run.result or {}), "purpose": str(purpose)}
        ImportRun.objects.filter(pk=run.pk).update(result=run.result)
    roster_import_task(run.pk)


@db_periodic_task(crontab(minute="*"))
def roster_sweep() -> None:
    roster_sweep_stale()


def roster_sweep_stale(now: dt.datetime | None = None) -> tuple[int, int]:
    """Retry or fail the runs nobody is working on any more; returns (retried, failed)."""
    retried = failed = 0
    for run in ImportRun.objects.filter(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).order_by("pk"):
        if not run.is_stale(now):
            continue
        was_running = run.status == ImportStatus.RUNNING
        if was_running and run.attempts < MAX_ATTEMPTS and run.file and run.requeue():
            logger.warning("roster import %s: worker %s stopped, retrying", run.pk, run.worker)
            roster_enqueue(run)
            retried += 1
        else:
            logger.warning("roster import %s: never finished, marked failed", run.pk)
            run.fail()
            failed += 1
    return retried, failed


@db_periodic_task(crontab(minute="7"))
def roster_purge() -> None:
    roster_purge_files()


def roster_purge_files(now: dt.datetime | None = None) -> int:
    """Delete the uploaded files of runs finished more than ROSTER_FILE_RETENTION_DAYS ago; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.ROSTER_FILE_RETENTION_DAYS)
    done = 0
    old = ImportRun.objects.exclude(file="").filter(finished_at__lt=cutoff)
    for run in old.exclude(status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]).only("pk", "file"):
        run.delete_file()
        ImportRun.objects.filter(pk=run.pk).update(file="")
        done += 1
    return done
