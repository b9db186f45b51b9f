from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

from worktrace.tracing.models import TraceRecord
from worktrace.tracing.services import KEPT_FOR


def kept(world, *, age: dt.timedelta) -> TraceRecord:
    now = timezone.now()
    record = TraceRecord.objects.create(
        index_person=world.ann, created_by=world.health, window_start=now, window_end=now
    )
    TraceRecord.objects.filter(pk=record.pk).update(created_at=now - age)
    return record


def test_it_deletes_expired_trace_results_without_a_new_trace(world):
    from worktrace.tracing.tasks import trace_purge

    expired = kept(world, age=KEPT_FOR + dt.timedelta(minutes=1))
    fresh = kept(world, age=KEPT_FOR - dt.timedelta(minutes=1))
    trace_purge()  # huey's immediate mode in tests: runs here, as the consumer would
    assert set(TraceRecord.objects.values_list("pk", flat=True)) == {fresh.pk}
    assert not TraceRecord.objects.filter(pk=expired.pk).exists()


def test_the_consumer_runs_the_purge_every_hour():
    autodiscover_modules("tasks")  # what `worktrace run_huey` does to find each app's tasks.py
    for hour in (0, 13):
        due = {task.name for task in HUEY.read_periodic(dt.datetime(2026, 11, 23, hour, 17))}
        assert "trace_purge" in due
    assert "trace_purge" not in {task.name for task in HUEY.read_periodic(dt.datetime(2026, 11, 23, 13, 18))}
