"""Background work of the tracing app, on the huey task queue (docs/architecture.md, "Background work").

``trace_purge`` deletes the page results kept past ``services.KEPT_FOR`` every hour: they list people's names
and contacts, and without it they would stay until the next officer runs a trace.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from worktrace.tracing.services import trace_records_purge

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="17"))
def trace_purge() -> None:
    deleted = trace_records_purge()
    if deleted:
        logger.info("deleted %s expired trace results", deleted)
