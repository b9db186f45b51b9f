"""Security headers: Content-Security-Policy with no inline script or style, no-store on personal data, and
HTTPS settings (HSTS, secure cookies, redirect) from the environment."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from worktrace.api.services import token_create

TEMPLATES = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:
    directives = [d.strip().split() for d in response["Content-Security-Policy"].split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def test_pages_carry_a_policy_without_inline_script_or_style(client, world):
    client.force_login(world.health)
    policy = _policy(client.get(reverse("home")))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in str(policy) and "'unsafe-eval'" not in str(policy)


def test_no_template_has_inline_script_style_or_event_handlers():
    """What the policy would block: <script> without src, <style>, style="..." and on...="..." attributes."""
    found = []
    for path in TEMPLATES.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle=", r"\son[a-z]+="):
            found += [f"{path.relative_to(TEMPLATES)}: {m.group(0)}" for m in re.finditer(pattern, text)]
    # json_script writes <script type="application/json">, which is data and never executed: allowed by CSP.
    assert not found, found


def test_pages_for_signed_in_users_are_not_stored(client, world):
    client.force_login(world.health)
    for url in (reverse("home"), reverse("people"), reverse("person", kwargs={"person_id": world.ann.pk})):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_downloads_are_not_stored(client, world):
    from worktrace.tracing.models import TraceRecord

    client.force_login(world.health)
    trace = {"purpose": "Điều tra", "reference": "01/01/2026", "lookback": 4, "depth": 2, "close": "room"}
    assert client.post(reverse("trace", kwargs={"person_id": world.ann.pk}), trace).status_code == 302
    record = TraceRecord.objects.latest("created_at")
    response = client.get(reverse("trace_export", kwargs={"person_id": world.ann.pk}), {"ket_qua": record.key})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "no-store" in response["Cache-Control"]


def test_api_responses_are_not_stored(client, world):
    _token, raw = token_create(user=world.health, name="t")
    response = client.get(f"/api/people/{world.ann.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "no-store" in client.get("/api/search")["Cache-Control"]  # even the 401


def test_static_files_keep_their_cache_lifetime(client, world):
    client.force_login(world.health)
    response = client.get("/static/worktrace/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def _settings_with(env: dict[str, str]) -> dict:
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k, None) for k in"
        " ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS',"
        " 'SECURE_PROXY_SSL_HEADER']}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("HTTPS", "SECURE_COOKIES", "SECURE_PROXY_SSL_HEADER")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "DJANGO_SETTINGS_MODULE": "worktrace.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_https_turns_on_hsts_secure_cookies_and_the_redirect():
    plain = _settings_with({})
    assert (plain["SESSION_COOKIE_SECURE"], plain["SECURE_SSL_REDIRECT"], plain["SECURE_HSTS_SECONDS"]) == (
        False,
        False,
        0,
    )
    served = _settings_with({"HTTPS": "true", "SECURE_PROXY_SSL_HEADER": "true"})
    assert served["SESSION_COOKIE_SECURE"] and served["CSRF_COOKIE_SECURE"] and served["SECURE_SSL_REDIRECT"]
    assert served["SECURE_HSTS_SECONDS"] >= 180 * 24 * 3600
    assert served["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
