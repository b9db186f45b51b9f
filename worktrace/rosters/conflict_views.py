"""The queue of identity conflicts: roster rows refused for naming a registered citizen ID (issue 7 §1).

Officials of the province list them and resolve each one; the list shows registered people, so reading it is
audited like any people list.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from worktrace.accounts.access import Capability, get_identity_conflict_for_user, requires
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import ConflictStatus
from worktrace.rosters.conflicts import ConflictError, conflict_resolve

# What the official chooses, worded as the action it takes (the statuses name the outcome afterwards).
RESOLUTIONS = {
    ConflictStatus.LINKED: gettext_lazy("Cùng một người: liên kết như tệp khai"),
    ConflictStatus.CORRECTED: gettext_lazy("Sổ ghi sai: sửa họ tên, ngày sinh theo tệp rồi liên kết"),
    ConflictStatus.FRAUD: gettext_lazy("Khai gian: không liên kết, ghi nhận (cần ghi chú)"),
}


@requires(Capability.RESOLVE_IDENTITIES)
@require_GET
def conflict_list(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("tat-ca") == "1"
    conflicts = request.access.identity_conflicts().select_related("person", "company", "uploaded_by", "resolved_by")
    if not show_all:
        conflicts = conflicts.open()
    page_obj = Paginator(conflicts, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        action=Action.LIST_PEOPLE,
        request=request,
        object_type="identity_conflict",
        detail={"page": page_obj.number, "all": show_all, "shown": [c.person_id for c in page_obj]},
    )
    return render(
        request,
        "rosters/conflicts.html",
        {
            "page_obj": page_obj,
            "show_all": show_all,
            "resolutions": [(r.value, label) for r, label in RESOLUTIONS.items()],
        },
    )


@requires(Capability.RESOLVE_IDENTITIES)
@require_POST
def conflict_resolve_view(request: HttpRequest, conflict_id: int) -> HttpResponse:
    conflict, _access = get_identity_conflict_for_user(request.user, conflict_id)
    resolution = request.POST.get("resolution", "")
    if resolution not in {r.value for r in RESOLUTIONS}:
        messages.error(request, _("Hãy chọn cách xử lý."))
        return redirect("identity_conflicts")
    try:
        conflict_resolve(
            conflict=conflict,
            user=request.user,
            resolution=resolution,
            note=request.POST.get("note", ""),
            request=request,
        )
    except ConflictError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Đã xử lý xung đột: %(status)s.") % {"status": ConflictStatus(resolution).label})
    return redirect("identity_conflicts")
