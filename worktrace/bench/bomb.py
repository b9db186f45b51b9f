"""`worktrace bench bomb`: a roster workbook that inflates to ~1 GB, given to a real import worker.

Issue 7 §4: 950 MB of shared strings at a compression ratio of 106 slipped under the ratio limit and was parsed,
peaking at 3.4 GB RSS. This builds such a file (an .xlsx whose sharedStrings.xml inflates to --inflate-mb at a
ratio near --ratio), stores it as a queued upload in a throw-away SQLite database (a temporary var/ directory),
and runs the queue's own task (``roster_import_task``) on it in a child process, as a consumer's worker would.
Printed: the file's sizes, the run's outcome, the child's wall time and peak RSS (``wait4``). A small valid
roster is run the same way first, for the worker's baseline memory. --variant lying declares every part as
1 KB (the archive lies; sizes and ratio pass), which only the chunked inflation check refuses.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

CHILD = """
import sys
from django.core.files.base import ContentFile
from worktrace.rosters.models import ImportRun
from worktrace.rosters.tasks import roster_import_task
path = sys.argv[1]
run = ImportRun(filename=path.rsplit("/", 1)[-1], source="bench")
with open(path, "rb") as stream:
    run.file.save("bench.xlsx", ContentFile(stream.read()), save=False)
run.save()
roster_import_task.call_local(run.pk)
run.refresh_from_db()
print(run.status, "|", (run.result or {}).get("message", ""), "| file kept:", bool(run.file))
"""


def build_bomb(path: Path, *, inflate_mb: int, ratio: int, seed: int = 7) -> tuple[int, int]:
    """Write the .xlsx; returns (compressed, inflated) sizes of sharedStrings.xml."""
    rng = random.Random(seed)
    chunk = 2**20
    # Per MB: enough random hex that deflate reaches about the ratio asked, the rest one repeated string.
    noise = max(64, int(chunk * 1.3 / ratio))
    filler = b"<si><t>Nguyen Thi Huong</t></si>" * (chunk // 32)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns:r="r"><sheets><sheet name="Người lao động" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        )
        with archive.open("xl/sharedStrings.xml", "w") as stream:  # under 2 GB: no zip64 needed
            stream.write(b"<sst>")
            for _ in range(inflate_mb):
                text = rng.randbytes(noise // 2).hex().encode()
                stream.write(b"<si><t>" + text + b"</t></si>" + filler[: chunk - len(text) - 16])
            stream.write(b"</sst>")
        info = archive.getinfo("xl/sharedStrings.xml")
    return info.compress_size, info.file_size


def lie_about_sizes(path: Path) -> None:
    """Declare every part as 1 KB in both headers: the sizes and the ratio then look harmless."""
    import struct

    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            (size,) = struct.unpack_from("<I", data, start + offset)
            if size != 0xFFFFFFFF:
                struct.pack_into("<I", data, start + offset, 1024)
            start += 4
    path.write_bytes(bytes(data))


def run_worker(path: Path, var: Path) -> tuple[str, float, int]:
    """The queue's task on the stored file, in a child process; returns (its output, seconds, peak RSS in KiB)."""
    env = {**os.environ, "WORKTRACE_VAR_DIR": str(var), "HUEY_IMMEDIATE": "1"}
    env.pop("DATABASE_URL", None)
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-m", "worktrace.cli", "shell", "-c", CHILD.replace("sys.argv[1]", repr(str(path)))],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    out = child.stdout.read() if child.stdout else ""
    _pid, _status, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    return out.strip().splitlines()[-1] if out.strip() else "(no output)", time.monotonic() - started, usage.ru_maxrss


def http_upload(megabytes: int) -> None:
    """POST a multipart body of ``megabytes`` to /api/rosters of a real server; print the answer and server memory."""
    import http.client
    import socket

    with tempfile.TemporaryDirectory(prefix="worktrace-http-") as tmp:
        env = {**os.environ, "WORKTRACE_VAR_DIR": str(Path(tmp) / "var")}
        env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "worktrace.cli", "migrate", "-v0"], env=env, check=True)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "-m", "worktrace.cli", "runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time.sleep(4)
            boundary = "worktracebench"
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.xlsx"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            tail = f"\r\n--{boundary}--\r\n".encode()
            length = len(head) + megabytes * 2**20 + len(tail)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            started = time.monotonic()
            connection.putrequest("POST", "/api/rosters")
            connection.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
            connection.putheader("Content-Length", str(length))
            connection.endheaders()
            sent = 0
            try:
                connection.send(head)
                block = b"\0" * 2**20
                for _ in range(megabytes):
                    connection.send(block)
                    sent += 1
                connection.send(tail)
            except OSError:
                pass  # the server answered and closed without reading the rest
            response = connection.getresponse()
            body = response.read().decode()[:120]
            seconds = time.monotonic() - started
            status = Path(f"/proc/{server.pid}/status").read_text()
            peak = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
            print(
                f"POST {megabytes} MB: HTTP {response.status} after {seconds:.1f} s, {sent} MB sent before the"
                f" answer; server peak RSS {int(peak) / 1024:.0f} MiB; {body}"
            )
        finally:
            server.terminate()
            server.wait(timeout=10)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="worktrace bench bomb", description=__doc__)
    parser.add_argument("--inflate-mb", type=int, default=1024)
    parser.add_argument("--ratio", type=int, default=106)
    parser.add_argument("--variant", choices=["honest", "lying"], default="honest")
    parser.add_argument("--http-mb", type=int, default=0, help="instead: POST a body this large to a real server")
    args = parser.parse_args(argv)
    if args.http_mb:
        http_upload(args.http_mb)
        return
    with tempfile.TemporaryDirectory(prefix="worktrace-bomb-") as tmp:
        tmpdir = Path(tmp)
        var = tmpdir / "var"
        env = {**os.environ, "WORKTRACE_VAR_DIR": str(var)}
        env.pop("DATABASE_URL", None)
        subprocess.run([sys.executable, "-m", "worktrace.cli", "migrate", "-v0"], env=env, check=True)

        from worktrace.rosters.testing import roster_bytes, worker

        small = tmpdir / "small.xlsx"
        small.write_bytes(
            roster_bytes(
                [worker("A001", "Nguyễn Thị Ánh", "024301001111")], company={"tax_code": "2400000999", "name": "Thử"}
            )
        )
        outcome, seconds, rss = run_worker(small, var)
        print(f"baseline (1-row roster): {outcome}; {seconds:.1f} s, peak RSS {rss / 1024:.0f} MiB")

        bomb = tmpdir / "bomb.xlsx"
        started = time.monotonic()
        compressed, inflated = build_bomb(bomb, inflate_mb=args.inflate_mb, ratio=args.ratio)
        if args.variant == "lying":
            lie_about_sizes(bomb)
        print(
            f"bomb ({args.variant}): file {bomb.stat().st_size / 2**20:.1f} MB, sharedStrings {inflated / 2**20:.0f} MB"
            f" inflated from {compressed / 2**20:.1f} MB (ratio {inflated / max(1, compressed):.0f}),"
            f" built in {time.monotonic() - started:.0f} s"
        )
        outcome, seconds, rss = run_worker(bomb, var)
        print(f"worker on the bomb: {outcome}; {seconds:.1f} s, peak RSS {rss / 1024:.0f} MiB")
