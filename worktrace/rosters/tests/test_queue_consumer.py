"""The real queue: a huey consumer process on the embedded SQLite storage, and the demo's supervisor.

These tests start processes against a database of their own (a fresh var/ directory on SQLite, the embedded
default), since a consumer cannot see the test's transaction.
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

COMMAND = [sys.executable, "-m", "worktrace.cli"]
SUBMIT = """
from django.core.files.base import ContentFile
from worktrace.rosters.services import roster_submit
from worktrace.rosters.testing import roster_bytes, worker
data = roster_bytes(
    [worker("A001", "Nguyễn Thị Ánh", "024301001111")], company={"tax_code": "2400000999", "name": "Công ty Thử"}
)
run = roster_submit(upload=ContentFile(data, name="ds.xlsx"), user=None, company=None, strict=False,
                    source="web", purpose="thử")
print(run.pk, run.status)
"""


def _env(var) -> dict[str, str]:
    env = {**os.environ, "WORKTRACE_VAR_DIR": str(var), "HUEY_IMMEDIATE": "0", "HUEY_WORKERS": "1"}
    env.pop("DATABASE_URL", None)  # the embedded default: SQLite database, SQLite queue
    return env


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    var = tmp_path_factory.mktemp("queue-var")
    subprocess.run([*COMMAND, "migrate", "-v0"], env=_env(var), check=True, timeout=120)
    return var


def _status(var, run_id: int) -> tuple[str, int, str]:
    with sqlite3.connect(var / "worktrace.sqlite3") as db:
        return db.execute("SELECT status, created, worker FROM rosters_importrun WHERE id = ?", [run_id]).fetchone()


def _redis_url() -> str:
    """A Redis database of its own (13) on the local server, emptied; skips when there is no Redis."""
    import redis

    url = os.environ.get("WORKTRACE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {url}")
    return url


@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_it_runs_a_queued_upload_in_a_consumer_process(var_dir, queue):
    env = _env(var_dir)
    if queue == "redis":
        env["HUEY_REDIS_URL"] = _redis_url()  # production's queue: the upload waits in Redis, not in var/
    submitted = subprocess.run([*COMMAND, "shell", "-c", SUBMIT], env=env, check=True, capture_output=True, text=True)
    run_id, status = submitted.stdout.split()[-2:]
    assert status == "queued"  # the web side only stored and queued it
    consumer = subprocess.Popen(
        [*COMMAND, "run_huey", "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while _status(var_dir, int(run_id))[0] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.3)
    finally:
        consumer.terminate()
        consumer.wait(timeout=30)
    status, _created, worker = _status(var_dir, int(run_id))
    assert status == "applied"  # the first parameter creates the worker, the second finds it unchanged
    host, _, pid = worker.rpartition(":")
    assert host == socket.gethostname() and int(pid) != os.getpid()  # run by the consumer, not by this test


BIG_SUBMIT = """
from django.core.files.base import ContentFile
from worktrace.rosters.services import roster_submit
from worktrace.rosters.testing import roster_bytes, worker
rows = [worker(f"K{i:06d}", "Nguyễn Thị Ánh", f"024301{i:06d}") for i in range(ROWS)]
data = roster_bytes(rows, company={"tax_code": "2400000888", "name": "Công ty Bị Ngắt"}, write_only=True)
run = roster_submit(upload=ContentFile(data, name="lon.xlsx"), user=None, company=None, strict=False,
                    source="web", purpose="thử")
print(run.pk, run.status)
"""
SWEEP = "from worktrace.rosters.tasks import roster_sweep_stale; print(*roster_sweep_stale())"


def _attempts(var, run_id: int) -> int:
    with sqlite3.connect(var / "worktrace.sqlite3") as db:
        return db.execute("SELECT attempts FROM rosters_importrun WHERE id = ?", [run_id]).fetchone()[0]


def _wait(var, run_id: int, until, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = _status(var, run_id)
        if until(row):
            return row
        time.sleep(0.02)
    raise AssertionError(f"run {run_id} stayed {_status(var, run_id)}")


def test_it_retries_an_upload_whose_worker_was_killed(var_dir):
    env = _env(var_dir)
    script = BIG_SUBMIT.replace("ROWS", "10000")  # long enough (a second or two) to be caught running
    submitted = subprocess.run([*COMMAND, "shell", "-c", script], env=env, check=True, capture_output=True, text=True)
    run_id = int(submitted.stdout.split()[-2])
    consumer = subprocess.Popen(
        [*COMMAND, "run_huey", "--workers", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        *_, worker = _wait(var_dir, run_id, lambda row: row[0] == "running")
        os.kill(int(worker.rpartition(":")[2]), signal.SIGKILL)  # the worker process, mid-import
        time.sleep(0.5)
        assert _status(var_dir, run_id)[0] == "running"  # left behind: nobody will finish it by itself
        swept = subprocess.run([*COMMAND, "shell", "-c", SWEEP], env=env, check=True, capture_output=True, text=True)
        assert swept.stdout.split()[-2:] == ["1", "0"]  # retried, not failed
        # The consumer replaced its dead worker (check_worker_health) and runs the retry from the queue.
        status, created, second = _wait(var_dir, run_id, lambda row: row[0] not in ("queued", "running"))
    finally:
        consumer.terminate()
        consumer.wait(timeout=30)
    assert (status, created) == ("applied", 10000) and second != worker
    assert _attempts(var_dir, run_id) == 2


def test_it_stops_the_web_server_when_the_worker_dies(var_dir):
    env = _env(var_dir)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    script = (
        "import django, sys; django.setup(); from worktrace.demo.serve import serve_with_worker; "
        f"sys.exit(serve_with_worker('127.0.0.1:{port}', out=sys.stdout, poll=0.1))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "worktrace.settings"
    supervisor = subprocess.Popen(
        [sys.executable, "-c", script], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        line = supervisor.stdout.readline()  # "worker pid N, server pid M"
        worker_pid, server_pid = (int(word.strip(",")) for word in line.split() if word.strip(",").isdigit())
        os.kill(worker_pid, signal.SIGKILL)
        assert supervisor.wait(timeout=30) != 0
        with pytest.raises(ProcessLookupError):
            os.kill(server_pid, 0)  # stopped and reaped by the supervisor
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
