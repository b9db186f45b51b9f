"""Serving the demo with one command: the web server and the task queue's consumer, supervised together.

``worktrace demo`` (and so ``make run``) calls ``serve_with_worker``: both run as child processes, and when
either stops — Ctrl+C, a crash, a kill — the other is stopped too, so the demo never runs uploads into a
queue nobody reads, nor leaves a consumer behind.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import TextIO

from django.conf import settings


def serve_with_worker(addrport: str, *, out: TextIO | None = None, poll: float = 0.5) -> int:
    """Run ``runserver`` and ``run_huey`` until one of them stops; returns the first one's exit status."""
    command = [sys.executable, "-m", "worktrace.cli"]
    worker = subprocess.Popen([*command, "run_huey", "--workers", str(settings.HUEY_WORKERS)])
    server = subprocess.Popen([*command, "runserver", addrport, "--noreload"])
    children = {"worker": worker, "server": server}
    if out is not None:
        out.write(f"worker pid {worker.pid}, server pid {server.pid}\n")
        out.flush()
    status = 0
    # `kill <pid>` of this supervisor must stop both children too, as Ctrl+C does.
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        while True:
            stopped = [(name, child) for name, child in children.items() if child.poll() is not None]
            if stopped:
                name, child = stopped[0]
                status = child.returncode or 0
                if out is not None:
                    out.write(f"{name} stopped ({status}); stopping the other\n")
                break
            time.sleep(poll)
    except KeyboardInterrupt:  # Ctrl+C reaches the children too (same process group)
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    return status


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
