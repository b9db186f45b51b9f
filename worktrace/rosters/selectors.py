"""Reading rosters' import history within a user's scope (the scope itself comes from accounts/access.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from worktrace.accounts.access import Access, access_for
from worktrace.rosters.models import ImportRun


def import_runs_for(access: Access) -> QuerySet[ImportRun]:
    """Runs of companies in scope, and the user's own refused uploads that never reached a company."""
    if access.province_wide:
        return ImportRun.objects.all()
    return ImportRun.objects.filter(Q(company__in=access.companies()) | Q(company__isnull=True, user_id=access.user_id))


def get_import_run_for_user(user: Any, pk: int) -> tuple[ImportRun, Access]:
    access = access_for(user)
    try:
        return import_runs_for(access).select_related("company", "user").get(pk=pk), access
    except ImportRun.DoesNotExist:
        raise Http404 from None
