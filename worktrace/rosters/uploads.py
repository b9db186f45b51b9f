"""The HTTP-level bound on uploads: a body larger than a roster may be is refused before it is read.

``UploadSizeMiddleware`` answers 413 from the Content-Length alone, before CSRF or a view reads the body.
``LimitedUploadHandler`` counts the bytes of a body that arrives without a trustworthy length (chunked) and
stops reading once the limit is passed; the view then answers 413 the same way. Nothing of a refused body is
kept: the file parts already received were in a temporary file that Django removes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from worktrace.rosters.reader import max_upload_bytes

E_BODY_TOO_LARGE = _("Tệp tải lên vượt giới hạn %(limit)s MB; máy chủ đã từ chối mà không đọc tệp.")
# Room for the form's other fields and the multipart boundaries around the file itself.
FORM_OVERHEAD = 64 * 1024


def body_limit() -> int:
    return max_upload_bytes() + FORM_OVERHEAD


def too_large_response(request: HttpRequest) -> HttpResponse:
    limit = float(getattr(settings, "ROSTER_MAX_UPLOAD_MB", 50))
    message = str(E_BODY_TOO_LARGE) % {"limit": f"{limit:g}"}
    if _wants_json(request):
        return JsonResponse({"detail": message, "error": message}, status=413)
    html = render_to_string("rosters/too_large.html", {"message": message}, request=request)
    return HttpResponse(html, status=413)


def _wants_json(request: HttpRequest) -> bool:
    return (
        request.path.startswith("/api/")
        or request.path.rstrip("/").endswith("/api/nhap")
        or ("application/json" in request.headers.get("Accept", ""))
    )


class UploadSizeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit():
            stream = request.META.get("wsgi.input")
            if isinstance(stream, LimitedStream):
                # Django's development server reads whatever the application left unread, in one piece, once
                # the response is sent (200 MB in memory for a 200 MB body): there is nothing left to read.
                stream.limit = 0
            return too_large_response(request)
        response = self.get_response(request)
        if getattr(request, "upload_too_large", False) and response.status_code < 500:
            return too_large_response(request)
        return response


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: passes chunks on, and stops the upload past the limit."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = getattr(self, "received", 0) + len(raw_data)
        if self.received > body_limit():
            if self.request is not None:
                self.request.upload_too_large = True  # type: ignore[attr-defined]
            # connection_reset: the rest of the body is not read (an attacker's stream may never end).
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) builds the file
