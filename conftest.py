"""Shared fixtures: the personas world, and a PostgreSQL guard for CI."""

from __future__ import annotations

import os

import pytest


def pytest_configure(config: pytest.Config) -> None:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        try:
            psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5).close()
        except psycopg.OperationalError as exc:
            raise pytest.UsageError(f"DATABASE_URL is PostgreSQL but it cannot be reached: {exc}") from exc


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's 1M iterations are the point in production and a minute of CPU per test run here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _queue_runs_tasks_at_once():
    # huey's immediate mode: a queued task runs in the caller, inside the test's transaction. The consumer
    # itself is exercised by rosters/tests/test_queue_consumer.py, which starts a real one.
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = True
    yield


@pytest.fixture
def held_queue(monkeypatch):
    """Tasks stay queued (in memory) until the test runs them with rosters.testing.run_queued_tasks()."""
    from huey.contrib.djhuey import HUEY

    monkeypatch.setattr(HUEY, "_immediate", False)  # keeps immediate mode's memory storage, not var/'s file
    HUEY.flush()
    yield HUEY
    HUEY.flush()  # what a test left queued must not run in the next one


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate-limit counters live in the (in-memory) cache: each test starts with none used.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db):
    from worktrace.testing import build_world

    return build_world()


@pytest.fixture(scope="session")
def site_url(tmp_path_factory):
    """A running worktrace with the demo province, on its own database."""
    from worktrace.browser import served_site

    with served_site(tmp_path_factory.mktemp("site-var")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from worktrace.browser import CHROMIUM_ARGS, chromium_path

    executable = chromium_path()
    if executable is None:
        message = "Chromium is not installed (apt-get install chromium; `make test` does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()
