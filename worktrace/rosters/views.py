"""Roster pages: upload, result (with progress), error report, template, export, and a JSON upload route."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from worktrace.accounts.access import (
    Capability,
    ExportScope,
    Masker,
    get_company_for_user,
    get_house_for_user,
    get_import_run_for_user,
    requires,
)
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import Company, Zone
from worktrace.rosters.export import roster_export
from worktrace.rosters.forms import ExportForm, UploadForm
from worktrace.rosters.houses import house_merge, house_near_misses
from worktrace.rosters.models import ImportMode, ImportRun, ImportSource, ImportStatus
from worktrace.rosters.preview import large_leave_percent
from worktrace.rosters.report import error_report
from worktrace.rosters.scope import CompanyOutOfScope, upload_company
from worktrace.rosters.services import NotConfirmable, roster_confirm, roster_submit, roster_wait, run_json
from worktrace.rosters.undo import UndoRefused, roster_undo, undo_refusal
from worktrace.rosters.workbook import write_template
from worktrace.spreadsheets import xlsx_response


@requires(Capability.IMPORT)
@require_GET
def rosters(request: HttpRequest) -> HttpResponse:
    access = request.access
    return render(
        request,
        "rosters/index.html",
        {
            "form": UploadForm(companies=access.companies()),
            "export_form": ExportForm(access=access) if access.can(Capability.EXPORT) else None,
            "runs": access.import_runs().select_related("company", "user")[:20],
        },
    )


@requires(Capability.IMPORT)
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = UploadForm(request.POST, request.FILES, companies=access.companies())
    if not form.is_valid():
        return render(
            request,
            "rosters/index.html",
            {"form": form, "runs": access.import_runs()[:20], "export_form": None},
            status=400,
        )
    company, _access = get_company_for_user(request.user, form.cleaned_data["company"].pk)
    run = roster_submit(
        upload=form.cleaned_data["file"],
        user=request.user,
        company=company,
        strict=form.cleaned_data["strict"],
        source=ImportSource.WEB,
        purpose=_("Tải lên danh sách người lao động"),
        request=request,
        mode=ImportMode.PREVIEW,  # checked and shown first; applied only when confirmed (run_apply)
    )
    return redirect("roster_run", run_id=run.pk)


@requires(Capability.IMPORT)
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run, access = get_import_run_for_user(request.user, run_id)
    template = "rosters/_progress.html" if request.headers.get("HX-Request") else "rosters/run.html"
    if template == "rosters/run.html":  # the result lists rows of people; the progress poll shows none
        audit_record(action=Action.LIST_PEOPLE, request=request, obj=run, detail={"what": "import_run"})
    result = run.result or {}
    masker = access.masker
    if not masker.reveal:
        result = {
            **result,
            "errors": _masked(result.get("errors", []), masker),
            "warnings": _masked(result.get("warnings", []), masker),
            "changes": [
                {**c, "name": masker.text(str(c["name"])), "detail": masker.text(str(c["detail"]))}
                for c in result.get("changes", [])
            ],
        }
    context = {
        "run": run,
        "result": result,
        "may_download": access.may_download_report(run),
        "previewed": run.status == ImportStatus.PREVIEWED,
        "undoable": run.status == ImportStatus.APPLIED and undo_refusal(run) is None,
        "preview": result.get("preview") or {},
    }
    if context["previewed"]:
        context["large_leave_message"] = large_leave_message(run)
        context["ended_display"] = _number(run.ended)
    return render(request, template, context)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # 2.100: Vietnamese thousands


def large_leave_message(run: ImportRun) -> str:
    """The plain warning of a preview whose leavers are over the setting's share of the company, else ""."""
    preview = (run.result or {}).get("preview") or {}
    if not preview.get("large_leave"):
        return ""
    return _(
        "Tệp này sẽ cho %(ended)s/%(current)s công nhân (%(share)s%%) nghỉ việc, quá %(limit)s%% số công nhân "
        "hiện có của doanh nghiệp. Nếu tệp chỉ là một phần danh sách, đừng áp dụng: hãy tải lên tệp đầy đủ."
    ) % {
        "ended": _number(run.ended),
        "current": _number(preview.get("current", 0)),
        "share": preview.get("share", 0),
        "limit": large_leave_percent(),
    }


@requires(Capability.IMPORT)
@require_POST
def run_apply(request: HttpRequest, run_id: int) -> HttpResponse:
    """The second, explicit step: apply a previewed upload (on the queue; the roster is re-checked there)."""
    run, _access = get_import_run_for_user(request.user, run_id)
    if run.status != ImportStatus.PREVIEWED:
        messages.error(request, _("Lượt nhập này không còn chờ xác nhận (đã áp dụng, bị từ chối hoặc đang xử lý)."))
        return redirect("roster_run", run_id=run.pk)
    if (run.result or {}).get("preview", {}).get("large_leave") and not request.POST.get("confirm_large_leave"):
        messages.error(request, _("Hãy đánh dấu ô xác nhận cho nghỉ việc số lượng lớn công nhân trước khi áp dụng."))
        return redirect("roster_run", run_id=run.pk)
    try:
        roster_confirm(run=run, user=request.user)
    except NotConfirmable:
        messages.error(request, _("Lượt nhập này không còn chờ xác nhận (đã áp dụng, bị từ chối hoặc đang xử lý)."))
    return redirect("roster_run", run_id=run.pk)


@requires(Capability.IMPORT)
@require_POST
def run_undo(request: HttpRequest, run_id: int) -> HttpResponse:
    """Reverse the company's last applied import, as history (undo.py); refused with the reason otherwise."""
    run, _access = get_import_run_for_user(request.user, run_id)
    try:
        outcome = roster_undo(run=run, user=request.user, request=request)
    except UndoRefused as exc:
        messages.error(request, exc.message)
        return redirect("roster_run", run_id=run.pk)
    messages.success(
        request,
        _(
            "Đã hoàn tác lượt nhập: %(reopened)s công nhân làm việc trở lại, %(ended)s việc làm do lượt nhập tạo ra "
            "đã kết thúc; %(m_reopened)s chỗ tổ/xưởng/phòng/xe được mở lại, %(m_ended)s được kết thúc."
        )
        % {
            "reopened": outcome.jobs_reopened,
            "ended": outcome.jobs_ended,
            "m_reopened": outcome.memberships_reopened,
            "m_ended": outcome.memberships_ended,
        },
    )
    return redirect("roster_run", run_id=run.pk)


IDENTIFIER_COLUMNS = {"national_id", "phone", "driver_id", "driver_phone"}


def _masked(problems: list[dict], masker: Masker) -> list[dict]:
    """Problems as a user who sees identifiers masked may read them: the value of an identifier column masked
    like in every list, and any identifier-like number in another value or in the message too (a warning names
    the converted phone). A problem names its column by key; runs recorded before problems carried one have
    their value masked as an identifier."""
    out = []
    for p in problems:
        identifier = p.get("key", "national_id") in IDENTIFIER_COLUMNS
        value = masker.national_id(str(p["value"])) if identifier else masker.text(str(p["value"]))
        out.append({**p, "value": value, "message": masker.text(str(p["message"]))})
    return out


@requires(Capability.IMPORT)
@require_GET
def run_report(request: HttpRequest, run_id: int) -> HttpResponse:
    run, access = get_import_run_for_user(request.user, run_id)
    if not access.may_download_report(run):
        raise PermissionDenied
    audit_record(
        action=Action.EXPORT,
        request=request,
        obj=run.company,
        object_type="import_run",
        object_id=run.pk,
        object_repr=run.filename,
        purpose=_("Tải báo cáo lỗi của lượt nhập danh sách"),
    )
    return xlsx_response(error_report(run), f"bao-cao-loi-{run.pk}.xlsx")


@requires(Capability.IMPORT)
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    out = io.BytesIO()
    write_template(out, zones=list(Zone.objects.order_by("name").values_list("name", flat=True)))
    return xlsx_response(out.getvalue(), "mau-danh-sach-nguoi-lao-dong.xlsx")


@requires(Capability.EXPORT)
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    access = request.access
    form = ExportForm(request.POST, access=access)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect("rosters")
    scope = form.cleaned_data["scope"]
    if scope == ExportScope.COMPANY:
        company, _access = get_company_for_user(request.user, form.cleaned_data["company"].pk)
        companies, label, obj = Company.objects.filter(pk=company.pk), company.tax_code, company
    elif scope == ExportScope.ZONE:
        zone = form.cleaned_data["zone"]
        companies, label, obj = access.companies().filter(zone=zone), zone.code, zone
    else:
        companies, label, obj = access.companies(), "toan-tinh", None
    out = io.BytesIO()
    masked = not access.masker.reveal
    count = roster_export(companies=companies, target=out, masker=access.masker)
    audit_record(
        action=Action.EXPORT,
        request=request,
        obj=obj,
        object_type="roster" if obj is None else "",
        object_repr=str(obj) if obj else _("Toàn tỉnh"),
        purpose=form.cleaned_data["purpose"],
        detail={"scope": scope, "workers": count, "companies": companies.count(), "masked": masked},
    )
    return xlsx_response(out.getvalue(), f"danh-sach-{label}-{timezone.localdate():%Y%m%d}.xlsx")


@requires(Capability.IMPORT)
@require_POST
def api_import(request: HttpRequest) -> JsonResponse:
    """The command line's JSON, over HTTP: multipart ``file``, optional ``company`` (tax code) and ``strict``."""
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": _("Thiếu tệp (trường file).")}, status=400)
    try:
        company = upload_company(access=request.access, tax_code=request.POST.get("company", ""))
    except CompanyOutOfScope:
        return JsonResponse({"error": _("Không có doanh nghiệp này trong phạm vi của bạn.")}, status=404)
    run = roster_submit(
        upload=upload,
        user=request.user,
        company=company,
        strict=request.POST.get("strict") in ("1", "true", "on"),
        source=ImportSource.API,
        purpose=request.POST.get("purpose", ""),
        request=request,
    )
    return run_response(run)


def run_response(run: ImportRun) -> JsonResponse:
    """The run's outcome as JSON once done (200 applied, 422 not); 202 with its page if still queued."""
    run = roster_wait(run=run, timeout=settings.ROSTER_API_WAIT_SECONDS)
    if not run.finished:
        body = {"run": run.pk, "status": run.status, "url": reverse("roster_run", args=[run.pk])}
        return JsonResponse(body, status=202)
    if run.status == ImportStatus.FAILED:
        return JsonResponse({"error": (run.result or {}).get("message", "")}, status=500)
    return JsonResponse(run_json(run), status=200 if run.status == ImportStatus.APPLIED else 422)


@requires(Capability.ADMINISTER)
def house_merge_view(request: HttpRequest, house_id: int) -> HttpResponse:
    """A near-miss boarding house and the houses it may be; POST merges it into the one chosen."""
    house, _access = get_house_for_user(request.user, house_id)
    candidates = house_near_misses(house=house)
    if request.method == "POST":
        target, _access = get_house_for_user(request.user, request.POST.get("into", 0))
        house_merge(source=house, target=target, user=request.user, request=request)
        messages.success(request, _("Đã gộp “%(a)s” vào “%(b)s”.") % {"a": house.name, "b": target.name})
        return redirect("rosters")
    return render(request, "rosters/house_merge.html", {"house": house, "candidates": candidates})
