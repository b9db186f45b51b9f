"""Reading a roster workbook into validated rows, errors and warnings (nothing is written here).

Each problem names the sheet, the sheet's own row number, the column as headed in the file, the value and
what is wrong. Rows with an error are invalid (skipped, or the file refused under --strict); warnings are
doubts about a row that is still applied.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
import unicodedata
from collections import Counter
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
    for cell in row:  # most rows stop at their first cell
        if cell == "" or cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        return False
    return True


CHUNK_ROWS = 5000  # rows validated column by column at a time (bounded memory, progress reports)


def _text_check(*, required: bool = False, legacy: bool = False) -> Callable:
    """A column's text rules as a pure function of the cell: (text, problems)."""

    def check(value: object) -> tuple[str, tuple]:
        text = n.text(value)
        problems = ((m.E_REQUIRED, None, False),) if required and not text else ()
        if len(text) > MAX_TEXT:
            return "", (*problems, (m.E_TOO_LONG, {"limit": MAX_TEXT}, False))
        if legacy and text:
            converted, encoding = n.legacy_fix(text)
            if encoding:
                warning = (m.W_LEGACY_TEXT, {"encoding": encoding.upper(), "new": converted}, True)
                return converted, (*problems, warning)
        return text, problems

    return check


def _parser_check(parser: Callable, *, present: bool = False, **kwargs) -> Callable:
    """A normalize parser as a pure function of the cell: (value or None, problems).

    ``present``: the column is required, and an empty cell is "required" rather than handed to the parser.
    """

    def check(value: object) -> tuple[object, tuple]:
        if present and (value == "" or value is None):
            return None, ((m.E_REQUIRED, None, False),)
        try:
            return parser(value, **kwargs), ()
        except n.CellError as exc:
            return None, ((exc.message, exc.params, False),)

    return check


def _phone_check(value: object) -> tuple[str, tuple]:
    if type(value) is str and len(value) == 10 and value[0] == "0" and value.isascii() and value.isdigit():
        return value, ()  # already a clean 10-digit number
    try:
        number, converted = n.phone(value)
    except n.CellError as exc:
        return "", ((exc.message, exc.params, False),)
    return number, ((m.W_OLD_PHONE, {"new": number}, True),) if converted else ()


def _national_id_check(value: object) -> tuple[str, tuple]:
    if value == "" or value is None:
        return "", ((m.E_REQUIRED, None, False),)
    if type(value) is str and len(value) in (12, 9) and value.isascii() and value.isdigit():
        return value, ()  # already a clean CCCD/CMND
    try:
        return n.national_id(value)[0], ()
    except n.CellError as exc:
        return "", ((exc.message, exc.params, False),)


def _cached(check: Callable) -> Callable:
    """The same check, computed once per distinct cell value (values of other types kept apart: 1 ≠ True)."""
    cache: dict = {}

    def column(values: list) -> list:
        if bool in set(map(type, values)):  # True == 1 but reads "True": booleans keyed apart
            return [_lookup((type(value), value), value) for value in values]
        # Equal numbers of other types (1 and 1.0) read the same; dates and datetimes are never equal.
        out = list(map(cache.get, values))
        if None in out:
            for i, got in enumerate(out):
                if got is None:
                    out[i] = _lookup(values[i], values[i])
        return out

    def _lookup(key, value):
        got = cache.get(key)
        if got is None:
            got = cache[key] = check(value)
        return got

    return column


def _uncached(check: Callable, *, clean: Callable[[list], bool] | None = None) -> Callable:
    """The check per cell, or none at all when ``clean`` says every cell of the column is already as checked."""

    def column(values: list) -> list:
        if clean is not None and values and clean(values):
            return list(zip(values, itertools.repeat(())))
        return list(map(check, values))

    return column


# Anything that would make n.text change a cell, or fail it as empty, in cells joined by NUL: a first character
# that is a space, control or apostrophe, a last one that is a space or control, two spaces, odd white space.
_NOT_CLEAN = re.compile(r"\x00[\x00-\x20']|[\x01-\x20]\x00|  |[\t\n\r\u00a0\u2000-\u200b\u3000]")
_UNICODE_LETTERS = n._VIETNAMESE | {"\x00"}


def _clean_texts(*, legacy: bool) -> Callable[[list], bool]:
    """Whether every cell is a non-empty string n.text returns as it is (and legacy_fix too, with ``legacy``).

    Checked on the column joined by NUL, which is a character of its own for each test: NFC is decided within
    stretches between NULs, and no pattern above or VNI pair spans one.
    """

    def clean(values: list) -> bool:
        if set(map(type, values)) != {str} or max(map(len, values)) > MAX_TEXT:
            return False
        joined = "\x00" + "\x00".join(values) + "\x00"
        if joined.count("\x00") != len(values) + 1:  # a NUL inside a cell: checked cell by cell
            return False
        if _NOT_CLEAN.search(joined) or not unicodedata.is_normalized("NFC", joined):
            return False
        return not legacy or (set(joined) <= _UNICODE_LETTERS and not n._VNI_PAIR.search(joined))

    return clean


def _clean_ids(values: list) -> bool:
    """Every cell already a 12-digit CCCD or 9-digit CMND string."""
    return set(map(type, values)) == {str} and set(map(len, values)) <= {12, 9} and _ascii_digits("".join(values))


def _clean_phones(values: list) -> bool:
    """Every cell already a 10-digit number starting with 0."""
    if set(map(type, values)) != {str} or set(map(len, values)) != {10}:
        return False
    joined = "".join(values)
    return _ascii_digits(joined) and not joined[::10].strip("0")


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _worker_checks(today: dt.date) -> dict[str, Callable]:
    """Column key → function of a column's cells giving each cell's (value, problems), in the rows' order."""
    from functools import lru_cache

    from worktrace.registry.admin_units import province_code_for

    province_code_for = lru_cache(maxsize=1024)(province_code_for)
    province_text = _text_check()

    def province(value: object) -> tuple[int | None, tuple]:
        text, problems = province_text(value)
        if not text:
            return None, problems
        code = province_code_for(text)
        return code, problems if code is not None else (*problems, (m.W_UNKNOWN_PROVINCE, None, True))

    day = _parser_check(n.date, today=today)
    return {
        # Unique per worker: checked directly (a cache would only hold memory).
        "worker_code": _uncached(_text_check(required=True), clean=_clean_texts(legacy=False)),
        "full_name": _uncached(_text_check(required=True, legacy=True), clean=_clean_texts(legacy=True)),
        "national_id": _uncached(_national_id_check, clean=_clean_ids),
        "phone": _uncached(_phone_check, clean=_clean_phones),
        "permanent_address": _uncached(_text_check(legacy=True), clean=_clean_texts(legacy=True)),
        # Repeated on thousands of rows: checked once per distinct value.
        "birth": _cached(_parser_check(n.date, present=True, today=today, allow_year=True)),
        "sex": _cached(_parser_check(n.sex)),
        "home_province": _cached(province),
        "bus": _cached(_parser_check(n.plate)),
        "lodging_code": _cached(_text_check()),
        "lodging": _cached(_text_check(legacy=True)),
        "room": _cached(_text_check()),
        "workshop": _cached(_text_check(required=True, legacy=True)),
        "team": _cached(_text_check(legacy=True)),
        "shift": _cached(_text_check()),
        "doses": _cached(_parser_check(n.doses)),
        "last_dose_on": _cached(day),
        "vaccine_name": _cached(_text_check()),
        "last_test_on": _cached(day),
        "test_result": _cached(_parser_check(n.test_result)),
        "start_date": _cached(day),
    }


_PROBLEMS = operator.itemgetter(1)
# The order problems of one row are reported in.
WORKER_CHECKED = (
    "worker_code", "full_name", "national_id", "birth", "sex", "phone", "home_province", "bus",
    "permanent_address", "lodging_code", "lodging", "room", "workshop", "team", "shift", "doses",
    "last_dose_on", "vaccine_name", "last_test_on", "test_result", "start_date",
)  # fmt: skip


def _parse_workers(sheet: SheetRows, parsed: ParsedRoster, *, today: dt.date, progress) -> None:
    rows, parsed.header_row, keys, names = _header(
        sheet, WORKER_INDEX, {"worker_code", "full_name", "national_id"}, WORKER_COLUMNS
    )
    where = {key: col for col, key in keys.items()}
    parsed.worker_columns = where
    total = max(1, sheet.sheet.height - parsed.header_row)
    checks = _worker_checks(today)
    row_no_col = where.get("row_no")
    chunk: list[tuple[int, list]] = []
    for number, raw in rows:
        if not (raw and type(raw[0]) is float) and _blank(raw):  # a row number in column A: not blank
            continue
        if row_no_col is not None and row_no_col < len(raw):
            row_no = raw[row_no_col]
            if isinstance(row_no, str) and row_no[:1] in "VvEe" and fold(row_no) in ("vi du", "example"):
                continue  # the template's example row
        parsed.rows_read += 1
        if progress and parsed.rows_read % 5000 == 0:
            progress(parsed.rows_read, total)
        chunk.append((number, raw))
        if len(chunk) >= CHUNK_ROWS:
            _worker_chunk(chunk, parsed, sheet.name, where, names, checks)
            chunk = []
    if chunk:
        _worker_chunk(chunk, parsed, sheet.name, where, names, checks)


def _worker_chunk(chunk: list[tuple[int, list]], parsed: ParsedRoster, sheet: str, where, names, checks) -> None:
    """Validate a run of rows column by column, then build the rows and report problems row by row."""
    columns = []
    flagged: set[int] = set()  # rows (by position in the chunk) with a problem in some column
    raws = [raw for _number, raw in chunk]
    shortest = min(map(len, raws))
    for key in WORKER_CHECKED:
        col = where.get(key)
        if col is None:
            values = [None] * len(chunk)
        else:
            values = (
                list(map(operator.itemgetter(col), raws))
                if col < shortest
                else [raw[col] if col < len(raw) else None for raw in raws]
            )
        column = checks[key](values)
        if any(map(_PROBLEMS, column)):
            flagged.update(i for i, (_value, problems) in enumerate(column) if problems)
        columns.append(column)
    numbers = [number for number, _raw in chunk]
    for i, number, raw, code, full_name, national_id, birth, sex, phone, province, bus, address, lodging_code, \
            lodging, room, workshop, team, shift, doses, last_dose_on, vaccine, last_test_on, test_result, \
            start_date in zip(itertools.count(), numbers, raws, *columns):  # fmt: skip
        errors = 0
        if i in flagged:
            cells = (code, full_name, national_id, birth, sex, phone, province, bus, address, lodging_code, lodging,
                     room, workshop, team, shift, doses, last_dose_on, vaccine, last_test_on, test_result,
                     start_date)  # fmt: skip
            for key, (_value, problems) in zip(WORKER_CHECKED, cells, strict=True):
                for message, params, warning in problems:
                    errors += _problem(parsed, sheet, number, raw, key, where, names, message, params, warning)
        birth_date, birth_year = birth[0] or (None, None)
        row = WorkerRow(  # positional, in the order of WorkerRow's fields
            number,
            code[0],
            full_name[0],
            birth_date,
            birth_year,
            sex[0] or "",
            national_id[0],
            phone[0],
            province[0],
            address[0],
            lodging_code[0],
            lodging[0],
            room[0],
            workshop[0],
            team[0],
            shift[0][:40],
            bus[0] or "",
            doses[0] or 0,
            last_dose_on[0][0] if last_dose_on[0] else None,
            vaccine[0][:60],
            last_test_on[0][0] if last_test_on[0] and test_result[0] else None,
            test_result[0] or "",
            start_date[0][0] if start_date[0] else None,
        )
        if row.national_id and not errors and n.national_id_contradicts(row.national_id, birth_year, row.sex):
            _problem(parsed, sheet, number, raw, "national_id", where, names, m.W_ID_CONTRADICTS, None, True)
        if errors:
            _invalid(parsed, row)
        else:
            parsed.workers.append(row)


def _problem(parsed: ParsedRoster, sheet: str, number: int, raw: list, key: str, where, names, message, params,
             warning: bool) -> int:  # fmt: skip
    """Record one problem of a worker row (as _Row.problem does); 1 for an error, 0 for a warning."""
    col = where.get(key)
    value = raw[col] if col is not None and col < len(raw) else None
    problem = Problem(
        sheet, number, names.get(col, key) if col is not None else key, n.text(value), message, dict(params or {}), col
    )
    if warning:
        parsed.warnings.append(problem)
        return 0
    parsed.errors.append(problem)
    return 1


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
    # Only codes and IDs that repeat (or are protected) are grouped; Counter counts at C speed.
    code_counts = Counter(row.worker_code for row in parsed.workers)
    id_counts = Counter(row.national_id for row in parsed.workers)
    repeated_codes = {code for code, count in code_counts.items() if count > 1} | (
        code_counts.keys() & parsed.protected_codes.keys()
    )
    repeated_ids = {nid for nid, count in id_counts.items() if count > 1}
    by_code: dict[str, list[WorkerRow]] = {}
    by_id: dict[str, list[WorkerRow]] = {}
    if repeated_codes or repeated_ids:
        for row in parsed.workers:
            if row.worker_code in repeated_codes:
                by_code.setdefault(row.worker_code, []).append(row)
            if row.national_id in repeated_ids:
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
    unknown = {bus for bus in {row.bus for row in parsed.workers} if bus and plate_key(bus) not in plates}
    if unknown:
        for row in parsed.workers:
            if row.bus in unknown:
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
