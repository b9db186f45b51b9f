"""Trace pages: parameters and result (grouped, printable), .xlsx export, network graph, saving an investigation.

The investigation pages themselves are investigation_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from worktrace.accounts.access import Capability, get_person_for_user, requires
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import Person
from worktrace.spreadsheets import xlsx_response
from worktrace.tracing.export import calls_workbook, trace_workbook
from worktrace.tracing.forms import TraceForm
from worktrace.tracing.graph import graph_legend, trace_graph
from worktrace.tracing.models import TraceRecord
from worktrace.tracing.results import (
    CompanyRow,
    Row,
    Summary,
    call_list,
    result_display,
    result_rows,
    result_summary,
    rows_page,
)
from worktrace.tracing.services import investigation_create, trace_record_create, trace_record_find

# The query parameter naming a kept result (TraceRecord.key) for print, export and save.
RESULT_PARAM = "ket_qua"
ERROR_RESULT_GONE = gettext_lazy("Kết quả truy vết này không còn lưu tạm; hãy truy vết lại rồi lưu.")


def _record(request: HttpRequest, person: Person) -> TraceRecord:
    """The kept result named by ``?ket_qua=`` (404 when missing, expired or another officer's)."""
    record = trace_record_find(user=request.user, index=person, key=request.GET.get(RESULT_PARAM, ""))
    if record is None:
        raise Http404
    return record


def _result_url(name: str, person: Person, record: TraceRecord, *args: str) -> str:
    return f"{reverse(name, args=[person.pk, *args])}?{RESULT_PARAM}={record.key}"


def _kept(request: HttpRequest, person_id: int) -> tuple[Person, TraceRecord, dict, Summary, list[Row]]:
    """The officer's own kept result of this person, made ready to show (masked per the viewer)."""
    person, access = get_person_for_user(request.user, person_id)
    record = _record(request, person)
    document = result_display(record.document, masker=access.masker)
    summary = result_summary(document)
    return person, record, document, summary, result_rows(document, summary)


def _audit_look(request: HttpRequest, person: Person, record: TraceRecord, what: str, rows: list[Row], **extra) -> None:
    """A look at (or download of) a kept result's people: which part, and whom it showed."""
    audit_record(
        action=Action.EXPORT if what.endswith(".xlsx") else Action.LIST_PEOPLE,
        request=request,
        obj=person,
        purpose=record.purpose,
        detail={"what": what, "trace": str(record.key), **extra, "people": sorted({r.contact["id"] for r in rows})},
    )


@requires(Capability.TRACE)
@require_http_methods(["GET", "POST"])
def trace_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """The form (GET); a trace (POST: audited, kept), then the kept result's own address.

    POST, so the stated purpose stays out of addresses, browser history and server logs; the result is named by its
    random key only.
    """
    person, _access = get_person_for_user(request.user, person_id)
    if request.method == "POST":
        form = TraceForm(request.POST, initial=TraceForm.initial_values())
        if form.is_valid():
            record = trace_record_create(
                user=request.user,
                index=person,
                params=form.params(),
                request=request,
                purpose=form.cleaned_data["purpose"],
            )
            return redirect(_result_url("trace_result", person, record))
    else:
        form = TraceForm(initial=TraceForm.initial_values())
    return render(request, "tracing/trace.html", {"person": person, "form": form})


@requires(Capability.TRACE)
@require_GET
def trace_result(request: HttpRequest, person_id: int) -> HttpResponse:
    """A kept result: the summary, then a page of people by company → workshop → team (not traced again)."""
    person, record, document, summary, rows = _kept(request, person_id)
    page, blocks = rows_page(rows, request.GET.get("trang"))
    _audit_look(request, person, record, "trace.result", list(page.object_list), page=page.number)
    context = {
        "person": person,
        "form": TraceForm(initial=TraceForm.initial_from(record)),
        "record": record,
        "document": document,
        "summary": summary,
        "page_obj": page,
        "blocks": blocks,
        "seconds": record.seconds,
        "graph_legend": graph_legend(record.params.get("depth", 2)),
    }
    return render(request, "tracing/trace.html", context)


@requires(Capability.TRACE)
@require_GET
def trace_print(request: HttpRequest, person_id: int) -> HttpResponse:
    """The kept result to print: the summary, then each company's call list (not every reason of every person)."""
    person, record, document, summary, rows = _kept(request, person_id)
    _audit_look(request, person, record, "trace.print", rows)
    calls = [(company, call_list(rows, company.tax_code)) for company in summary.companies]
    context = {"person": person, "record": record, "document": document, "summary": summary, "calls": calls}
    return render(request, "tracing/trace_print.html", context)


@requires(Capability.EXPORT)
@requires(Capability.TRACE)
@require_GET
def trace_export(request: HttpRequest, person_id: int) -> HttpResponse:
    """The kept result as .xlsx: exactly what the page showed, with no second run of the engine."""
    person, record, document, _summary, rows = _kept(request, person_id)
    _audit_look(request, person, record, "trace.xlsx", rows)
    workbook = trace_workbook(document, masker=request.access.masker)
    return xlsx_response(workbook, f"truy-vet-{person.pk}.xlsx")


def _calls(request: HttpRequest, person_id: int, company: str) -> tuple[Person, TraceRecord, dict, CompanyRow, list]:
    person, record, document, summary, rows = _kept(request, person_id)
    row = next((c for c in summary.companies if c.slug == company), None)
    if row is None:
        raise Http404
    return person, record, document, row, call_list(rows, row.tax_code)


@requires(Capability.TRACE)
@require_GET
def trace_calls(request: HttpRequest, person_id: int, company: str) -> HttpResponse:
    """One company's call list: whom to call, F1 first, with phone, workshop/team and why — printable."""
    person, record, document, row, calls = _calls(request, person_id, company)
    _audit_look(request, person, record, "trace.calls", calls, company=row.tax_code)
    context = {"person": person, "record": record, "document": document, "company": row, "calls": calls}
    return render(request, "tracing/trace_calls.html", context)


@requires(Capability.EXPORT)
@requires(Capability.TRACE)
@require_GET
def trace_calls_export(request: HttpRequest, person_id: int, company: str) -> HttpResponse:
    person, record, _document, row, calls = _calls(request, person_id, company)
    _audit_look(request, person, record, "trace.calls.xlsx", calls, company=row.tax_code)
    workbook = calls_workbook(calls, masker=request.access.masker)
    return xlsx_response(workbook, f"goi-{row.slug}-{person.pk}.xlsx")


@requires(Capability.TRACE)
@require_POST
def investigation_save(request: HttpRequest, person_id: int) -> HttpResponse:
    """Save the kept result the officer was looking at as an investigation."""
    person, _access = get_person_for_user(request.user, person_id)
    record = trace_record_find(user=request.user, index=person, key=request.POST.get(RESULT_PARAM, ""))
    if record is None:
        messages.error(request, ERROR_RESULT_GONE)
        return redirect("trace", person_id=person.pk)
    investigation = investigation_create(user=request.user, record=record)
    messages.success(request, _("Đã lưu cuộc điều tra."))
    return redirect("investigation", investigation_id=investigation.pk)


@requires(Capability.TRACE)
@require_GET
def trace_graph_data(request: HttpRequest, person_id: int) -> JsonResponse:
    """The contact network of a kept result (graph.py), for the page's graph: names, so audited as a list."""
    person, _access = get_person_for_user(request.user, person_id)
    record = _record(request, person)
    audit_record(
        action=Action.LIST_PEOPLE,
        request=request,
        obj=person,
        purpose=record.purpose,
        detail={
            "what": "trace.graph",
            "trace": str(record.key),
            "people": [c["id"] for c in record.document["contacts"]],
        },
    )
    return JsonResponse(trace_graph(record.document))
