"""Undoing a company's last roster import, as history: nothing is deleted.

What the import did is reversed from its record (``services.undo_record``, kept on the run) and its instant:

- the jobs it created are ended today, with their open memberships;
- the memberships it started for existing jobs (moves), drivers and co-residents are ended now;
- the memberships it ended (moves, leavers, drivers, co-residents no longer listed) are reopened, and the jobs it
  ended are reopened, so a worker it wrongly ended is current again with the workshop, team, room and bus held
  before;
- the shifts it changed are set back.

Refused, changing nothing, when the run is not applied, when a later import of the company was applied (undo
that one first), or when the reversal would touch a membership another company or an official declared, or
reopen a job whose worker code is now someone else's. People, declarations and test results the import
recorded stay (a person is never deleted; the declarations are history of what the company said).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import Employment, Membership
from worktrace.rosters.apply.plan import chunks, lock_imports
from worktrace.rosters.models import ImportRun, ImportStatus

E_NOT_APPLIED = gettext_lazy("Chỉ hoàn tác được một lượt nhập đã áp dụng.")
E_NO_RECORD = gettext_lazy("Lượt nhập này được áp dụng trước khi có chức năng hoàn tác: không hoàn tác được.")
E_LATER = gettext_lazy(
    "Doanh nghiệp đã có lượt nhập mới hơn (lượt %(run)s, %(at)s): chỉ hoàn tác được lượt nhập gần nhất. "
    "Hãy hoàn tác lượt đó trước."
)
E_OTHERS = gettext_lazy(
    "Không hoàn tác được: việc này sẽ thay đổi %(count)s thông tin do doanh nghiệp khác hoặc cán bộ khai báo."
)
E_CODE_TAKEN = gettext_lazy(
    "Không hoàn tác được: mã công nhân %(codes)s hiện đã được dùng cho người khác trong doanh nghiệp."
)


class UndoRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class UndoOutcome:
    jobs_ended: int = 0  # jobs the import created, now ended
    jobs_reopened: int = 0  # jobs the import ended, now current again
    memberships_ended: int = 0
    memberships_reopened: int = 0


def _ids(runs: list[list[int]]) -> list[int]:
    return [pk for first, last in runs for pk in range(first, last + 1)]


def _in_runs(field: str, runs: list[list[int]]) -> Q:
    """``field`` within the id runs: one range per run (an import's new jobs are one run)."""
    condition = Q(pk__in=[])
    for first, last in runs:
        condition |= Q(**{f"{field}__gte": first, f"{field}__lte": last})
    return condition


def undo_refusal(run: ImportRun) -> str | None:
    """Why this run cannot be undone (a message), or None: the run page offers the button only then."""
    if run.status != ImportStatus.APPLIED:
        return str(E_NOT_APPLIED)
    if not (run.result or {}).get("undo") or run.company_id is None:
        return str(E_NO_RECORD)
    later = (
        ImportRun.objects.filter(company_id=run.company_id, status=ImportStatus.APPLIED, pk__gt=run.pk)
        .order_by("-pk")
        .first()
    )
    if later is not None:
        at = timezone.localtime(later.finished_at or later.created_at)
        return str(E_LATER) % {"run": later.pk, "at": f"{at:%d/%m/%Y %H:%M}"}
    return None


def roster_undo(*, run: ImportRun, user: Any, request: HttpRequest | None = None) -> UndoOutcome:
    """Reverse an applied import in one transaction (see the module's docstring); audited. Raises UndoRefused."""
    with transaction.atomic():
        lock_imports()
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        refusal = undo_refusal(run)
        if refusal:
            raise UndoRefused(refusal)
        outcome = _reverse(run)
        now = timezone.now()
        ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.UNDONE, undone_at=now, undone_by=user)
        audit_record(
            action=Action.IMPORT,
            user=user,
            request=request,
            obj=run.company,
            object_repr=str(run.company),
            purpose=_("Hoàn tác lượt nhập danh sách"),
            detail={"undo": run.pk, "file": run.filename[:200], **outcome.__dict__},
        )
    return outcome


def _reverse(run: ImportRun) -> UndoOutcome:
    record = run.result["undo"]
    company = run.company_id
    assert company is not None  # undo_refusal: a run without a company is not undone
    at = dt.datetime.fromisoformat(record["now"])
    imported_on = dt.date.fromisoformat(record["today"])
    created_runs = record.get("jobs_created", [])
    ended_jobs = _ids(record.get("jobs_ended", []))
    now, today = timezone.now(), timezone.localdate()

    started = Membership.objects.filter(end__isnull=True).filter(
        Q(start=at, declared_by_id=company) | _in_runs("employment_id", created_runs)
    )
    reopened = Membership.objects.filter(end=at).filter(Q(declared_by_id=company) | Q(employment__company_id=company))
    others = started.exclude(declared_by_id=company).count() + reopened.exclude(declared_by_id=company).count()
    if others:
        raise UndoRefused(str(E_OTHERS) % {"count": others})
    to_reopen: list[int] = []
    codes: set[str] = set()
    for batch in chunks(ended_jobs):
        for pk, code in Employment.objects.filter(pk__in=batch, company_id=company, end_date=imported_on).values_list(
            "pk", "worker_code"
        ):
            to_reopen.append(pk)
            codes.add(code)
    current = Employment.objects.filter(company_id=company, end_date__isnull=True).exclude(_in_runs("pk", created_runs))
    taken = sorted(codes.intersection(current.values_list("worker_code", flat=True)))
    if taken:
        raise UndoRefused(str(E_CODE_TAKEN) % {"codes": ", ".join(taken[:10]) + ("…" if len(taken) > 10 else "")})

    outcome = UndoOutcome()
    outcome.memberships_ended = started.update(end=now)
    outcome.jobs_ended = Employment.objects.filter(
        _in_runs("pk", created_runs), company_id=company, end_date__isnull=True
    ).update(end_date=today)
    outcome.memberships_reopened = reopened.update(end=None)
    for batch in chunks(to_reopen):
        outcome.jobs_reopened += Employment.objects.filter(pk__in=batch).update(end_date=None)
    for shift, runs in record.get("shifts", {}).items():
        for batch in chunks(_ids(runs)):
            Employment.objects.filter(pk__in=batch, company_id=company, end_date__isnull=True).update(shift=shift)
    return outcome
