"""Rate limits on sign-in, search, trace and the API (django-ratelimit), per user and per address.

One middleware applies them by route name, so a view does not have to remember to; the limits are settings
(``RATELIMITS``, see docs/configuration.md). Every request of a limited route counts, except sign-in, where only
*failed* attempts count (an office behind one address signs in every morning): failures per user name slow a
guessing attack on one account from many addresses, failures per address slow password spraying across many
accounts from one address. django-axes still locks an account after repeated failures from one address.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import checks
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage

TOO_MANY_REQUESTS = _("Quá nhiều yêu cầu trong thời gian ngắn. Vui lòng chờ một lát rồi thử lại.")
TOO_MANY_SIGN_INS = _("Quá nhiều lần đăng nhập sai trong thời gian ngắn. Vui lòng chờ rồi thử lại.")

# Route names (namespace:name) in each group. A route may be in several groups: an API search counts against
# both the search limit and the API limit.
ROUTE_GROUPS: dict[str, tuple[str, ...]] = {
    "people": ("search",),
    "api:search": ("search", "api"),
    "trace": ("trace",),
    "trace_export": ("trace",),
    "investigation_save": ("trace",),
    "api:trace": ("trace", "api"),
    "roster_api_import": ("api",),
}
LOGIN_ROUTE = "login"


def _user_key(group: str, request: HttpRequest) -> str | None:
    """The signed-in user, or the API token (the token's user is only known inside the API view)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("bearer "):
        return "token:" + hashlib.sha256(header[7:].strip().encode()).hexdigest()
    return None  # anonymous: only the address counts


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a proxy the header named by CLIENT_IP_HEADER (axes uses it too).

    Of a list (X-Forwarded-For) the last entry is the one the proxy itself saw; earlier ones are the client's say.
    """
    meta = getattr(request, "META", None) or {}
    value = meta.get(settings.CLIENT_IP_HEADER) or meta.get("REMOTE_ADDR") or ""
    return value.rsplit(",", 1)[-1].strip() or None


def _address_key(group: str, request: HttpRequest) -> str:
    return client_address(request) or "unknown"


def _username_key(group: str, request: HttpRequest) -> str:
    return "name:" + str(request.POST.get("username", "")).strip().casefold()[:150]


def _usage(request: HttpRequest, group: str, scope: str, key: Callable, *, increment: bool) -> dict | None:
    rate = settings.RATELIMITS[group][scope]
    return get_usage(request, group=f"worktrace.{group}.{scope}", key=key, rate=rate, increment=increment)


def groups_for(request: HttpRequest) -> tuple[str, ...]:
    match = request.resolver_match
    name = match.view_name if match is not None else ""
    groups = ROUTE_GROUPS.get(name, ())
    if request.path.startswith("/api/") and "api" not in groups:
        groups = (*groups, "api")
    return groups


def too_many_requests(request: HttpRequest, message: Any = TOO_MANY_REQUESTS, *, retry_after: int = 60) -> HttpResponse:
    """429, as JSON under /api/ and as a page elsewhere, saying when the window that refused it ends."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": str(message)}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(retry_after, 1))
    return response


def _login_failed(sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Count one failed sign-in against the user name and the address."""
    if request is None:
        return
    _usage(request, "login", "user", _username_key, increment=True)
    _usage(request, "login", "address", _address_key, increment=True)


def _login_blocked(request: HttpRequest) -> int:
    """Seconds until sign-in may be tried again from here or for this name; 0 when it may be tried now."""
    wait = 0
    for scope, key in (("user", _username_key), ("address", _address_key)):
        usage = _usage(request, "login", scope, key, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            wait = max(wait, usage["time_left"], 1)
    return wait


class RateLimitMiddleware:
    """Answers 429 before the view when a route's group is over its limit for this user or this address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable, args: Any, kwargs: Any) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name == LOGIN_ROUTE:
            wait = _login_blocked(request) if request.method == "POST" else 0
            return too_many_requests(request, TOO_MANY_SIGN_INS, retry_after=wait) if wait else None
        wait = 0
        anonymous = _user_key("", request) is None
        for group in groups_for(request):
            for scope, key in (("user", _user_key), ("address", _address_key)):
                if scope == "user" and anonymous:
                    continue
                usage = _usage(request, group, scope, key, increment=True)
                if usage and usage["should_limit"]:
                    wait = max(wait, usage["time_left"], 1)
        return too_many_requests(request, retry_after=wait) if wait else None


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """`worktrace check --deploy`: the counters must be shared when several processes serve the site."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache") and settings.RATELIMIT_ENABLE:
        return [
            checks.Warning(
                "Rate-limit counters are kept in each process's memory.",
                hint="With more than one web process set CACHE_URL=redis://... (docs/configuration.md).",
                id="worktrace.W001",
            )
        ]
    return []


def connect() -> None:
    user_login_failed.connect(_login_failed, dispatch_uid="worktrace_ratelimit_login_failed")
