"""A real site for browser tests: a fresh database, the demo province, and `worktrace runserver` on a free port.

Chromium is Debian's (``/usr/bin/chromium``) driven by Playwright; Playwright's own browser download is not
reachable on an air-gapped network.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fresh_postgres(url: str) -> str:
    import psycopg

    base, _, name = url.rpartition("/")
    e2e = f"{name.split('?')[0]}_e2e"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{e2e}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{e2e}"')
    return f"{base}/{e2e}"


@contextmanager
def served_site(var_dir: Path, *, workers: int = 300) -> Iterator[str]:
    env = {**os.environ, "WORKTRACE_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "worktrace.settings"}
    # No queue consumer runs beside this server: a roster upload's preview and apply run in the request.
    env["HUEY_IMMEDIATE"] = "1"
    # One site serves every browser test of the run: their traces, as the same demo officer within a minute, would
    # pass the production limit (10 a minute) and be answered 429. The limits themselves are tested in-process.
    env.setdefault("RATELIMIT_TRACE_USER", "1000/m")
    env.setdefault("RATELIMIT_TRACE_ADDRESS", "1000/m")
    if env.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = _fresh_postgres(env["DATABASE_URL"])
    command = [sys.executable, "-m", "worktrace.cli"]
    subprocess.run(
        [*command, "demo", "--workers", str(workers), "--no-serve"],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = _free_port()
    server = subprocess.Popen(
        [*command, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{url}/healthz", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("the test server did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
