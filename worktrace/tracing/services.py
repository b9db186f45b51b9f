"""Tracing workflows: run a trace (audited), save it as an investigation, confirm cases.

Every entry point — web page, API, command line — goes through these, so every trace is written to the audit
log with who, what and the stated purpose.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import Employment, Person
from worktrace.tracing.engine import TraceParams, TraceResult, trace_compute
from worktrace.tracing.models import CaseLevel, CaseStatus, Investigation, QuarantinePlace
from worktrace.tracing.selectors import trace_document

ERROR_NOT_FOUND = "Không tìm thấy người có số CCCD/CMND hoặc mã công nhân này."
ERROR_AMBIGUOUS = "Mã công nhân này có ở nhiều doanh nghiệp; hãy chọn doanh nghiệp (--company MÃ_SỐ_THUẾ)."
ERROR_NOT_CLOSE = "Chỉ xác nhận được người tiếp xúc gần có trong kết quả đã lưu."


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
        raise ValidationError(_(ERROR_NOT_FOUND))
    if len(person_ids) > 1:
        raise ValidationError(_(ERROR_AMBIGUOUS))
    return Person.objects.get(pk=person_ids.pop())


def trace_run(
    *,
    index: Person,
    params: TraceParams,
    user: Any = None,
    request: HttpRequest | None = None,
    purpose: str = "",
    today: dt.date | None = None,
    channel: str = "web",
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
            "channel": channel,
            **({"os_user": os_user} if os_user else {}),
            "reference": params.reference.isoformat(),
            "lookback_days": params.lookback_days,
            "isolated_on": params.isolated_on.isoformat() if params.isolated_on else None,
            "close": sorted(params.close_kinds),
            "depth": params.depth,
            "counts": {f"F{level}": len(result.at_level(level)) for level in result.levels}
            | {"monitor": len(result.at_level(1, close=False))},
            "seconds": round(result.seconds, 4),
        },
    )
    return result


@transaction.atomic
def investigation_create(*, user: Any, index: Person, result: TraceResult, purpose: str = "") -> Investigation:
    """Save a trace with its parameters and a snapshot of its result; the index case is recorded as F0."""
    params = result.params
    investigation = Investigation.objects.create(
        index_person=index,
        reference_date=params.reference,
        lookback_days=params.lookback_days,
        isolated_on=params.isolated_on,
        close_kinds=sorted(params.close_kinds),
        depth=params.depth,
        window_start=result.window_start,
        window_end=result.window_end,
        purpose=purpose,
        snapshot=trace_document(result, with_ids=True),
        created_by=user,
    )
    CaseStatus.objects.create(
        investigation=investigation,
        person=index,
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
        raise ValidationError(_("Nơi cách ly không hợp lệ."))
    levels = {c["id"]: c["level"] for c in investigation.snapshot.get("contacts", []) if c["close"]}
    wanted = set(person_ids)
    if not wanted or not wanted <= set(levels):
        raise ValidationError(_(ERROR_NOT_CLOSE))
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
    return created
