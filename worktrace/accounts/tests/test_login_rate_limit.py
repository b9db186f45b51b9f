"""Password spraying: failed sign-ins are limited per address (across accounts) and per user name."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from worktrace.ratelimits import TOO_MANY_SIGN_INS
from worktrace.testing import PASSWORD


@pytest.fixture
def tight(settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "login": {"user": "3/h", "address": "4/h"}}


def test_it_slows_spraying_across_accounts_from_one_address(client, world, tight):
    # One wrong password each for four accounts: axes locks none of them (its limit is per account).
    for username in ("admin", "zone", "focal_a", "focal_b"):
        assert client.post(reverse("login"), {"username": username, "password": "Spring2021!"}).status_code == 200
    response = client.post(reverse("login"), {"username": "health", "password": PASSWORD})
    assert response.status_code == 429
    assert str(TOO_MANY_SIGN_INS) in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 3600  # the rest of the one-hour window
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="10.1.1.1")  # a colleague elsewhere still signs in
    assert other.post(reverse("login"), {"username": "health", "password": PASSWORD}).status_code == 302


def test_it_slows_guessing_one_account_from_many_addresses(world, tight):
    for n in range(3):
        Client(REMOTE_ADDR=f"10.2.0.{n}").post(reverse("login"), {"username": "Health", "password": f"guess{n}"})
    response = Client(REMOTE_ADDR="10.2.0.99").post(reverse("login"), {"username": "health", "password": PASSWORD})
    assert response.status_code == 429


def test_successful_sign_ins_do_not_count(world, tight):
    for _ in range(6):
        office = Client(REMOTE_ADDR="10.3.0.1")
        assert office.post(reverse("login"), {"username": "health", "password": PASSWORD}).status_code == 302


def test_the_sign_in_page_itself_is_not_limited(client, world, tight):
    for username in ("admin", "zone", "focal_a", "focal_b"):
        client.post(reverse("login"), {"username": username, "password": "wrong"})
    assert client.get(reverse("login")).status_code == 200
