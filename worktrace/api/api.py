"""The integration API (django-ninja, OpenAPI at /api/openapi.json): search, profile, trace.

Authentication: `Authorization: Bearer <token>` (tokens from `worktrace api_token`), or the signed-in session.
Every call goes through accounts/access.py with the token's user, and is written to the audit log like the pages.
No interactive docs page: Swagger UI would load from a CDN, and the network may be air-gapped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, NinjaAPI, Query, Schema, Status, UploadedFile
from ninja.errors import HttpError
from ninja.security import django_auth

from worktrace.accounts.access import Access, Capability, get_person_for_user, requires, requires_api
from worktrace.api.auth import TokenAuth
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import Person
from worktrace.registry.selectors import declared_about, people_search
from worktrace.tracing.engine import DEFAULT_CLOSE, DEFAULT_DEPTH, DEFAULT_LOOKBACK_DAYS
from worktrace.tracing.models import TraceChannel
from worktrace.tracing.params import trace_params_kinds, trace_params_parse
from worktrace.tracing.selectors import people_cards, person_related, trace_document
from worktrace.tracing.services import trace_run


def _docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI document is read by integrations too: a bearer token works as well as the session."""
    guarded = requires(Capability.DASHBOARD)(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and request.headers.get("Authorization"):
            if TokenAuth()(request) is None:  # sets request.user to the token's user when the token is valid
                return JsonResponse({"detail": UNAUTHORIZED}, status=401)
        return guarded(request, *args, **kwargs)

    wrapped.required_capability = guarded.required_capability  # type: ignore[attr-defined]  # scope matrix
    return wrapped


UNAUTHORIZED = "Unauthorized"


class ErrorOut(Schema):
    """Every error of the API: a message, or for 422 on malformed parameters django-ninja's list of problems."""

    detail: str | list[dict[str, Any]]


# The errors any route may answer, documented in the OpenAPI document (404 only where a path names an object,
# 400 only where a request body is parsed). Added to every operation, so a new route is documented too.
ERROR_RESPONSES = {
    400: "Yêu cầu không đọc được",
    401: "Thiếu token hoặc token không hợp lệ",
    403: "Tài khoản của token không có quyền này",
    404: "Không có đối tượng này trong phạm vi của tài khoản",
    422: "Tham số không hợp lệ",
    429: "Quá nhiều yêu cầu: chờ rồi thử lại (Retry-After)",
}


class WorktraceAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema["components"].setdefault("schemas", {})["Error"] = ErrorOut.model_json_schema()
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                responses = operation["responses"]
                for status, description in ERROR_RESPONSES.items():
                    if status == 404 and "{" not in path and status not in responses:
                        continue
                    if status == 400 and "requestBody" not in operation:
                        continue
                    if status in responses:  # a route's own declaration keeps its schema; errors may come too
                        declared = responses[status].get("content", {}).get("application/json", {}).get("schema")
                        if declared is not None:
                            responses[status]["content"]["application/json"]["schema"] = {
                                "anyOf": [declared, {"$ref": "#/components/schemas/Error"}]
                            }
                        continue
                    responses[status] = {"description": description, "content": error}
        return schema


api = WorktraceAPI(
    title="worktrace API",
    version="1",
    description="Tìm kiếm, hồ sơ và truy vết F0/F1/F2 cho hệ thống tích hợp. Quyền như tài khoản sở hữu token.",
    auth=[TokenAuth(), django_auth],
    docs_url=None,
    docs_decorator=_docs_access,
    urls_namespace="api",
)


class PersonOut(Schema):
    id: int
    name: str
    national_id: str
    phone: str
    birth: str
    companies: list[str]


def _identity(person: Person, access: Access) -> dict[str, Any]:
    return {
        "id": person.pk,
        "name": person.full_name,
        "national_id": access.masker.national_id(person.national_id),
        "phone": access.masker.phone(person.phone),
        "birth": person.birth_display,
    }


@api.get("/search", response=list[PersonOut], url_name="search", summary="Tìm người (tên không dấu, mã CN, CCCD, SĐT)")
@requires_api(Capability.VIEW_PEOPLE)
def search(request: HttpRequest, q: str = "", purpose: str = "") -> list[dict]:
    access = request.access  # type: ignore[attr-defined]
    q = q.strip()[:100]
    fragments = access.may_search_identifier_fragments
    people = list(people_search(access.people(), q, identifier_fragments=fragments)[:50]) if q else []
    cards = people_cards([p.pk for p in people], on=timezone.now())
    audit_record(
        action=Action.SEARCH,
        request=request,
        object_type="person",
        purpose=purpose[:300],
        detail={"q": q, "channel": "api", "shown": [p.pk for p in people]},
    )
    return [_identity(p, access) | {"companies": [c[2] for c in cards[p.pk].companies]} for p in people]


@api.get("/people/{int:person_id}", response=dict[str, Any], url_name="person", summary="Hồ sơ một người")
@requires_api(Capability.VIEW_PEOPLE)
def person(request: HttpRequest, person_id: int, purpose: str = "") -> dict[str, Any]:
    found, access = get_person_for_user(request.user, person_id)
    audit_record(action=Action.VIEW_PERSON, request=request, obj=found, purpose=purpose[:300] or "API")
    own = access.declarations_visible(found.pk)  # a company sees only what its own relation justifies
    seen = declared_about(found, own)
    related = person_related(person=found, visible=access.people(), only_groups=seen.groups, companies=own)
    return _identity(found, access) | {
        "sex": found.sex,
        "home_province": str(found.home_province or ""),
        "vaccine": {
            "doses": found.vaccine_doses,
            "name": found.vaccine_name,
            "last_dose_on": found.last_dose_on.isoformat() if found.last_dose_on else None,
        },
        "jobs": [
            {
                "company": job.company.name,
                "tax_code": job.company.tax_code,
                "worker_code": job.worker_code,
                "start_date": job.start_date.isoformat(),
                "end_date": job.end_date.isoformat() if job.end_date else None,
            }
            for job in seen.jobs
        ],
        "memberships": [
            {
                "kind": m.group.kind,
                "group": str(m.group),
                "role": m.role,
                "from": timezone.localtime(m.start).isoformat(),
                "to": timezone.localtime(m.end).isoformat() if m.end else None,
            }
            for m in seen.history[:200]
        ],
        "tests": [
            {"sampled_on": t.sampled_on.isoformat(), "method": t.method, "outcome": t.outcome} for t in seen.tests[:20]
        ],
        "cases": [
            {"level": c.level, "since": c.starts_on.isoformat(), "investigation": c.investigation_id}
            for c in found.case_statuses.all()[:20]
        ],
        "related": {
            group.kind: {
                "people": [{"id": card.id, "name": card.name} for card, _reasons in group.people],
                "outside_scope": group.hidden,
            }
            for group in related
        },
    }


class TraceQuery(Schema):
    date: dt.date | None = None
    lookback: int = DEFAULT_LOOKBACK_DAYS
    isolated: dt.date | None = None
    depth: int = DEFAULT_DEPTH
    close: str = ",".join(sorted(DEFAULT_CLOSE))
    min_overlap: int | None = None
    purpose: str = ""


# Argument of trace_params_parse → the query parameter that gave it, to name it in a 422.
_TRACE_QUERY_NAMES = {"reference": "date", "isolated_on": "isolated", "min_overlap_minutes": "min_overlap"}


@api.get(
    "/people/{int:person_id}/trace",
    response=dict[str, Any],
    url_name="trace",
    summary="Truy vết F1/F2 từ một F0 (cùng dạng JSON với `worktrace trace --json`)",
)
@requires_api(Capability.TRACE)
def trace(request: HttpRequest, person_id: int, filters: Query[TraceQuery]) -> dict[str, Any]:
    index, access = get_person_for_user(request.user, person_id)
    try:
        params = trace_params_parse(
            reference=filters.date,
            today=timezone.localdate(),
            lookback=filters.lookback,
            isolated_on=filters.isolated,
            depth=filters.depth,
            close=trace_params_kinds(filters.close),
            min_overlap_minutes=filters.min_overlap,
        )
    except ValidationError as exc:
        problems = (f"{_TRACE_QUERY_NAMES.get(k, k)}: {' '.join(v)}" for k, v in exc.message_dict.items())
        raise HttpError(422, " ".join(problems)) from exc
    result = trace_run(
        index=index, params=params, request=request, purpose=filters.purpose[:300], channel=TraceChannel.API
    )
    return trace_document(result, visible=access.people())


@api.post(
    "/rosters",
    response={200: dict[str, Any], 202: dict[str, Any], 404: dict[str, Any], 413: dict[str, Any], 422: dict[str, Any]},
    url_name="roster_import",
    summary="Nhập danh sách người lao động (cùng dạng JSON với `worktrace import --json`)",
)
@requires_api(Capability.IMPORT)
def roster_import_route(
    request: HttpRequest,
    file: UploadedFile | None = File(None),  # noqa: B008
    company: str = Form(""),
    strict: bool = Form(False),
    purpose: str = Form(""),
) -> Status:
    """Multipart ``file`` (.xlsx/.xls/.ods); ``company`` a tax code in scope, else the one the file names.

    The upload runs on the task queue like the web page's; the answer waits for it (ROSTER_API_WAIT_SECONDS),
    else is 202 with the run's page. 413 when the body is larger than ROSTER_MAX_UPLOAD_MB.
    """
    from worktrace.rosters.models import ImportMode

    access = request.access  # type: ignore[attr-defined]
    run = _submitted(request, file=file, company=company, strict=strict, purpose=purpose, mode=ImportMode.APPLY)
    return run if isinstance(run, Status) else _run_answer(run, access, one_step=True)


def _submitted(request: HttpRequest, *, file: Any, company: str, strict: bool, purpose: str, mode: str) -> Any:
    """An API upload stored and queued (one step or preview); a Status 404 when the company is not in scope."""
    from worktrace.rosters.models import ImportSource
    from worktrace.rosters.scope import CompanyOutOfScope, upload_company
    from worktrace.rosters.services import roster_submit

    access = request.access  # type: ignore[attr-defined]
    if file is None:
        raise HttpError(422, "Thiếu tệp (trường file).")
    try:
        target = upload_company(access=access, tax_code=company)
    except CompanyOutOfScope:
        return Status(404, {"error": "Không có doanh nghiệp này trong phạm vi của bạn."})
    return roster_submit(
        upload=file,
        user=request.user,
        company=target,
        strict=strict,
        source=ImportSource.API,
        purpose=purpose[:300],
        request=request,
        mode=mode,
    )


ROSTER_RUN_ANSWERS = {
    200: dict[str, Any],
    202: dict[str, Any],
    404: dict[str, Any],
    409: dict[str, Any],
    422: dict[str, Any],
}


def _preview_body(run: Any, access: Access) -> dict[str, Any]:
    """A previewed run: its id, the counts of ``worktrace import --json``, by workshop, large leave, the changes."""
    from worktrace.rosters.preview import preview_json
    from worktrace.rosters.services import run_json

    result = run.result or {}
    masker = access.masker
    changes = [
        {**{k: c.get(k, "") for k in ("kind", "worker_code", "workshop")}, "name": masker.text(str(c["name"])),
         "detail": masker.text(str(c["detail"]))}
        for c in result.get("changes", [])
    ]  # fmt: skip
    return {
        "run": run.pk,
        "status": run.status,
        "message": result.get("message", ""),
        **run_json(run),
        **preview_json(result),
        "changes": changes,
        "apply": reverse("api:roster_apply", args=[run.pk]),
    }


def _run_answer(run: Any, access: Access, *, one_step: bool = False) -> Status:
    """A run once the queue is done with it: previewed 200 (or 409 when the roster changed since the preview),
    applied 200, refused 422; 202 with its page while still queued."""
    from worktrace.rosters.models import ImportStatus
    from worktrace.rosters.services import roster_wait, run_json

    run = roster_wait(run=run, timeout=settings.ROSTER_API_WAIT_SECONDS)
    if not run.finished:
        return Status(202, {"run": run.pk, "status": run.status, "url": reverse("roster_run", args=[run.pk])})
    if run.status == ImportStatus.FAILED:
        raise HttpError(500, (run.result or {}).get("message", ""))
    if run.status == ImportStatus.PREVIEWED:
        return Status(409 if run.mode == "apply" else 200, _preview_body(run, access))
    body = run_json(run) if one_step else {"run": run.pk, **run_json(run)}  # one step: exactly the command's JSON
    return Status(200 if run.status == ImportStatus.APPLIED else 422, body)


@api.post(
    "/rosters/preview",
    response={**ROSTER_RUN_ANSWERS, 413: dict[str, Any]},
    url_name="roster_preview",
    summary="Kiểm tra tệp danh sách và xem trước thay đổi (chưa áp dụng gì)",
)
@requires_api(Capability.IMPORT)
def roster_preview_route(
    request: HttpRequest,
    file: UploadedFile | None = File(None),  # noqa: B008
    company: str = Form(""),
    strict: bool = Form(False),
    purpose: str = Form(""),
) -> Status:
    """The first step: the same fields as POST /rosters; nothing changes. The answer: ``run`` (for
    POST /rosters/{run_id}/apply), the counts, ``by_workshop``, ``current`` (the company's workers now),
    ``share`` and ``large_leave`` (leavers over ROSTER_LARGE_LEAVE_PERCENT of them), the first 2,000 changes."""
    from worktrace.rosters.models import ImportMode

    access = request.access  # type: ignore[attr-defined]
    run = _submitted(request, file=file, company=company, strict=strict, purpose=purpose, mode=ImportMode.PREVIEW)
    return run if isinstance(run, Status) else _run_answer(run, access)


@api.post(
    "/rosters/{int:run_id}/apply",
    response=ROSTER_RUN_ANSWERS,
    url_name="roster_apply",
    summary="Áp dụng một lượt nhập đã xem trước",
)
@requires_api(Capability.IMPORT)
def roster_apply_route(request: HttpRequest, run_id: int, confirm_large_leave: bool = Form(False)) -> Status:
    """The second step. 409 when the run is not waiting for confirmation, or when the company's roster changed
    since the preview (nothing applied; the answer is the new preview: check it, then apply again). 422 when the
    preview's leavers are a large share of the company and ``confirm_large_leave`` is not true."""
    from worktrace.accounts.access import get_import_run_for_user
    from worktrace.rosters.models import ImportStatus
    from worktrace.rosters.services import NotConfirmable, roster_confirm

    run, access = get_import_run_for_user(request.user, run_id)
    if run.status != ImportStatus.PREVIEWED:
        return Status(409, {"error": "Lượt nhập này không chờ xác nhận.", "status": run.status})
    if (run.result or {}).get("preview", {}).get("large_leave") and not confirm_large_leave:
        return Status(422, {"error": "Số người nghỉ việc lớn: gửi confirm_large_leave=true để xác nhận."})
    try:
        run = roster_confirm(run=run, user=request.user)
    except NotConfirmable:
        return Status(409, {"error": "Lượt nhập này không chờ xác nhận.", "status": run.status})
    return _run_answer(run, access)


@api.post(
    "/rosters/{int:run_id}/undo",
    response={200: dict[str, Any], 404: dict[str, Any], 409: dict[str, Any]},
    url_name="roster_undo",
    summary="Hoàn tác lượt nhập gần nhất của doanh nghiệp",
)
@requires_api(Capability.IMPORT)
def roster_undo_route(request: HttpRequest, run_id: int) -> Status:
    """Reverse an applied import as history (docs/rosters.md, "Undo"); 409 with the reason when refused."""
    from worktrace.accounts.access import get_import_run_for_user
    from worktrace.rosters.undo import UndoRefused, roster_undo

    run, _access = get_import_run_for_user(request.user, run_id)
    try:
        outcome = roster_undo(run=run, user=request.user, request=request)
    except UndoRefused as exc:
        return Status(409, {"error": exc.message})
    return Status(200, {"run": run.pk, "status": "undone", **outcome.__dict__})


def urls():
    """The API's URL patterns, each marked for the scope matrix test with what its route declared (@requires_api).

    django-ninja serves a route through its own view, not the function decorated: carry the mark across.
    """
    patterns, app_name, namespace = api.urls
    declared = {
        operation.url_name: operation.view_func.required_capability
        for _prefix, router in api._routers
        for path_view in router.path_operations.values()
        for operation in path_view.operations
        if hasattr(operation.view_func, "required_capability")
    }
    for pattern in patterns:
        if pattern.name in declared:
            pattern.callback.required_capability = declared[pattern.name]
        elif pattern.name == "api-root":
            pattern.callback.required_capability = None  # answers 404 (no docs page): nothing to protect
    return patterns, app_name, namespace
