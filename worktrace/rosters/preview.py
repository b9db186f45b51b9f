"""Check before apply: what an upload would change, and whether the roster it was checked against still stands.

A preview runs the whole import (``services.roster_import(dry_run=True)``) inside a transaction that is rolled
back, so the difference shown is the one the same plan (``apply/``) would write — there is no second diff. The
apply re-computes the plan and first compares the company's roster with the one the preview saw
(``roster_fingerprint``): when it changed in between, nothing is applied and the run is previewed again.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db.models import Max

from worktrace.registry.models import Company, Employment, Membership, PersonDeclaration

NEW_COMPANY = "new"


def roster_fingerprint(company: Company | None) -> str:
    """A digest of the company's current roster: open jobs, open memberships it declared, its declarations.

    Any change to them between a preview and its apply (another upload, an official resolving a conflict,
    an undo) changes the digest. A company that does not exist yet has the fingerprint ``"new"``.
    """
    if company is None or not company.pk:
        return NEW_COMPANY
    digest = hashlib.sha256()
    jobs = Employment.objects.filter(company_id=company.pk, end_date__isnull=True).order_by("pk")
    for row in jobs.values_list("pk", "worker_code", "person_id", "shift").iterator(chunk_size=10_000):
        digest.update(repr(row).encode())
    digest.update(b"|")
    memberships = Membership.objects.filter(declared_by_id=company.pk, end__isnull=True).order_by("pk")
    for held in memberships.values_list("pk", "group_id").iterator(chunk_size=10_000):
        digest.update(repr(held).encode())
    latest = PersonDeclaration.objects.filter(company_id=company.pk).aggregate(at=Max("declared_at"))["at"]
    digest.update(f"|{latest}".encode())
    return digest.hexdigest()


def large_leave_percent() -> int:
    return int(getattr(settings, "ROSTER_LARGE_LEAVE_PERCENT", 20))


def is_large_leave(*, ended: int, current: int) -> bool:
    """Leavers over ROSTER_LARGE_LEAVE_PERCENT (20) of the company's current workers: a second confirmation."""
    return current > 0 and ended * 100 > large_leave_percent() * current


def preview_summary(*, ended: int, current: int, by_workshop: dict[str, dict[str, int]], fingerprint: str) -> dict:
    """What a run keeps of its preview (``result["preview"]``): the apply compares ``fingerprint`` again."""
    return {
        "fingerprint": fingerprint,
        "current": current,
        "share": round(ended * 100 / current) if current else 0,
        "large_leave": is_large_leave(ended=ended, current=current),
        "by_workshop": [
            {"workshop": name, **counts}
            for name, counts in sorted(by_workshop.items(), key=lambda item: (item[0] == "", item[0]))
        ],
    }


def preview_json(run_result: dict[str, Any]) -> dict[str, Any]:
    """The preview part of the JSON answers (command line --dry-run, API): no fingerprint."""
    preview = run_result.get("preview") or {}
    return {k: preview.get(k) for k in ("current", "share", "large_leave", "by_workshop")}
