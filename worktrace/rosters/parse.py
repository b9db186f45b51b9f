"""Reading a roster workbook into validated rows, errors and warnings (nothing is written here).

The steps, each in its own module: the rules of every sheet (rules.py), applying them to a sheet
(sheets.py), the checks across rows (crossrows.py); what comes out is described in rows.py. Rows with an
error are invalid (skipped, or the file refused under --strict); warnings are doubts about a row that is
still applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from worktrace.rosters import messages as m
from worktrace.rosters import normalize as n
from worktrace.rosters.columns import (
    COMPANY_FIELDS,
    COMPANY_INDEX,
    SHEET_COMPANY,
    SHEET_WORKERS,
    WORKER_INDEX,
    header_key,
)
from worktrace.rosters.crossrows import check_across_rows
from worktrace.rosters.reader import RefusedError, SheetRows, Workbook, find_header
from worktrace.rosters.rows import BusRow, CoResidentRow, ParsedRoster, Problem, WorkerRow
from worktrace.rosters.rules import bus_rules, coresident_rules, worker_rules
from worktrace.rosters.sheets import read_sheet
from worktrace.text import plate_key

__all__ = ["BusRow", "CoResidentRow", "ParsedRoster", "Problem", "WorkerRow", "parse_workbook"]


def parse_workbook(wb: Workbook, *, today: dt.date, progress: Callable[[int, int], None] | None = None) -> ParsedRoster:
    """Every sheet the contract names, read and checked; the optional sheets only when present."""
    parsed = ParsedRoster()
    parsed.company = _company(wb)
    buses = wb.find_sheet(bus_rules().sheet)
    if buses is not None:
        parsed.has_buses = True
        parsed.buses = _distinct_plates(read_sheet(buses, bus_rules(), parsed).valid)
    sheet = wb.find_sheet(SHEET_WORKERS) or _first_sheet_with_workers(wb)
    workers = read_sheet(sheet, worker_rules(today), parsed, progress=progress)
    parsed.worker_sheet, parsed.header_row, parsed.rows_read = sheet.name, workers.header.row, workers.read
    parsed.worker_columns, parsed.worker_headers = workers.header.where, workers.header.headers
    parsed.workers = workers.valid
    for row in workers.invalid:
        parsed.mark_invalid(row)
    coresidents = wb.find_sheet(coresident_rules().sheet)
    if coresidents is not None:
        parsed.has_coresidents = True
        parsed.coresidents = read_sheet(coresidents, coresident_rules(), parsed).valid
    check_across_rows(parsed)
    return parsed


def _company(wb: Workbook) -> dict[str, str]:
    """The "Doanh nghiệp" sheet: a label in column A, its value in column B."""
    company: dict[str, str] = {}
    sheet = wb.find_sheet(SHEET_COMPANY)
    if sheet is None:
        return company
    for _number, row in sheet.rows():
        if len(row) < 2:
            continue
        key = COMPANY_INDEX.get(header_key(row[0]))
        if key and key not in company:
            company[key] = n.text(row[1])
        if len(company) == len(COMPANY_FIELDS):
            break
    return company


def _first_sheet_with_workers(wb: Workbook) -> SheetRows:
    for name in wb.sheet_names:
        sheet = wb.sheet(name)
        if find_header(sheet.rows(), WORKER_INDEX, {"worker_code", "full_name"}):
            return sheet
    raise RefusedError(m.E_NO_HEADER, sheet=SHEET_WORKERS)


def _distinct_plates(buses: list[BusRow]) -> list[BusRow]:
    """A bus listed twice is one bus: its first row counts."""
    seen: set[str] = set()
    out = []
    for bus in buses:
        if plate_key(bus.plate) not in seen:
            seen.add(plate_key(bus.plate))
            out.append(bus)
    return out
