"""`worktrace bench import`: roster import end to end on rosters built with the demo generator.

Prints rows/s and peak memory (RSS of the importing process) for: one file of N rows; the same rows as
C companies' files; and an unchanged re-import of the one file. Each import runs as its own
`worktrace import FILE --json` process, as a company's HR or a cron job would run it, against the database
this command is configured with (DATABASE_URL). Generated workbooks are cached under var/bench-rosters/.
Use an empty database: the command migrates it, and the imported rosters stay there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

from worktrace.demo.generator import ProvinceBuilder
from worktrace.registry.admin_units import OLD_PROVINCES
from worktrace.registry.models import Sex
from worktrace.rosters.testing import roster_bytes

WORKSHOPS = ["Phân xưởng May", "Phân xưởng Cắt", "Phân xưởng Hoàn thiện", "Bộ phận Kho", "Bộ phận QC", "Xưởng Đóng gói"]
SHIFTS = ["Ca 1", "Ca 2", "Ca 3", "Hành chính"]
VACCINES = ["AstraZeneca", "Pfizer", "Moderna", "Vero Cell", "Sputnik V"]


def build_rosters(*, rows: int, companies: int, seed: int, today: dt.date) -> list[tuple[str, dict, list, list]]:
    """(tax code, company info, worker rows, bus rows) per company, people drawn by the demo generator."""
    builder = ProvinceBuilder(workers=rows, seed=seed, today=today, trip_days=0, trips_per_day=0)
    rng = random.Random(seed)
    houses = max(1, rows // 25)
    out = []
    per = rows // companies
    for c in range(companies):
        tax = f"29{seed % 100:02d}{c + 1:06d}"
        workers, plates = [], {}
        for k in range(per if c < companies - 1 else rows - per * (companies - 1)):
            builder.new_person()
            p = builder.people[-1]
            (_pid, nid, name, _folded, birth, _year, sex, phone, _prov, _ward, address, doses, dose_on, vaccine) = p[
                :14
            ]
            workshop = WORKSHOPS[k * len(WORKSHOPS) // per % len(WORKSHOPS)]
            row = {
                "worker_code": f"CN{k + 1:06d}",
                "full_name": name,
                "birth": birth,
                "sex": "Nữ" if sex == Sex.FEMALE else "Nam",
                "national_id": nid,
                "phone": phone,
                "home_province": OLD_PROVINCES[int(nid[:3])][0]
                if len(nid) == 12 and int(nid[:3]) in OLD_PROVINCES
                else "",
                "permanent_address": address,
                "workshop": workshop,
                "team": f"Tổ {k % 6 + 1}",
                "shift": rng.choice(SHIFTS),
                "doses": doses,
                "last_dose_on": dose_on,
                "vaccine_name": vaccine,
                "start_date": today - dt.timedelta(days=rng.randint(30, 900)),
            }
            if rng.random() < 0.8:
                house = rng.randrange(houses)
                row.update(
                    lodging_code=f"NT{house:05d}", lodging=f"Nhà trọ số {house}", room=f"Phòng {rng.randint(1, 12)}"
                )
            if rng.random() < 0.4:
                plate = f"98B-{c + 100:03d}.{k // 40 % 100:02d}"
                row["bus"] = plate
                plates[plate] = {"plate": plate, "driver_name": f"Lái xe {plate}", "route": "Thôn – KCN", "seats": 45}
            if rng.random() < 0.6:
                row.update(last_test_on=today - dt.timedelta(days=rng.randint(0, 6)), test_result="Âm tính")
            workers.append(row)
        company = {"name": f"Công ty Đo hiệu năng {c + 1}", "tax_code": tax}
        out.append((tax, company, workers, list(plates.values())))
    return out


def _write(path: Path, company: dict, workers: list, buses: list) -> None:
    path.write_bytes(roster_bytes(workers, company=company, buses=buses, title_rows=2, write_only=True))


def _run_import(path: Path | list[Path]) -> tuple[float, int, dict]:
    """Wall time, peak RSS (KiB) and JSON answer of one `worktrace import` process (or one process for a list)."""
    started = time.perf_counter()
    if isinstance(path, list):
        command = ["bench", "import", "--in-process", *map(str, path)]
    else:
        command = ["import", str(path), "--json"]
    process = subprocess.Popen(
        [sys.executable, "-m", "worktrace.cli", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    stdout = process.stdout.read()
    stderr = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    try:
        answer = json.loads(stdout)
    except json.JSONDecodeError:
        raise SystemExit(f"import failed ({process.returncode}): {stderr.decode()[-2000:]}") from None
    return elapsed, usage.ru_maxrss, answer


def _line(label: str, rows: int, seconds: float, peak_kib: int, answer: dict | None = None) -> None:
    counts = ""
    if answer:
        counts = " ".join(f"{k}={answer[k]}" for k in ("created", "ended", "moved", "unchanged", "invalid"))
    rate = rows / seconds
    peak = peak_kib / 1024
    print(f"{label:<34} {rows:>8,} rows {seconds:7.1f} s {rate:>9,.0f} rows/s  peak {peak:6.0f} MiB  {counts}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="worktrace bench import", description=__doc__)
    parser.add_argument("--rows", type=int, default=160_000)
    parser.add_argument("--companies", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument(
        "--only",
        choices=["one", "many"],
        help="only the one big file (new, then unchanged) or only the companies' files (new, then unchanged)",
    )
    parser.add_argument("--in-process", nargs="+", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--parse-only", metavar="FILE", help="CPU seconds of opening and reading FILE, no database")
    options = parser.parse_args(argv)
    if options.in_process:
        _in_process(options.in_process)
        return
    if options.parse_only:
        _parse_only(Path(options.parse_only))
        return
    call_command("migrate", verbosity=0)
    connection.close()
    today = dt.date.today()
    folder = Path(settings.VAR_DIR) / "bench-rosters"
    folder.mkdir(exist_ok=True)
    single = folder / f"one-{options.rows}-{options.seed}.xlsx"
    many = [
        folder / f"many-{options.rows}-{options.companies}-{options.seed}-{i:02d}.xlsx"
        for i in range(options.companies)
    ]
    started = time.perf_counter()
    if options.only == "many":
        single = None
    if options.only == "one":
        many = []
    if single is not None and not single.exists():
        ((_tax, company, workers, buses),) = build_rosters(
            rows=options.rows, companies=1, seed=options.seed, today=today
        )
        _write(single, company, workers, buses)
    if many and not all(p.exists() for p in many):
        rosters = build_rosters(rows=options.rows, companies=options.companies, seed=options.seed + 1, today=today)
        for path, (_tax, company, workers, buses) in zip(many, rosters, strict=True):
            _write(path, company, workers, buses)
    size = f"{single.stat().st_size / 2**20:.1f} MB for {options.rows:,} rows" if single else "companies' files"
    print(f"database: {connection.vendor}; workbooks ready in {time.perf_counter() - started:.1f} s ({size})")
    if single:
        seconds, peak, answer = _run_import(single)
        _line("one file, new roster", options.rows, seconds, peak, answer)
    if many:
        total, top, rows = 0.0, 0, 0
        for path in many:
            seconds_i, peak_i, answer_i = _run_import(path)
            total += seconds_i
            top = max(top, peak_i)
            rows += answer_i["created"] + answer_i["unchanged"] + answer_i["moved"]
        _line(f"{options.companies} companies' files, new", rows, total, top)
    if single:
        seconds, peak, answer = _run_import(single)
        _line("one file, unchanged re-import", options.rows, seconds, peak, answer)
    if many:
        seconds, peak, answer = _run_import(many)
        _line(f"{options.companies} files unchanged, one process", answer["rows"], seconds, peak)


def _in_process(paths: list[str]) -> None:
    """Import several files in one process, as the web server does; prints one JSON object."""
    from worktrace.rosters.services import roster_import

    rows = 0
    for path in paths:
        outcome = roster_import(data=Path(path).read_bytes(), filename=Path(path).name, source="bench")
        rows += outcome.created + outcome.unchanged + outcome.moved
    print(json.dumps({"rows": rows}))


def _parse_only(path: Path) -> None:
    """The reading side alone (byte and formula checks, then every cell validated), in CPU seconds."""
    from django.utils import timezone

    from worktrace.rosters.parse import parse_workbook
    from worktrace.rosters.reader import Workbook

    data = path.read_bytes()
    started = time.process_time()
    workbook = Workbook(data)
    opened = time.process_time()
    parsed = parse_workbook(workbook, today=timezone.localdate())
    done = time.process_time()
    print(
        f"open and checks {opened - started:.2f} s CPU, parse {done - opened:.2f} s CPU: "
        f"{len(parsed.workers):,} rows, {len(parsed.errors):,} errors, {len(parsed.warnings):,} warnings"
    )
