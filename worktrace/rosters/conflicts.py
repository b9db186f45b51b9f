"""Identity conflicts of roster uploads: recorded at import, resolved by an official of the province.

An upload's row naming a registered citizen ID with another name or birth date is refused (see
``apply/identity.py``) and recorded here. An official then decides: the same person (link: the job or
membership the row asked for is created), a typo in the register (correct the registered name and birth
date to the row's, then link), or fraud (a note; nothing is linked). Every resolution is audited.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import (
    Company,
    ConflictSource,
    ConflictStatus,
    Employment,
    IdentityConflict,
    MembershipRole,
)
from worktrace.rosters.apply.groups import Groups
from worktrace.rosters.apply.identity import Conflict
from worktrace.rosters.apply.plan import Plan, lock_imports, midnight
from worktrace.rosters.apply.writing import write_plan
from worktrace.rosters.rows import BusRow, CoResidentRow, ParsedRoster, WorkerRow

E_ALREADY_RESOLVED = _("Xung đột này đã được xử lý.")
E_CODE_TAKEN = _("Mã công nhân này đang thuộc một người lao động khác của doanh nghiệp; không thể liên kết.")
E_NOTE_REQUIRED = _("Hãy ghi chú lý do khi ghi nhận khai gian.")
DATE_FIELDS = ("birth_date", "last_dose_on", "last_test_on", "start_date")


class ConflictError(Exception):
    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


def conflicts_record(
    *, conflicts: list[Conflict], company: Company, user: Any, run: Any = None, filename: str = ""
) -> list[IdentityConflict]:
    """One queue entry per refused row, written in its own transaction (kept even when the import is not)."""
    uploader = user if user is not None and getattr(user, "is_authenticated", False) else None
    return IdentityConflict.objects.bulk_create(
        IdentityConflict(
            person_id=c.person_id,
            company=company,
            uploaded_by=uploader,
            import_run_id=getattr(run, "pk", None),
            filename=filename[:200],
            source=c.source,
            sheet=c.sheet[:60],
            row=c.row,
            declared=c.declared,
        )
        for c in conflicts
    )


def conflict_resolve(
    *, conflict: IdentityConflict, user: Any, resolution: str, note: str = "", request: HttpRequest | None = None
) -> IdentityConflict:
    """Resolve one conflict: ConflictStatus.LINKED, CORRECTED or FRAUD. Raises ConflictError when it cannot."""
    with transaction.atomic():
        conflict = IdentityConflict.objects.select_for_update().select_related("person", "company").get(pk=conflict.pk)
        if conflict.status != ConflictStatus.OPEN:
            raise ConflictError(E_ALREADY_RESOLVED)
        if resolution == ConflictStatus.FRAUD and not note.strip():
            raise ConflictError(E_NOTE_REQUIRED)
        before = {"full_name": conflict.person.full_name, "birth": conflict.person.birth_display}
        if resolution == ConflictStatus.CORRECTED:
            _correct(conflict)
        if resolution in (ConflictStatus.LINKED, ConflictStatus.CORRECTED):
            _link(conflict)
        elif resolution != ConflictStatus.FRAUD:
            raise ValueError(resolution)
        conflict.status = resolution
        conflict.resolved_by = user
        conflict.resolved_at = timezone.now()
        conflict.note = note.strip()[:2000]
        conflict.save(update_fields=["status", "resolved_by", "resolved_at", "note"])
        audit_record(
            action=Action.ADMIN_CHANGE,
            user=user,
            request=request,
            obj=conflict.person,
            object_type="person",
            purpose=str(_("Xử lý xung đột danh tính")),
            detail={
                "identity_conflict": conflict.pk,
                "resolution": resolution,
                "company": conflict.company_id,
                "note": conflict.note[:300],
                **({"before": before} if resolution == ConflictStatus.CORRECTED else {}),
            },
        )
    return conflict


def _row(conflict: IdentityConflict) -> WorkerRow | BusRow | CoResidentRow:
    kinds: dict[str, type] = {ConflictSource.WORKER: WorkerRow, ConflictSource.DRIVER: BusRow}
    kind = kinds.get(conflict.source, CoResidentRow)
    names = {f.name for f in dataclasses.fields(kind)}
    values = {k: v for k, v in conflict.declared.items() if k in names}
    for name in DATE_FIELDS:
        if values.get(name):
            values[name] = dt.date.fromisoformat(values[name])
    return kind(**values)


def _correct(conflict: IdentityConflict) -> None:
    """The register was wrong: it takes the row's name (and, from the worker sheet, its birth date)."""
    person, row = conflict.person, _row(conflict)
    person.full_name = getattr(row, "full_name", "") or getattr(row, "driver_name", "") or person.full_name
    fields = ["full_name"]
    if isinstance(row, WorkerRow) and (row.birth_date or row.birth_year):
        person.birth_date, person.birth_year = row.birth_date, row.birth_year or row.birth_date.year  # type: ignore[union-attr]
        fields += ["birth_date", "birth_year"]
    person.save(update_fields=fields)


def _link(conflict: IdentityConflict) -> None:
    """Create what the refused row asked for: the job and its memberships, or the room/bus membership."""
    lock_imports()  # ids are handed out by the plan, as in an import
    row = _row(conflict)
    plan = Plan(company_id=conflict.company_id, today=timezone.localdate(), now=timezone.now())
    person = conflict.person_id
    if isinstance(row, WorkerRow):
        groups = Groups(plan, ParsedRoster(workers=[row]))
        jobs = Employment.objects.filter(company_id=conflict.company_id, worker_code=row.worker_code)
        holder = jobs.filter(end_date__isnull=True).values_list("person_id", flat=True).first()
        if holder == person:
            return
        if holder is not None:
            raise ConflictError(E_CODE_TAKEN)
        job = plan.job_id()
        plan.new_jobs.append(
            (job, person, plan.company_id, row.worker_code, row.shift, row.start_date or plan.today, None)
        )
        start = midnight(row.start_date) if row.start_date else plan.now
        for group in groups.slots(row).values():
            if group is not None:
                plan.new_memberships.append((person, group, MembershipRole.MEMBER, start, None, job, plan.company_id))
    elif isinstance(row, BusRow):
        groups = Groups(plan, ParsedRoster(buses=[row]))
        groups.buses_from_sheet()
        group = groups.vehicle(row.plate)
        plan.new_memberships.append((person, group, MembershipRole.DRIVER, plan.now, None, None, plan.company_id))
    else:
        groups = Groups(plan, ParsedRoster(coresidents=[row]))
        group = groups.lodging(row.lodging_code, row.lodging, row.room)
        if group is not None:
            plan.new_memberships.append(
                (person, group, MembershipRole.CO_RESIDENT, plan.now, None, None, plan.company_id)
            )
    write_plan(plan)
