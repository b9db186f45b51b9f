"""Roster pages: upload, result (with progress), error report, template, export, and a JSON upload route."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from worktrace.accounts.access import Capability, get_company_for_user, mask_national_id, requires
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import Company, Group, GroupKind, Zone
from worktrace.rosters.export import roster_export
from worktrace.rosters.forms import ExportForm, UploadForm
from worktrace.rosters.houses import house_merge, house_near_misses
from worktrace.rosters.models import ImportRun, ImportSource, ImportStatus
from worktrace.rosters.report import error_report
from worktrace.rosters.scope import CompanyOutOfScope, upload_company
from worktrace.rosters.selectors import get_import_run_for_user, import_runs_for
from worktrace.rosters.services import roster_submit, roster_wait, run_json
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
            "runs": import_runs_for(access).select_related("company", "user")[:20],
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
            {"form": form, "runs": import_runs_for(access)[:20], "export_form": None},
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
    )
    return redirect("roster_run", run_id=run.pk)


@requires(Capability.IMPORT)
@require_GET
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run, access = get_import_run_for_user(request.user, run_id)
    template = "rosters/_progress.html" if request.headers.get("HX-Request") else "rosters/run.html"
    result = run.result or {}
    if not access.can(Capability.SEE_IDENTIFIERS):
        result = {
            **result,
            "errors": _masked(result.get("errors", [])),
            "warnings": _masked(result.get("warnings", [])),
        }
    return render(request, template, {"run": run, "result": result, "may_download": _may_download(run, access)})


IDENTIFIER_COLUMNS = {"national_id", "phone", "driver_id", "driver_phone"}


def _masked(problems: list[dict]) -> list[dict]:
    """Citizen IDs and phones hidden from roles without see_identifiers, as in every list."""
    from worktrace.rosters.columns import BUS_INDEX, CORESIDENT_INDEX, WORKER_INDEX, header_key

    out = []
    for p in problems:
        key = header_key(p["column"])
        if {WORKER_INDEX.get(key), BUS_INDEX.get(key), CORESIDENT_INDEX.get(key)} & IDENTIFIER_COLUMNS:
            p = {**p, "value": mask_national_id(str(p["value"]))}
        out.append(p)
    return out


def _may_download(run: ImportRun, access) -> bool:
    """The report is the uploaded file itself: its uploader, or a role that may see identifiers."""
    return access.can(Capability.SEE_IDENTIFIERS) or run.user_id == access.user_id


@requires(Capability.IMPORT)
@require_GET
def run_report(request: HttpRequest, run_id: int) -> HttpResponse:
    run, access = get_import_run_for_user(request.user, run_id)
    if not _may_download(run, access):
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
    if scope == "company":
        company, _access = get_company_for_user(request.user, form.cleaned_data["company"].pk)
        companies, label, obj = Company.objects.filter(pk=company.pk), company.tax_code, company
    elif scope == "zone":
        zone = form.cleaned_data["zone"]
        companies, label, obj = access.companies().filter(zone=zone), zone.code, zone
    else:
        companies, label, obj = access.companies(), "toan-tinh", None
    out = io.BytesIO()
    masked = not access.can(Capability.SEE_IDENTIFIERS)
    count = roster_export(companies=companies, target=out, mask=masked)
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
    house = get_object_or_404(Group, pk=house_id, kind=GroupKind.BOARDING_HOUSE)
    candidates = house_near_misses(house=house)
    if request.method == "POST":
        target = get_object_or_404(Group, pk=request.POST.get("into", 0), kind=GroupKind.BOARDING_HOUSE)
        house_merge(source=house, target=target, user=request.user, request=request)
        messages.success(request, _("Đã gộp “%(a)s” vào “%(b)s”.") % {"a": house.name, "b": target.name})
        return redirect("rosters")
    return render(request, "rosters/house_merge.html", {"house": house, "candidates": candidates})
