"""Trace pages: parameters and result (grouped, printable), .xlsx export, network graph, investigations."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from worktrace.accounts.access import Capability, get_person_for_user, requires
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import GroupKind
from worktrace.spreadsheets import xlsx_response
from worktrace.tracing.export import trace_workbook
from worktrace.tracing.forms import ConfirmForm, TraceForm
from worktrace.tracing.models import Investigation
from worktrace.tracing.selectors import trace_document, trace_graph, trace_grouped
from worktrace.tracing.services import cases_confirm, investigation_create, trace_run

KIND_COLOURS = {
    GroupKind.TEAM: "#d32f2f",
    GroupKind.ROOM: "#7b1fa2",
    GroupKind.HOUSEHOLD: "#c2185b",
    GroupKind.VEHICLE: "#1976d2",
    GroupKind.TRIP: "#0288d1",
    GroupKind.LOCATION: "#f57c00",
    GroupKind.WORKSHOP: "#9e9e9e",
    GroupKind.BOARDING_HOUSE: "#8d6e63",
}


def _display(document: dict) -> dict:
    """Add what templates show: names of the people reached through, kind labels, dd/mm/yyyy times."""
    names = {document["index"]["id"]: document["index"]["name"]} | {c["id"]: c["name"] for c in document["contacts"]}
    window = document["window"]
    window["from_dt"], window["to_dt"] = (dt.datetime.fromisoformat(window[k]) for k in ("from", "to"))
    for contact in document["contacts"]:
        contact["label"] = f"F{contact['level']}" if contact["close"] else _("Theo dõi")
        for relation in contact["relations"]:
            relation["via_name"] = names.get(relation["via_id"], "")
            relation["kind_label"] = GroupKind(relation["kind"]).label
            relation["from_dt"] = dt.datetime.fromisoformat(relation["from"])
            relation["to_dt"] = dt.datetime.fromisoformat(relation["to"])
    return document


def _counts(document: dict) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for contact in document["contacts"]:
        label = f"F{contact['level']}" if contact["close"] else _("Theo dõi")
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda item: (not item[0].startswith("F"), item[0]))


def _run(request: HttpRequest, person_id: int):
    """The person and, when the parameters are valid, the trace document (with ids) and the form."""
    person, _access = get_person_for_user(request.user, person_id)
    form = TraceForm(request.GET if "purpose" in request.GET else None, initial=TraceForm.initial_values())
    if not form.is_valid():
        return person, form, None, None
    result = trace_run(
        index=person, params=form.params(), request=request, purpose=form.cleaned_data["purpose"], channel="web"
    )
    return person, form, result, trace_document(result, with_ids=True)


@requires(Capability.TRACE)
@require_GET
def trace_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person, form, result, document = _run(request, person_id)
    context = {"person": person, "form": form, "query": request.GET.urlencode()}
    if document is not None:
        context |= {
            "document": _display(document),
            "blocks": trace_grouped(document),
            "counts": _counts(document),
            "seconds": result.seconds,
            "graph": trace_graph(document),
            "colours": KIND_COLOURS,
            "legend": [(GroupKind(kind).label, colour) for kind, colour in KIND_COLOURS.items()],
        }
    template = "tracing/trace_print.html" if request.GET.get("in") and document else "tracing/trace.html"
    return render(request, template, context)


@requires(Capability.EXPORT)
@requires(Capability.TRACE)
@require_GET
def trace_export(request: HttpRequest, person_id: int) -> HttpResponse:
    person, _form, _result, document = _run(request, person_id)
    if document is None:
        raise Http404
    audit_record(
        action=Action.EXPORT,
        request=request,
        obj=person,
        purpose=request.GET.get("purpose", "")[:300],
        detail={"what": "trace.xlsx", "people": [c["id"] for c in document["contacts"]]},
    )
    return xlsx_response(trace_workbook(document), f"truy-vet-{person.pk}.xlsx")


@requires(Capability.TRACE)
@require_POST
def investigation_save(request: HttpRequest, person_id: int) -> HttpResponse:
    person, form, result, _document = _run_post(request, person_id)
    if result is None:
        messages.error(request, _("Tham số truy vết không hợp lệ."))
        return redirect("trace", person_id=person.pk)
    investigation = investigation_create(
        user=request.user, index=person, result=result, purpose=form.cleaned_data["purpose"]
    )
    messages.success(request, _("Đã lưu cuộc điều tra."))
    return redirect("investigation", investigation_id=investigation.pk)


def _run_post(request: HttpRequest, person_id: int):
    person, _access = get_person_for_user(request.user, person_id)
    form = TraceForm(request.POST)
    if not form.is_valid():
        return person, form, None, None
    result = trace_run(
        index=person, params=form.params(), request=request, purpose=form.cleaned_data["purpose"], channel="web"
    )
    return person, form, result, None


def _investigation_for_user(request: HttpRequest, investigation_id: int) -> Investigation:
    """Investigations are seen by whoever may trace their index case (404 otherwise)."""
    try:
        investigation = Investigation.objects.select_related("index_person", "created_by").get(pk=investigation_id)
    except Investigation.DoesNotExist:
        raise Http404 from None
    get_person_for_user(request.user, investigation.index_person_id)
    return investigation


@requires(Capability.TRACE)
@require_GET
def investigation_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Investigation.objects.select_related("index_person", "created_by"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "tracing/investigation_list.html", {"page_obj": page})


@requires(Capability.TRACE)
@require_GET
def investigation_detail(request: HttpRequest, investigation_id: int) -> HttpResponse:
    investigation = _investigation_for_user(request, investigation_id)
    audit_record(action=Action.VIEW_PERSON, request=request, obj=investigation, purpose=investigation.purpose)
    document = _display(investigation.snapshot)
    confirmed = {c.person_id: c.get_level_display() for c in investigation.cases.all()}
    for contact in document["contacts"]:
        contact["confirmed"] = confirmed.get(contact["id"], "")
    return render(
        request,
        "tracing/investigation.html",
        {
            "investigation": investigation,
            "document": document,
            "blocks": trace_grouped(document),
            "counts": _counts(document),
            "confirm_form": ConfirmForm(choices=[]),
        },
    )


@requires(Capability.TRACE)
@require_POST
def investigation_confirm(request: HttpRequest, investigation_id: int) -> HttpResponse:
    investigation = _investigation_for_user(request, investigation_id)
    choices = [(c["id"], c["name"]) for c in investigation.snapshot.get("contacts", []) if c["close"]]
    form = ConfirmForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            created = cases_confirm(
                user=request.user,
                investigation=investigation,
                person_ids=form.cleaned_data["people"],
                quarantine_place=form.cleaned_data["quarantine_place"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã xác nhận %(n)d người.") % {"n": len(created)})
    else:
        messages.error(request, _("Hãy chọn người cần xác nhận."))
    return redirect("investigation", investigation_id=investigation.pk)
