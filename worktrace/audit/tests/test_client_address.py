"""The audit log records the client's address as the rate limits see it, also behind a proxy."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from worktrace.audit.models import Action, AuditEntry
from worktrace.audit.services import audit_record


def _record(request) -> AuditEntry:
    request.user = AnonymousUser()
    audit_record(action=Action.SEARCH, request=request, purpose="kiểm tra", object_repr="x")
    return AuditEntry.objects.latest("id")


@pytest.mark.django_db
def test_it_records_the_remote_address_by_default(settings):
    settings.CLIENT_IP_HEADER = "REMOTE_ADDR"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.7", HTTP_X_REAL_IP="203.0.113.9")
    assert _record(request).ip == "10.0.0.7"


@pytest.mark.django_db
def test_it_records_the_address_the_proxy_saw(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert _record(request).ip == "203.0.113.9"


@pytest.mark.django_db
def test_it_keeps_a_forged_header_value_out_of_the_log(settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_REAL_IP="<script>")
    assert _record(request).ip is None
