"""Building roster workbooks in tests and benchmarks: rows as dicts keyed by the contract's column keys."""

from __future__ import annotations

import io
from collections.abc import Iterable

from openpyxl import Workbook

from worktrace.rosters.columns import (
    BUS_COLUMNS,
    COMPANY_FIELDS,
    CORESIDENT_COLUMNS,
    SHEET_BUSES,
    SHEET_COMPANY,
    SHEET_CORESIDENTS,
    SHEET_WORKERS,
    WORKER_COLUMNS,
)


def worker(code: str, name: str, national_id: str, **fields) -> dict:
    """A valid worker row; any column can be overridden or blanked."""
    row = {
        "worker_code": code,
        "full_name": name,
        "birth": "04/03/2001",
        "sex": "Nữ",
        "national_id": national_id,
        "phone": "0912000111",
        "workshop": "Phân xưởng May",
        "team": "Tổ 1",
    }
    row.update(fields)
    return row


def roster_bytes(
    workers: Iterable[dict],
    *,
    company: dict | None = None,
    buses: Iterable[dict] = (),
    coresidents: Iterable[dict] | None = None,
    title_rows: int = 0,
    columns: list[str] | None = None,
    write_only: bool = False,
) -> bytes:
    """An .xlsx in the contract's shape, written by openpyxl (as an HR tool would)."""
    book = Workbook(write_only=write_only)
    if not write_only:
        book.remove(book.active)
    if company is not None:
        sheet = book.create_sheet(SHEET_COMPANY)
        for field in COMPANY_FIELDS:
            sheet.append([field.header, company.get(field.key, "")])
    sheet = book.create_sheet(SHEET_WORKERS)
    for _ in range(title_rows):
        sheet.append(["DANH SÁCH NGƯỜI LAO ĐỘNG"])
    keys = columns or [c.key for c in WORKER_COLUMNS]
    labels = {c.key: c.header for c in WORKER_COLUMNS}
    sheet.append([labels.get(k, k) for k in keys])
    for number, row in enumerate(workers, start=1):
        sheet.append([number if k == "row_no" else row.get(k, "") for k in keys])
    buses = list(buses)
    if buses:
        sheet = book.create_sheet(SHEET_BUSES)
        sheet.append([c.header for c in BUS_COLUMNS])
        for row in buses:
            sheet.append([row.get(c.key, "") for c in BUS_COLUMNS])
    if coresidents is not None:
        sheet = book.create_sheet(SHEET_CORESIDENTS)
        sheet.append([c.header for c in CORESIDENT_COLUMNS])
        for row in coresidents:
            sheet.append([row.get(c.key, "") for c in CORESIDENT_COLUMNS])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def run_queued_tasks() -> int:
    """Execute what the task queue holds, as a consumer's worker would; returns how many tasks ran."""
    from huey.contrib.djhuey import HUEY

    done = 0
    held, HUEY._immediate = HUEY._immediate, True  # db_task would close the test's connection (its transaction)
    try:
        while (task := HUEY.dequeue()) is not None:
            HUEY.execute(task)
            done += 1
    finally:
        HUEY._immediate = held
    return done


def registry_state() -> tuple:
    """Everything an import may write (tests compare it before and after what must change nothing)."""
    from worktrace.registry.models import Company, Employment, Group, Membership, Person, PersonDeclaration, TestResult

    return (
        sorted(Employment.objects.values_list("id", "worker_code", "end_date", "shift")),
        sorted(Membership.objects.values_list("id", "start", "end")),
        sorted(Person.objects.values_list("id", "phone", "updated_at")),
        sorted(PersonDeclaration.objects.values_list("id", "declared_at")),
        Group.objects.count(),
        TestResult.objects.count(),
        Company.objects.count(),
    )
