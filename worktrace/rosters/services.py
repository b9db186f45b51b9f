"""Roster import: validate a workbook, compare it with the company's current roster, apply the difference.

``roster_import`` is the one entry point for the web page, the command line and the API. The whole
difference is applied in one transaction, so a crash or a kill leaves the registry as it was. History is
never overwritten: a leaver's job and memberships are ended, a move ends one membership and opens another,
and only memberships this company declared are touched by its re-upload.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files import File
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import Company
from worktrace.rosters import messages as m
from worktrace.rosters.apply import RosterApplier
from worktrace.rosters.apply.identity import Conflict
from worktrace.rosters.apply.plan import Touched, lock_imports
from worktrace.rosters.company import _resolve_company
from worktrace.rosters.conflicts import conflicts_record
from worktrace.rosters.models import ImportMode, ImportRun, ImportSource, ImportStatus
from worktrace.rosters.parse import ParsedRoster, parse_workbook
from worktrace.rosters.preview import preview_summary, roster_fingerprint
from worktrace.rosters.reader import RefusedError, Workbook

logger = logging.getLogger(__name__)
E_FAILED = gettext_lazy("Lỗi hệ thống khi xử lý tệp; không áp dụng gì. Hãy thử lại hoặc báo quản trị viên.")
AUDIT_MAX_RUNS = 20_000
M_ALL_INVALID = gettext_lazy("Mọi dòng đều có lỗi: không dòng nào được áp dụng.")
M_STALE = gettext_lazy(
    "Danh sách của doanh nghiệp đã thay đổi kể từ lúc xem trước, nên chưa áp dụng gì. "
    "Dưới đây là bản xem trước mới: hãy kiểm tra lại rồi xác nhận."
)


@dataclass
class ImportOutcome:
    company: Company | None = None
    applied: bool = False
    created: int = 0
    ended: int = 0
    moved: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    changes: list[dict] = field(default_factory=list)
    near_misses: list[dict] = field(default_factory=list)
    message: str = ""
    parsed: ParsedRoster | None = None
    conflicts: list[Conflict] = field(default_factory=list)  # rows refused by the identity check
    touched: Touched | None = None  # ids of the people the import created, linked or changed
    previewed: bool = False  # a dry run: computed, rolled back
    stale: bool = False  # the roster changed since the preview: nothing applied, previewed again
    preview: dict[str, Any] = field(default_factory=dict)  # preview_summary: by workshop, large leave, fingerprint
    undo: dict[str, Any] = field(default_factory=dict)  # what an undo needs to reverse this import (undo.py)

    def as_json(self) -> dict[str, Any]:
        return import_json(company=self.company, counts=self, errors=self.errors, warnings=self.warnings)


# What an import counts, as the JSON contract, the run and its audit entry name them.
IMPORT_COUNTS = ("created", "ended", "moved", "unchanged", "invalid")


def import_json(*, company: Company | None, counts: Any, errors: list[dict], warnings: list[dict]) -> dict[str, Any]:
    """Exactly the shape issue #3 promises for ``worktrace import --json``, which the web JSON route and the API
    answer too: ``counts`` is an ImportOutcome or a finished ImportRun (IMPORT_COUNTS as attributes)."""
    return {
        "company": company.tax_code if company else "",
        **{name: getattr(counts, name) for name in IMPORT_COUNTS},
        "errors": [_public(p) for p in errors],
        "warnings": [_public(p) for p in warnings],
    }


def _public(problem: dict) -> dict:
    """A problem as the JSON contract has it (the column key is kept for the pages only)."""
    return {k: problem[k] for k in ("sheet", "row", "column", "value", "message")}


def _refusal(outcome: ImportOutcome, exc: RefusedError) -> ImportOutcome:
    message = str(exc.message) % exc.params if exc.params else str(exc.message)
    outcome.applied = False
    outcome.message = message
    outcome.errors.insert(
        0, {"sheet": exc.sheet, "row": exc.row, "column": exc.column, "value": exc.value, "message": message}
    )
    return outcome


def roster_import(
    *,
    data: bytes,
    filename: str,
    user: Any = None,
    company: Company | None = None,
    tax_code: str | None = None,
    strict: bool = False,
    source: str = ImportSource.CLI,
    purpose: str = "",
    request: HttpRequest | None = None,
    run: ImportRun | None = None,
    progress: Callable[[int, int], None] | None = None,
    actor: str = "",
    dry_run: bool = False,
    expect_fingerprint: str | None = None,
) -> ImportOutcome:
    """Validate ``data`` and apply it to the company's roster in one transaction; audit the attempt.

    Every import is recorded as an ImportRun, so the history shows the command line's and the API's too: the
    caller's ``run`` (already started by a worker), else one made and started here. ``dry_run``: compute the
    difference and roll it back (a preview; the command line's --dry-run records no run). ``expect_fingerprint``:
    the roster the preview saw; when it changed, nothing is applied and the file is previewed again (``stale``).
    """
    if run is None and not dry_run:
        run = ImportRun.objects.create(
            company=company,
            user=user if getattr(user, "pk", None) else None,
            filename=filename[:255],
            strict=strict,
            source=source,
            result={"purpose": purpose, **({"actor": actor[:100]} if actor else {})},
        )
        run.start()
    arguments = {"data": data, "user": user, "company": company, "tax_code": tax_code, "strict": strict}
    try:
        outcome = _import(**arguments, progress=progress, dry_run=dry_run, expect=expect_fingerprint)
        if outcome.stale:  # say so, and show what the file would change now
            outcome = _import(**arguments, progress=None, dry_run=True, expect=None)
            outcome.stale, outcome.message = True, str(M_STALE)
    except Exception:
        logger.exception("roster import %s failed", run.pk if run else "(dry run)")
        if run is not None:
            run.fail(E_FAILED)
        raise
    if outcome.conflicts and not outcome.previewed and outcome.company is not None and outcome.company.pk:
        conflicts_record(conflicts=outcome.conflicts, company=outcome.company, user=user, run=run, filename=filename)
    ip = (run.result or {}).get("ip") if run is not None else None
    _audit(
        outcome=outcome,
        user=user,
        request=request,
        filename=filename,
        purpose=purpose,
        source=source,
        actor=actor,
        ip=ip,
    )
    if run is not None:
        _save_run(run, outcome)
    return outcome


def _import(
    *,
    data: bytes,
    user: Any,
    company: Company | None,
    tax_code: str | None,
    strict: bool,
    progress: Callable[[int, int], None] | None,
    dry_run: bool,
    expect: str | None,
) -> ImportOutcome:
    outcome = ImportOutcome(company=company)
    today = timezone.localdate()
    try:
        workbook = Workbook(data)
        parsed = parse_workbook(workbook, today=today, progress=progress)
        outcome.parsed = parsed
        outcome.errors = [p.as_dict() for p in parsed.errors]
        outcome.warnings = [p.as_dict() for p in parsed.warnings]
        outcome.invalid = len(parsed.invalid_rows)
        target, new_fields = _resolve_company(parsed=parsed, company=company, tax_code=tax_code, user=user)
        outcome.company = target
        if not parsed.workers and not parsed.invalid_rows:
            raise RefusedError(m.E_EMPTY, sheet="Người lao động")
        if strict and parsed.errors:
            raise RefusedError(m.E_STRICT)
        if not parsed.workers:
            outcome.message = str(M_ALL_INVALID)
        else:
            _apply(
                outcome,
                parsed=parsed,
                target=target,
                new_fields=new_fields,
                today=today,
                strict=strict,
                dry_run=dry_run,
                expect=expect,
            )
    except RefusedError as exc:
        _refusal(outcome, exc)
    return outcome


class _NothingLeft(Exception):
    """Every row was refused by the identity check: roll back (a company created for the file too)."""


class _RollBack(Exception):
    """A dry run: everything computed, nothing kept."""


def _apply(
    outcome: ImportOutcome, *, parsed: ParsedRoster, target: Company | None, new_fields: dict | None, today: dt.date,
    strict: bool, dry_run: bool = False, expect: str | None = None,
) -> None:  # fmt: skip
    """Identity check, then the difference, in one transaction; refused rows stay on the outcome as conflicts.

    A dry run goes all the way through the plan and its writing, then rolls back: the preview is exactly what
    applying would do.
    """
    try:
        with transaction.atomic():
            _lock_imports()
            fingerprint = roster_fingerprint(target)
            if expect is not None and fingerprint != expect:
                outcome.stale = True
                return
            company = target or Company.objects.create(**(new_fields or {}))
            applier = RosterApplier(company=company, parsed=parsed, today=today)
            outcome.conflicts = applier.check()
            outcome.errors = [p.as_dict() for p in parsed.errors]
            outcome.invalid = len(parsed.invalid_rows)
            if outcome.conflicts and strict:
                raise RefusedError(m.E_STRICT)
            if not parsed.workers:
                raise _NothingLeft
            applier.run()
            plan = applier.plan
            outcome.preview = preview_summary(
                ended=plan.ended, current=plan.current, by_workshop=plan.by_workshop, fingerprint=fingerprint
            )
            if dry_run:
                _outcome_from(outcome, applier)
                raise _RollBack
    except _NothingLeft:
        outcome.message = str(M_ALL_INVALID)
        return
    except _RollBack:
        outcome.previewed = True
        outcome.company = target  # a company the file would create does not exist: it is named by the file
        return
    outcome.company = company
    outcome.applied = True
    _outcome_from(outcome, applier)
    outcome.undo = undo_record(applier.plan)


def _outcome_from(outcome: ImportOutcome, applier: RosterApplier) -> None:
    outcome.created, outcome.ended = applier.created, applier.ended
    outcome.moved, outcome.unchanged = applier.moved, applier.unchanged
    outcome.changes, outcome.near_misses = applier.changes, applier.near_misses
    outcome.warnings += [p.as_dict() for p in applier.warnings]
    outcome.touched = applier.touched


def _lock_imports() -> None:
    lock_imports()


def _audit(
    *, outcome: ImportOutcome, user, request, filename: str, purpose: str, source: str, actor: str, ip: str | None
) -> None:
    company = outcome.company if outcome.company and outcome.company.pk else None
    audit_record(
        action=Action.IMPORT,
        user=user,
        request=request,
        obj=company,
        object_type="company",
        object_repr=str(company) if company else filename,
        purpose=purpose or _("Cập nhật danh sách người lao động từ tệp"),
        detail={
            "file": filename[:200],
            "source": source,
            **({"actor": actor[:100]} if actor else {}),
            "applied": outcome.applied,
            **({"dry_run": True} if outcome.previewed else {}),
            **({"stale": True} if outcome.stale else {}),
            **{k: getattr(outcome, k) for k in IMPORT_COUNTS},
            "errors": len(outcome.errors),
            **({"people": people_runs(outcome.touched)} if outcome.touched else {}),
            **({"conflicts": sorted({c.person_id for c in outcome.conflicts})} if outcome.conflicts else {}),
        },
        ip=ip,
    )


def id_runs(ids: set[int]) -> list[list[int]]:
    """Sorted ids as [first, last] runs: people created by one import have consecutive ids."""
    runs: list[list[int]] = []
    for pk in sorted(ids):
        if runs and runs[-1][1] == pk - 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


def people_runs(touched: Touched) -> dict[str, Any]:
    """Every person the import created, linked, changed, moved or ended, as id runs (see docs/rosters.md).

    Complete up to AUDIT_MAX_RUNS runs per list, which a 160,000-row roster does not reach when new (one run)
    and reaches only if more than 20,000 scattered registered people changed; beyond, the list is cut and
    marked, and the counts stay exact.
    """
    out: dict[str, Any] = {}
    for name in ("created", "linked", "updated", "moved", "ended"):
        ids = getattr(touched, name)
        if ids:
            runs = id_runs(ids)
            out[name] = runs[:AUDIT_MAX_RUNS]
            if len(runs) > AUDIT_MAX_RUNS:
                out[f"{name}_truncated"] = len(ids)
    return out


def _save_run(run: ImportRun, outcome: ImportOutcome) -> None:
    run.company = outcome.company if outcome.company and outcome.company.pk else None
    problems = outcome.parsed.errors if outcome.parsed else []
    result = {
        "message": outcome.message,
        "errors": outcome.errors[:5000],
        "warnings": outcome.warnings[:5000],
        "changes": outcome.changes[:2000],
        "near_misses": outcome.near_misses,
        **({"preview": outcome.preview} if outcome.preview else {}),
        **({"undo": outcome.undo} if outcome.undo else {}),
        # cell coordinates for marking the uploaded file in the error report
        "cells": [
            [p.sheet, p.row, p.col_index, p.as_dict()["message"]] for p in problems[:20000] if p.col_index is not None
        ],
    }
    run.finish(
        applied=outcome.applied,
        counts={name: getattr(outcome, name) for name in IMPORT_COUNTS},
        result={**{k: v for k, v in (run.result or {}).items() if k in ("purpose", "actor", "ip")}, **result},
        # A file refused before it was read (too large, a zip bomb, not a spreadsheet) is deleted at once; one
        # that was read is kept for its error report until the retention period ends.
        keep_file=outcome.parsed is not None,
        previewed=outcome.previewed,
    )


def roster_import_run(*, run: ImportRun, purpose: str = "", request: HttpRequest | None = None) -> ImportOutcome:
    """Run a stored upload that a worker has started (``ImportRun.start``), recording progress on the run."""
    try:
        with run.file.open("rb") as stream:
            data = stream.read()
    except OSError:
        logger.exception("roster import %s: the uploaded file cannot be read", run.pk)
        run.fail(E_FAILED)
        raise

    def progress(done: int, total: int) -> None:
        run.report_progress(min(90, done * 90 // max(1, total)))

    preview = (run.result or {}).get("preview") or {}
    confirmed = run.mode == ImportMode.APPLY and "fingerprint" in preview
    return roster_import(
        data=data,
        filename=run.filename,
        user=run.confirmed_by if confirmed and run.confirmed_by else run.user,
        company=run.company,
        strict=run.strict,
        source=run.source,
        purpose=purpose,
        request=request,
        run=run,
        progress=progress,
        dry_run=run.mode == ImportMode.PREVIEW,
        expect_fingerprint=preview["fingerprint"] if confirmed else None,
    )


def roster_submit(
    *,
    upload: File,
    user: Any,
    company: Company | None,
    strict: bool,
    source: str,
    purpose: str,
    request: HttpRequest | None = None,
    mode: str = ImportMode.APPLY,
) -> ImportRun:
    """Store an upload as a queued run and hand it to the task queue (web page, JSON route, token API).

    Uploads never run in the web process: the queue's workers bound how many are parsed at once. ``mode``
    PREVIEW (the web page, the API's preview): checked and shown, applied only once confirmed (``roster_confirm``).
    """
    from worktrace.rosters.tasks import roster_enqueue

    run = ImportRun(
        company=company,
        user=user if getattr(user, "pk", None) else None,
        filename=(upload.name or "roster.xlsx")[:255],
        strict=strict,
        source=source,
        mode=mode,
        result={"ip": request.META.get("REMOTE_ADDR")} if request is not None else {},
    )
    run.file.save((upload.name or "roster.xlsx")[-100:], upload, save=False)
    run.save()
    roster_enqueue(run, purpose=purpose)
    run.refresh_from_db()
    return run


class NotConfirmable(Exception):
    """The run is not a preview waiting for confirmation (already applied, refused, or taken)."""


def roster_confirm(*, run: ImportRun, user: Any, purpose: str = "") -> ImportRun:
    """Queue the apply of a previewed run: the worker re-checks the roster against the preview's fingerprint.

    One conditional UPDATE takes the run from *previewed* to *queued*, so a double click applies once.
    """
    from worktrace.rosters.tasks import roster_enqueue

    taken = ImportRun.objects.filter(pk=run.pk, status=ImportStatus.PREVIEWED).update(
        status=ImportStatus.QUEUED, mode=ImportMode.APPLY, confirmed_by=user, progress=0, attempts=0, finished_at=None
    )
    if not taken:
        raise NotConfirmable
    run.refresh_from_db()
    roster_enqueue(run, purpose=purpose or (run.result or {}).get("purpose"))
    run.refresh_from_db()
    return run


def roster_wait(*, run: ImportRun, timeout: float, interval: float = 0.5) -> ImportRun:
    """Wait for a queued run to finish (the API answers with its outcome); returns it as last seen."""
    deadline = time.monotonic() + timeout
    while not run.finished and time.monotonic() < deadline:
        time.sleep(interval)
        run.refresh_from_db()
    return run


def run_json(run: ImportRun) -> dict[str, Any]:
    """A finished run in the shape of ``worktrace import --json`` (ImportOutcome.as_json)."""
    result = run.result or {}
    return import_json(
        company=run.company, counts=run, errors=result.get("errors", []), warnings=result.get("warnings", [])
    )


def undo_record(plan: Any) -> dict[str, Any]:
    """What undo.py needs to reverse an applied import: its instant, the jobs it created and ended, old shifts.

    Memberships are found again by the import's instant (``plan.now``): every membership it ended has that end,
    and every one it started for a job it did not create (a move, a driver, a co-resident) has that start.
    """
    return {
        "now": plan.now.isoformat(),
        "today": plan.today.isoformat(),
        "jobs_created": id_runs({row[0] for row in plan.new_jobs}),
        "jobs_ended": id_runs(set(plan.ended_jobs)),
        "shifts": {shift: id_runs(set(jobs)) for shift, jobs in plan.old_shifts.items()},
    }
