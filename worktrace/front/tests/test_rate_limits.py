"""Rate limits on search and trace pages, per user and per address (worktrace/ratelimits.py)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from worktrace.ratelimits import TOO_MANY_REQUESTS


@pytest.fixture
def tight(settings):
    settings.RATELIMITS = {
        "login": {"user": "100/m", "address": "100/m"},
        "search": {"user": "3/m", "address": "5/m"},
        "trace": {"user": "2/m", "address": "3/m"},
        "api": {"user": "4/m", "address": "6/m"},
    }


def test_it_limits_searches_per_user(client, world, tight):
    client.force_login(world.health)
    statuses = [client.get(reverse("people"), {"q": f"nguyen {i}"}).status_code for i in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(reverse("people"), {"q": "binh"})
    assert response.status_code == 429
    assert str(TOO_MANY_REQUESTS) in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 60  # the rest of the one-minute window


def test_it_limits_searches_per_address_across_accounts(client, world, tight):
    for user in (world.health, world.admin):
        client.force_login(user)
        for _ in range(2):
            assert client.get(reverse("people"), {"q": "nguyen"}).status_code == 200
    client.force_login(world.zone_officer)
    assert client.get(reverse("people"), {"q": "nguyen"}).status_code == 200  # the fifth from this address
    assert client.get(reverse("people"), {"q": "nguyen"}).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.9")
    other.force_login(world.focal_a)
    assert other.get(reverse("people"), {"q": "nguyen"}).status_code == 200  # another address, another user


def test_it_limits_traces_per_user(client, world, tight):
    client.force_login(world.health)
    url = reverse("trace", kwargs={"person_id": world.ann.pk})
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_it_does_not_limit_other_pages(client, world, tight):
    client.force_login(world.health)
    assert all(client.get(reverse("home")).status_code == 200 for _ in range(10))


def test_the_address_behind_a_proxy_is_read_from_the_configured_header(client, world, tight, settings):
    settings.CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    client.force_login(world.health)
    for _ in range(3):
        client.get(reverse("people"), HTTP_X_REAL_IP="10.0.0.1")
    client.force_login(world.admin)
    assert client.get(reverse("people"), HTTP_X_REAL_IP="10.0.0.1").status_code == 200
    assert client.get(reverse("people"), HTTP_X_REAL_IP="10.0.0.1").status_code == 200
    assert client.get(reverse("people"), HTTP_X_REAL_IP="10.0.0.1").status_code == 429  # sixth from 10.0.0.1
    # Same proxy (REMOTE_ADDR), another client behind it: its own count.
    client.force_login(world.focal_a)
    assert client.get(reverse("people"), HTTP_X_REAL_IP="10.0.0.2").status_code == 200


def test_the_deploy_check_warns_about_per_process_counters(settings):
    from worktrace.ratelimits import check_shared_cache

    assert [m.id for m in check_shared_cache(None)] == ["worktrace.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    assert check_shared_cache(None) == []
