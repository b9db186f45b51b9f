"""Error pages: JSON under /api/ (machines read the API), the Vietnamese pages elsewhere.

django-ninja answers errors raised inside its routes itself; these handlers cover what reaches Django's own
handlers: a path under /api/ that matches no route (``/api/people/null,null``), and errors raised outside the
routes (the OpenAPI document's access check).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import defaults

BAD_REQUEST = _("Yêu cầu không hợp lệ.")
FORBIDDEN = _("Không có quyền.")
NOT_FOUND = _("Không tìm thấy.")
SERVER_ERROR = _("Lỗi máy chủ.")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _json_or(page: Callable[..., HttpResponse], status: int, message) -> Callable[..., HttpResponse]:
    def handler(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
        if _is_api(request):
            detail = str(exception) if isinstance(exception, BadRequest) and str(exception) else str(message)
            return JsonResponse({"detail": detail}, status=status)
        if status == 500:
            return page(request)
        return page(request, exception)

    return handler


def _bad_request_page(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Our own BadRequest messages say which filter was wrong; others (a bad Host header...) stay generic.
    message = str(exception) if isinstance(exception, BadRequest) and str(exception) else BAD_REQUEST
    return render(request, "400.html", {"message": message}, status=400)


bad_request = _json_or(_bad_request_page, 400, BAD_REQUEST)
permission_denied = _json_or(defaults.permission_denied, 403, FORBIDDEN)
page_not_found = _json_or(defaults.page_not_found, 404, NOT_FOUND)
server_error = _json_or(defaults.server_error, 500, SERVER_ERROR)
