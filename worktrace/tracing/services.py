"""Tracing workflows: run a trace (audited), keep the result the officer sees, save it as an investigation,
confirm cases.

Every entry point — web page, API, command line — goes through these, so every trace is written to the audit
log with who, what and the stated purpose. The page keeps its result as a ``TraceRecord``: export, print and save
read that record, so what is exported or saved is what was on screen, and one trace writes one audit entry.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from worktrace.accounts.access import access_for
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.notifications.triggers import cases_confirmed
from worktrace.registry.models import Employment, Person
from worktrace.tracing.engine import TraceParams, TraceResult, trace_compute
from worktrace.tracing.models import (
    CaseLevel,
    CaseStatus,
    Investigation,
    QuarantinePlace,
    TraceChannel,
    TraceRecord,
)
from worktrace.tracing.selectors import trace_document

ERROR_NOT_FOUND = _("Không tìm thấy người có số CCCD/CMND hoặc mã công nhân này.")
ERROR_AMBIGUOUS = _("Mã công nhân này có ở nhiều doanh nghiệp; hãy chọn doanh nghiệp (--company MÃ_SỐ_THUẾ).")
ERROR_NOT_CLOSE = _("Chỉ xác nhận được người tiếp xúc gần có trong kết quả đã lưu.")
ERROR_QUARANTINE_PLACE = _("Nơi cách ly không hợp lệ.")

# How long a page's result stays available to export, print or save: a working session, not an archive (saved
# investigations are the archive). Older records are deleted every hour by the queue (tasks.trace_purge) and
# whenever a new one is stored.
KEPT_FOR = dt.timedelta(hours=12)


def index_person_find(*, query: str, company_tax_code: str | None = None) -> Person:
    """The person a citizen ID or a worker code (within a company when given) names, or ValidationError."""
    query = query.strip()
    person = Person.objects.filter(national_id=query).first() if query.isdigit() else None
    if person is not None:
        return person
    jobs = Employment.objects.filter(worker_code__iexact=query)
    if company_tax_code:
        jobs = jobs.filter(company__tax_code=company_tax_code)
    person_ids = set(jobs.values_list("person_id", flat=True))
    if not person_ids:
        raise ValidationError(ERROR_NOT_FOUND)
    if len(person_ids) > 1:
        raise ValidationError(ERROR_AMBIGUOUS)
    return Person.objects.get(pk=person_ids.pop())


def trace_run(
    *,
    index: Person,
    params: TraceParams,
    user: Any = None,
    request: HttpRequest | None = None,
    purpose: str = "",
    today: dt.date | None = None,
    channel: TraceChannel = TraceChannel.WEB,
    os_user: str = "",
) -> TraceResult:
    """Run the engine for one index case and record it in the audit log."""
    result = trace_compute(index_id=index.pk, params=params, today=today or timezone.localdate())
    audit_record(
        action=Action.TRACE,
        user=user,
        request=request,
        obj=index,
        purpose=purpose,
        detail={
            "channel": str(channel),
            **({"os_user": os_user} if os_user else {}),
            **params.as_dict(),
            "counts": {f"F{level}": len(result.at_level(level)) for level in result.levels}
            | {"monitor": len(result.at_level(1, close=False))},
            "cut_after": result.cut_after,
            "seconds": round(result.seconds, 4),
        },
    )
    return result


def trace_record_create(
    *, user: Any, index: Person, params: TraceParams, request: HttpRequest | None = None, purpose: str = ""
) -> TraceRecord:
    """Run an audited trace for the page and keep its result for export, print and save (``KEPT_FOR``).

    Deliberately not one transaction: on SQLite (IMMEDIATE mode) it would hold the write lock for the whole
    engine run. The trace is audited as soon as it ran, whether or not keeping its result then succeeds.
    """
    result = trace_run(index=index, params=params, user=user, request=request, purpose=purpose)
    trace_records_purge()
    return TraceRecord.objects.create(
        index_person=index,
        created_by=user,
        purpose=purpose,
        params=params.as_dict(),
        window_start=result.window_start,
        window_end=result.window_end,
        document=trace_document(result, with_ids=True, visible=access_for(user).people()),
        seconds=result.seconds,
    )


def trace_records_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the kept results older than ``KEPT_FOR`` (they hold people's names); returns how many."""
    deleted, _per_model = TraceRecord.objects.filter(created_at__lt=(now or timezone.now()) - KEPT_FOR).delete()
    return deleted


def trace_record_find(*, user: Any, index: Person, key: str) -> TraceRecord | None:
    """The kept result of ``user``'s own trace of ``index`` under ``key``, unless expired or someone else's."""
    try:
        return TraceRecord.objects.get(
            key=key, index_person=index, created_by=user, created_at__gte=timezone.now() - KEPT_FOR
        )
    except (TraceRecord.DoesNotExist, ValidationError):  # ValidationError: not a UUID
        return None


@transaction.atomic
def investigation_create(*, user: Any, record: TraceRecord) -> Investigation:
    """Save the trace the officer was looking at, with its parameters and result; the index case becomes F0."""
    params = TraceParams.from_dict(record.params)
    investigation = Investigation.objects.create(
        index_person_id=record.index_person_id,
        reference_date=params.reference,
        lookback_days=params.lookback_days,
        isolated_on=params.isolated_on,
        close_kinds=sorted(params.close_kinds),
        depth=params.depth,
        min_overlap_minutes=int(params.min_overlap.total_seconds() // 60),
        window_start=record.window_start,
        window_end=record.window_end,
        purpose=record.purpose,
        snapshot=record.document,
        created_by=user,
    )
    CaseStatus.objects.create(
        investigation=investigation,
        person_id=record.index_person_id,
        level=CaseLevel.F0,
        starts_on=params.reference,
        confirmed_by=user,
    )
    return investigation


@transaction.atomic
def cases_confirm(
    *,
    user: Any,
    investigation: Investigation,
    person_ids: list[int],
    quarantine_place: str = "",
    starts_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> list[CaseStatus]:
    """Confirm selected close contacts of a saved investigation as F1/F2/… at the level the trace proposed."""
    if quarantine_place and quarantine_place not in QuarantinePlace.values:
        raise ValidationError(ERROR_QUARANTINE_PLACE)
    levels = {c["id"]: c["level"] for c in investigation.snapshot.get("contacts", []) if c["close"]}
    wanted = set(person_ids)
    if not wanted or not wanted <= set(levels):
        raise ValidationError(ERROR_NOT_CLOSE)
    already = set(investigation.cases.filter(person_id__in=wanted).values_list("person_id", flat=True))
    created = CaseStatus.objects.bulk_create(
        [
            CaseStatus(
                investigation=investigation,
                person_id=person_id,
                level=f"F{levels[person_id]}",
                quarantine_place=quarantine_place,
                starts_on=starts_on or timezone.localdate(),
                confirmed_by=user,
            )
            for person_id in sorted(wanted - already)
        ]
    )
    audit_record(
        action=Action.CONFIRM_CASES,
        user=user,
        request=request,
        obj=investigation,
        detail={"people": sorted(wanted - already), "quarantine_place": quarantine_place},
    )
    # Each affected company's focal points and its zone board are told (issue 11): written with the cases, sent
    # after commit (notifications/services.py).
    cases_confirmed(investigation=investigation, cases=created, by=user)
    return created
