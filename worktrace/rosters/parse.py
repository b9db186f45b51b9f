"""Reading a roster workbook into validated rows, errors and warnings (nothing is written here).

Each problem names the sheet, the sheet's own row number, the column as headed in the file, the value and
what is wrong. Rows with an error are invalid (skipped, or the file refused under --strict); warnings are
doubts about a row that is still applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from worktrace.rosters import messages as m
from worktrace.rosters import normalize as n
from worktrace.rosters.columns import (
    BUS_COLUMNS,
    BUS_INDEX,
    COMPANY_FIELDS,
    COMPANY_INDEX,
    CORESIDENT_COLUMNS,
    CORESIDENT_INDEX,
    SHEET_BUSES,
    SHEET_COMPANY,
    SHEET_CORESIDENTS,
    SHEET_WORKERS,
    WORKER_COLUMNS,
    WORKER_INDEX,
    Column,
    header_key,
)
from worktrace.rosters.reader import RefusedError, SheetRows, Workbook, find_header
from worktrace.text import fold, plate_key

MAX_TEXT = 200


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    value: str
    message: Promise | str
    params: dict = field(default_factory=dict)
    col_index: int | None = None  # 0-based, for marking the cell in the error report

    def as_dict(self) -> dict:
        message = str(self.message)
        if self.params:
            message = message % self.params
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "value": self.value, "message": message}


@dataclass(slots=True)
class WorkerRow:
    row: int
    worker_code: str
    full_name: str
    birth_date: dt.date | None
    birth_year: int | None
    sex: str
    national_id: str
    phone: str
    home_province: int | None
    permanent_address: str
    lodging_code: str
    lodging: str
    room: str
    workshop: str
    team: str
    shift: str
    bus: str
    doses: int
    last_dose_on: dt.date | None
    vaccine_name: str
    last_test_on: dt.date | None
    test_result: str
    start_date: dt.date | None


@dataclass(slots=True)
class BusRow:
    row: int
    plate: str
    driver_name: str
    driver_phone: str
    driver_id: str
    route: str
    seats: int | None


@dataclass(slots=True)
class CoResidentRow:
    row: int
    full_name: str
    national_id: str
    phone: str
    lodging_code: str
    lodging: str
    room: str
    note: str


@dataclass
class ParsedRoster:
    company: dict[str, str] = field(default_factory=dict)
    workers: list[WorkerRow] = field(default_factory=list)
    buses: list[BusRow] = field(default_factory=list)
    coresidents: list[CoResidentRow] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    invalid_rows: set[int] = field(default_factory=set)
    # Workers on invalid rows are not leavers: their codes and IDs, where readable, protect their jobs.
    protected_codes: dict[str, int] = field(default_factory=dict)  # code → row number
    protected_ids: set[str] = field(default_factory=set)
    # An optional sheet left out of the file leaves what it would declare as it was.
    has_buses: bool = False
    has_coresidents: bool = False
    header_row: int = 0
    rows_read: int = 0
    worker_columns: dict[str, int] = field(default_factory=dict)  # key → column index, for the error report


def parse_workbook(wb: Workbook, *, today: dt.date, progress: Callable[[int], None] | None = None) -> ParsedRoster:
    parsed = ParsedRoster()
    _parse_company(wb, parsed)
    buses = wb.find_sheet(SHEET_BUSES)
    if buses is not None:
        parsed.has_buses = True
        _parse_buses(buses, parsed)
    sheet = wb.find_sheet(SHEET_WORKERS)
    if sheet is None:
        sheet = _first_sheet_with_workers(wb)
    _parse_workers(sheet, parsed, today=today, progress=progress)
    coresidents = wb.find_sheet(SHEET_CORESIDENTS)
    if coresidents is not None:
        parsed.has_coresidents = True
        _parse_coresidents(coresidents, parsed)
    _check_across_rows(parsed)
    return parsed


def _parse_company(wb: Workbook, parsed: ParsedRoster) -> None:
    sheet = wb.find_sheet(SHEET_COMPANY)
    if sheet is None:
        return
    for _number, row in sheet.rows():
        if len(row) < 2:
            continue
        key = COMPANY_INDEX.get(header_key(row[0]))
        if key and key not in parsed.company:
            parsed.company[key] = n.text(row[1])
        if len(parsed.company) == len(COMPANY_FIELDS):
            break


def _first_sheet_with_workers(wb: Workbook) -> SheetRows:
    for name in wb.sheet_names:
        sheet = wb.sheet(name)
        if find_header(sheet.rows(), WORKER_INDEX, {"worker_code", "full_name"}):
            return sheet
    raise RefusedError(m.E_NO_HEADER, sheet=SHEET_WORKERS)


def _header(sheet: SheetRows, index, anchors, columns: tuple[Column, ...]):
    rows = sheet.rows()
    found = find_header(rows, index, anchors)
    if found is None:
        raise RefusedError(m.E_NO_HEADER, sheet=sheet.name)
    number, keys, written = found
    present = set(keys.values())
    for column in columns:
        if column.required and column.key not in present:
            raise RefusedError(m.E_MISSING_COLUMN, sheet=sheet.name, row=number, column=column.label)
    labels = {c.key: c.label for c in columns}
    names = {col: written.get(col) or labels[key] for col, key in keys.items()}
    return rows, number, keys, names


class _Row:
    """One row being validated: collects problems against the sheet's own coordinates."""

    __slots__ = ("cells", "errors", "names", "number", "parsed", "sheet", "where")

    def __init__(self, parsed: ParsedRoster, sheet: str, number: int, cells: dict[str, object], where, names):
        self.parsed, self.sheet, self.number, self.cells = parsed, sheet, number, cells
        self.where, self.names = where, names  # key → column index, column index → header
        self.errors = 0

    def problem(self, key: str, message, *, warning: bool = False, **params) -> None:
        col = self.where.get(key)
        problem = Problem(
            self.sheet,
            self.number,
            self.names.get(col, key) if col is not None else key,
            n.text(self.cells.get(key)),
            message,
            params,
            col,
        )
        if warning:
            self.parsed.warnings.append(problem)
        else:
            self.errors += 1
            self.parsed.errors.append(problem)

    def get(self, key: str, parser, *args, **kwargs):
        try:
            return parser(self.cells.get(key), *args, **kwargs)
        except n.CellError as exc:
            self.problem(key, exc.message, **exc.params)
            return None

    def text(self, key: str, *, required: bool = False, legacy: bool = False) -> str:
        value = n.text(self.cells.get(key))
        if required and not value:
            self.problem(key, m.E_REQUIRED)
        if len(value) > MAX_TEXT:
            self.problem(key, m.E_TOO_LONG, limit=MAX_TEXT)
            return ""
        if legacy and value:
            converted, encoding = n.legacy_fix(value)
            if encoding:
                self.problem(key, m.W_LEGACY_TEXT, warning=True, encoding=encoding.upper(), new=converted)
                return converted
        return value


def _cells(row: list, keys: dict[int, str]) -> dict[str, object]:
    width = len(row)
    return {key: row[col] for col, key in keys.items() if col < width}


def _blank(row: list) -> bool:
    return all(cell == "" or cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def _parse_workers(sheet: SheetRows, parsed: ParsedRoster, *, today: dt.date, progress) -> None:
    from functools import lru_cache

    from worktrace.registry.admin_units import province_code_for

    province_code_for = lru_cache(maxsize=1024)(province_code_for)

    rows, parsed.header_row, keys, names = _header(
        sheet, WORKER_INDEX, {"worker_code", "full_name", "national_id"}, WORKER_COLUMNS
    )
    where = {key: col for col, key in keys.items()}
    parsed.worker_columns = where
    total = max(1, sheet.sheet.height - parsed.header_row)
    for number, raw in rows:
        if _blank(raw):
            continue
        cells = _cells(raw, keys)
        row_no = cells.get("row_no")
        if isinstance(row_no, str) and row_no[:1] in "VvEe" and fold(row_no) in ("vi du", "example"):
            continue  # the template's example row
        parsed.rows_read += 1
        if progress and parsed.rows_read % 5000 == 0:
            progress(parsed.rows_read, total)
        r = _Row(parsed, sheet.name, number, cells, where, names)
        code = r.text("worker_code", required=True)
        full_name = r.text("full_name", required=True, legacy=True)
        national_id = ""
        if cells.get("national_id") in ("", None):
            r.problem("national_id", m.E_REQUIRED)
        else:
            got = r.get("national_id", n.national_id)
            if got:
                national_id = got[0]
        birth = r.get("birth", n.date, today=today, allow_year=True) if cells.get("birth") not in ("", None) else None
        if cells.get("birth") in ("", None):
            r.problem("birth", m.E_REQUIRED)
        birth_date, birth_year = birth if birth else (None, None)
        sex = r.get("sex", n.sex) or ""
        phone = r.get("phone", n.phone)
        if phone and phone[1]:
            r.problem("phone", m.W_OLD_PHONE, warning=True, new=phone[0])
        province_text = r.text("home_province")
        province = province_code_for(province_text) if province_text else None
        if province_text and province is None:
            r.problem("home_province", m.W_UNKNOWN_PROVINCE, warning=True)
        bus = r.get("bus", n.plate) or ""
        row = WorkerRow(
            row=number,
            worker_code=code,
            full_name=full_name,
            birth_date=birth_date,
            birth_year=birth_year,
            sex=sex,
            national_id=national_id,
            phone=phone[0] if phone else "",
            home_province=province,
            permanent_address=r.text("permanent_address", legacy=True),
            lodging_code=r.text("lodging_code"),
            lodging=r.text("lodging", legacy=True),
            room=r.text("room"),
            workshop=r.text("workshop", required=True, legacy=True),
            team=r.text("team", legacy=True),
            shift=r.text("shift")[:40],
            bus=bus,
            doses=r.get("doses", n.doses) or 0,
            last_dose_on=_day(r, "last_dose_on", today),
            vaccine_name=r.text("vaccine_name")[:60],
            last_test_on=_day(r, "last_test_on", today),
            test_result=r.get("test_result", n.test_result) or "",
            start_date=_day(r, "start_date", today),
        )
        if row.last_test_on and not row.test_result:
            row.last_test_on = None
        if national_id and not r.errors and n.national_id_contradicts(national_id, birth_year, sex):
            r.problem("national_id", m.W_ID_CONTRADICTS, warning=True)
        if r.errors:
            _invalid(parsed, row)
        else:
            parsed.workers.append(row)


def _day(r: _Row, key: str, today: dt.date) -> dt.date | None:
    got = r.get(key, n.date, today=today)
    return got[0] if got else None


def _invalid(parsed: ParsedRoster, row: WorkerRow) -> None:
    parsed.invalid_rows.add(row.row)
    if row.worker_code:
        parsed.protected_codes.setdefault(row.worker_code, row.row)
    if row.national_id:
        parsed.protected_ids.add(row.national_id)


def _check_across_rows(parsed: ParsedRoster) -> None:
    """Duplicate worker codes, one CCCD with two people, plates missing from the bus sheet."""
    sheet = SHEET_WORKERS
    by_code: dict[str, list[WorkerRow]] = {}
    by_id: dict[str, list[WorkerRow]] = {}
    for row in parsed.workers:
        by_code.setdefault(row.worker_code, []).append(row)
        by_id.setdefault(row.national_id, []).append(row)
    bad: set[int] = set()

    def flag(row: WorkerRow, column: str, value: str, message, **params) -> None:
        key = {"Mã công nhân": "worker_code", "Xe đưa đón": "bus"}.get(column, "national_id")
        col = parsed.worker_columns.get(key)
        parsed.errors.append(Problem(sheet, row.row, column, value, message, params, col))
        bad.add(row.row)

    for code, rows in by_code.items():
        if code in parsed.protected_codes:  # the same code on a row that was already invalid
            for row in rows:
                flag(row, "Mã công nhân", row.worker_code, m.E_DUPLICATE_CODE, other=parsed.protected_codes[code])
        elif len(rows) > 1:
            for row in rows:
                other = ", ".join(str(o.row) for o in rows if o is not row)
                flag(row, "Mã công nhân", row.worker_code, m.E_DUPLICATE_CODE, other=other)
    for rows in by_id.values():
        if len(rows) > 1:
            first = rows[0]
            for row in rows[1:]:
                same_person = fold(row.full_name) == fold(first.full_name) and (
                    row.birth_date,
                    row.birth_year,
                ) == (first.birth_date, first.birth_year)
                message = m.E_DUPLICATE_ID if same_person else m.E_ID_CONFLICT
                flag(row, "Số CCCD/CMND", row.national_id, message, other=first.row)
                if not same_person:
                    flag(first, "Số CCCD/CMND", first.national_id, message, other=row.row)
    plates = {plate_key(b.plate) for b in parsed.buses}
    for row in parsed.workers:
        if row.bus and plate_key(row.bus) not in plates:
            flag(row, "Xe đưa đón", row.bus, m.E_UNKNOWN_PLATE)
    if bad:
        keep = []
        for row in parsed.workers:
            if row.row in bad:
                _invalid(parsed, row)
            else:
                keep.append(row)
        parsed.workers = keep


def _parse_buses(sheet: SheetRows, parsed: ParsedRoster) -> None:
    rows, _number, keys, names = _header(sheet, BUS_INDEX, {"plate"}, BUS_COLUMNS)
    where = {key: col for col, key in keys.items()}
    seen: set[str] = set()
    for number, raw in rows:
        if _blank(raw):
            continue
        cells = _cells(raw, keys)
        r = _Row(parsed, sheet.name, number, cells, where, names)
        plate = r.get("plate", n.plate) or ""
        if not plate and not r.errors:
            r.problem("plate", m.E_REQUIRED)
        driver_id = ""
        if cells.get("driver_id") not in ("", None):
            got = r.get("driver_id", n.national_id)
            driver_id = got[0] if got else ""
        phone = r.get("driver_phone", n.phone)
        seats = n.text(cells.get("seats"))
        row = BusRow(
            number,
            plate,
            r.text("driver_name", legacy=True),
            phone[0] if phone else "",
            driver_id,
            r.text("route", legacy=True),
            int(seats) if seats.isdigit() else None,
        )
        if not r.errors and plate_key(plate) not in seen:
            seen.add(plate_key(plate))
            parsed.buses.append(row)


def _parse_coresidents(sheet: SheetRows, parsed: ParsedRoster) -> None:
    rows, _number, keys, names = _header(sheet, CORESIDENT_INDEX, {"full_name"}, CORESIDENT_COLUMNS)
    where = {key: col for col, key in keys.items()}
    for number, raw in rows:
        if _blank(raw):
            continue
        cells = _cells(raw, keys)
        r = _Row(parsed, sheet.name, number, cells, where, names)
        national_id = ""
        if cells.get("national_id") not in ("", None):
            got = r.get("national_id", n.national_id)
            national_id = got[0] if got else ""
        phone = r.get("phone", n.phone)
        row = CoResidentRow(
            number,
            r.text("full_name", required=True, legacy=True),
            national_id,
            phone[0] if phone else "",
            r.text("lodging_code"),
            r.text("lodging", legacy=True),
            r.text("room"),
            r.text("note"),
        )
        if not (row.lodging_code or row.lodging):
            r.problem("lodging", m.E_REQUIRED)
        if not r.errors:
            parsed.coresidents.append(row)
