"""Background work of notifications, on the huey task queue.

``deliveries_task`` sends what is due (queued after each ``notify`` commits, and at each retry's back-off);
``notifications_sweep`` runs every minute: it gives back the deliveries of workers that died mid-delivery and
sends anything due that no queued task is going to send (a lost message, a consumer that was down). The daily
``roster_freshness`` reminds companies whose roster is older than 3 days and sends each zone board its digest.
"""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from worktrace.notifications.delivery import deliveries_requeue_stale, deliveries_send
from worktrace.notifications.models import due_deliveries

logger = logging.getLogger(__name__)


@db_task()
def deliveries_task() -> None:
    deliveries_send()


@db_periodic_task(crontab(minute="*"))
def notifications_sweep() -> None:
    given_back = deliveries_requeue_stale()
    if given_back:
        logger.warning("%d deliveries of a stopped worker given back to the queue", given_back)
    if due_deliveries().exists():
        deliveries_send()


# 00:30 UTC is 07:30 in Việt Nam: the reminders are there when offices open.
@db_periodic_task(crontab(hour="0", minute="30"))
def roster_freshness() -> None:
    from worktrace.notifications.triggers import rosters_freshness_remind

    rosters_freshness_remind()
