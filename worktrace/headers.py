"""Cache-Control for personal data: nothing a signed-in user or an API client receives is stored by a cache.

One rule rather than a decorator per view: every response to an authenticated request and every response under
/api/ (pages, JSON, .xlsx downloads) is marked ``no-store``, so a shared computer's browser cache or a proxy
never keeps a profile, a trace or an export. Static files are served by WhiteNoise before this middleware and
keep their long cache lifetimes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)  # an API token's user is set on the request inside the view
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        return response
