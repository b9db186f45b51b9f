"""Tracing workflows: run a trace (audited), keep the result the officer sees, save it as an investigation,
confirm cases (``investigation_confirm``: the one place a confirmation is written).

Every entry point — web page, API, command line — goes through these, so every trace is written to the audit
log with who, what and the stated purpose. The page keeps its result as a ``TraceRecord``: export, print and save
read that record, so what is exported or saved is what was on screen, and one trace writes one audit entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
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
from worktrace.registry.models import Employment, Facility, Person
from worktrace.tracing.engine import TraceParams, TraceResult, trace_compute
from worktrace.tracing.models import (
    CaseLevel,
    CaseStatus,
    Investigation,
    QuarantinePlace,
    TraceChannel,
    TraceRecord,
)
from worktrace.tracing.params import FIRST_DAY, level_label
from worktrace.tracing.selectors import trace_document

ERROR_NOT_FOUND = _("Không tìm thấy người có số CCCD/CMND hoặc mã công nhân này.")
ERROR_AMBIGUOUS = _("Mã công nhân này có ở nhiều doanh nghiệp; hãy chọn doanh nghiệp (--company MÃ_SỐ_THUẾ).")
ERROR_NOT_CLOSE = _("Chỉ xác nhận được người tiếp xúc gần có trong kết quả đã lưu.")
ERROR_QUARANTINE_PLACE = _("Nơi cách ly không hợp lệ.")
ERROR_FACILITY_MISSING = _("Cách ly tập trung: hãy chọn cơ sở cách ly.")
ERROR_FACILITY_UNKNOWN = _("Cơ sở cách ly này không có trong danh sách của tỉnh.")
ERROR_FACILITY_NOT_PLACE = _("Chỉ chọn cơ sở cách ly khi nơi cách ly là cách ly tập trung.")
ERROR_STARTS_ON = _("Ngày bắt đầu cách ly phải trong khoảng %(first)s – %(last)s.")

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
        counts=snapshot_counts(record.document),
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


def snapshot_counts(document: dict) -> dict[str, int]:
    """People per level of a trace document: {"F1": 62, "F2": 521, "monitor": 63} (keys not translated)."""
    counts: dict[str, int] = {}
    for contact in document.get("contacts", []):
        key = level_label(contact["level"], True) if contact["close"] else "monitor"
        counts[key] = counts.get(key, 0) + 1
    return counts


@dataclass(frozen=True)
class Placement:
    """Where and from when confirmed people are quarantined: a QuarantinePlace value (or "" not yet known), the
    facility when the place is a facility, the first day (None: today)."""

    place: str = ""
    facility_id: int | None = None
    starts_on: dt.date | None = None


@dataclass(frozen=True)
class Selection:
    """People of one investigation confirmed with one placement (every F1 of a company to one facility, or one
    person to hospital)."""

    people: frozenset[int]
    placement: Placement


@dataclass
class ConfirmOutcome:
    created: list[CaseStatus]  # new rows: newly confirmed people, or a changed place or start
    unchanged: list[int]  # people whose current status already said exactly this


def _placement_check(placement: Placement, facilities: set[int], today: dt.date) -> None:
    if placement.place and placement.place not in QuarantinePlace.values:
        raise ValidationError(ERROR_QUARANTINE_PLACE)
    if placement.place == QuarantinePlace.FACILITY and placement.facility_id is None:
        raise ValidationError(ERROR_FACILITY_MISSING)
    if placement.facility_id is not None:
        if placement.place != QuarantinePlace.FACILITY:
            raise ValidationError(ERROR_FACILITY_NOT_PLACE)
        if placement.facility_id not in facilities:
            raise ValidationError(ERROR_FACILITY_UNKNOWN)
    last = today + dt.timedelta(days=366)
    if placement.starts_on is not None and not FIRST_DAY <= placement.starts_on <= last:
        raise ValidationError(ERROR_STARTS_ON % {"first": f"{FIRST_DAY:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"})


@transaction.atomic
def investigation_confirm(
    *,
    investigation: Investigation,
    user: Any,
    selections: Sequence[Selection],
    request: HttpRequest | None = None,
) -> ConfirmOutcome:
    """Confirm close contacts of a saved investigation as F1/F2/… at the level the trace proposed.

    Later selections win for a person named twice (a whole company to one facility, then one of them to
    hospital). Case statuses are history: a person whose current status differs gets a new row, one whose
    current status is already this placement gets nothing, so confirming the same form twice changes nothing.
    Nothing is written unless every selection is valid. Audited as ``confirm_cases``.
    """
    # One confirmation of an investigation at a time (PostgreSQL; SQLite's write lock already serialises them),
    # so two officers confirming the same people cannot both add a row.
    Investigation.objects.select_for_update().filter(pk=investigation.pk).first()
    today = timezone.localdate()
    levels = {c["id"]: c["level"] for c in investigation.snapshot.get("contacts", []) if c["close"]}
    facilities = {p.facility_id for p in (s.placement for s in selections) if p.facility_id is not None}
    known_facilities = set(Facility.objects.filter(pk__in=facilities).values_list("pk", flat=True))
    wanted: dict[int, Placement] = {}
    for selection in selections:
        _placement_check(selection.placement, known_facilities, today)
        for person_id in selection.people:
            wanted[person_id] = selection.placement
    if not wanted or not set(wanted) <= set(levels):
        raise ValidationError(ERROR_NOT_CLOSE)
    current = {
        c.person_id: (c.level, c.quarantine_place, c.facility_id, c.starts_on)
        for c in investigation.cases.current().filter(person_id__in=list(wanted))
    }
    rows, unchanged = [], []
    for person_id in sorted(wanted):
        placement = wanted[person_id]
        status = (f"F{levels[person_id]}", placement.place, placement.facility_id, placement.starts_on or today)
        if current.get(person_id) == status:
            unchanged.append(person_id)
            continue
        level, place, facility_id, starts_on = status
        rows.append(
            CaseStatus(
                investigation=investigation,
                person_id=person_id,
                level=level,
                quarantine_place=place,
                facility_id=facility_id,
                starts_on=starts_on,
                confirmed_by=user,
            )
        )
    created = CaseStatus.objects.bulk_create(rows)
    audit_record(
        action=Action.CONFIRM_CASES,
        user=user,
        request=request,
        obj=investigation,
        detail={
            "people": [c.person_id for c in created],
            "changed": sorted(set(current) & {c.person_id for c in created}),
            "unchanged": unchanged,
            "placements": {
                str(c.person_id): [c.quarantine_place, c.facility_id, c.starts_on.isoformat()] for c in created
            },
        },
    )
    # Each affected company's focal points and its zone board are told (issue 11): written with the cases, sent
    # after commit (notifications/services.py).
    cases_confirmed(investigation=investigation, cases=created, by=user)
    return ConfirmOutcome(created, unchanged)
