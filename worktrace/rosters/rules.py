"""The reading rules of the roster sheets as one rule set: for each sheet, which column is checked how, and
which row the checked values build.

A *check* is a pure function of one cell giving ``(value, problems)``, each problem ``(message, params,
warning)``. A *column rule* runs a check over a whole column of cells at once, which is what keeps a
160,000-row import fast: columns that repeat (dates, sex, workshop, ...) are checked once per distinct value
(``cached``); columns unique per row (code, name, CCCD, phone, address) are first tested **as a whole column**
and, when every cell is already clean, not checked cell by cell at all (``per_cell(..., clean=...)``).
sheets.py applies these rules; nothing here knows about sheets, rows of the file, or the database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from worktrace.registry.admin_units import province_code_for
from worktrace.rosters import messages as m
from worktrace.rosters import normalize as n
from worktrace.rosters.columns import (
    BUS_COLUMNS,
    BUS_INDEX,
    CORESIDENT_COLUMNS,
    CORESIDENT_INDEX,
    SHEET_BUSES,
    SHEET_CORESIDENTS,
    SHEET_WORKERS,
    WORKER_COLUMNS,
    WORKER_INDEX,
    Column,
)
from worktrace.rosters.rows import BusRow, CoResidentRow, WorkerRow

MAX_TEXT = 200

Found = tuple[Any, dict | None, bool]  # (message, params, warning)
Checked = tuple[Any, tuple[Found, ...]]  # (value, problems)
Check = Callable[[object], Checked]
ColumnCheck = Callable[[list], list[Checked]]
# A check on a built row (its problems as (key, message, params, warning)), given its number of errors so far.
RowCheck = Callable[[Any, int], tuple[tuple[str, Any, dict | None, bool], ...]]

_REQUIRED: Found = (m.E_REQUIRED, None, False)


@dataclass(frozen=True)
class SheetRules:
    """How one sheet is read: its columns, the columns a header row must show, checks in reporting order."""

    sheet: str
    columns: tuple[Column, ...]
    index: dict[str, str]
    anchors: frozenset[str]
    checks: tuple[tuple[str, ColumnCheck], ...]  # (key, column rule), in the order problems are reported
    build: Callable[..., Any]  # (row number, *checked values in the order of ``checks``) → row
    row_check: RowCheck | None = None


# -- checks of one cell -------------------------------------------------------------------------------------
def text_check(*, required: bool = False, legacy: bool = False) -> Check:
    """A text column's rules: cleaned text, required, at most MAX_TEXT, legacy TCVN3/VNI converted."""

    def check(value: object) -> Checked:
        text = n.text(value)
        problems: tuple[Found, ...] = (_REQUIRED,) if required and not text else ()
        if len(text) > MAX_TEXT:
            return "", (*problems, (m.E_TOO_LONG, {"limit": MAX_TEXT}, False))
        if legacy and text:
            converted, encoding = n.legacy_fix(text)
            if encoding:
                warning = (m.W_LEGACY_TEXT, {"encoding": encoding.upper(), "new": converted}, True)
                return converted, (*problems, warning)
        return text, problems

    return check


def parser_check(parser: Callable, *, present: bool = False, **kwargs: Any) -> Check:
    """A normalize parser as a check. ``present``: an empty cell is "required" rather than handed to the parser."""

    def check(value: object) -> Checked:
        if present and (value == "" or value is None):
            return None, (_REQUIRED,)
        try:
            return parser(value, **kwargs), ()
        except n.CellError as exc:
            return None, ((exc.message, exc.params, False),)

    return check


def phone_check(value: object) -> Checked:
    if type(value) is str and len(value) == 10 and value[0] == "0" and value.isascii() and value.isdigit():
        return value, ()  # already a clean 10-digit number
    try:
        number, converted = n.phone(value)
    except n.CellError as exc:
        return "", ((exc.message, exc.params, False),)
    return number, ((m.W_OLD_PHONE, {"new": number}, True),) if converted else ()


def national_id_check(value: object) -> Checked:
    if value == "" or value is None:
        return "", (_REQUIRED,)
    if type(value) is str and len(value) in (12, 9) and value.isascii() and value.isdigit():
        return value, ()  # already a clean CCCD/CMND
    try:
        return n.national_id(value)[0], ()
    except n.CellError as exc:
        return "", ((exc.message, exc.params, False),)


def optional_id_check(value: object) -> Checked:
    return ("", ()) if value == "" or value is None else national_id_check(value)


def count_check(value: object) -> Checked:
    """A whole number when the cell holds one, else nothing (never a problem: the column is informative)."""
    text = n.text(value)
    return (int(text) if text.isdigit() else None), ()


def province_check() -> Check:
    code_for = lru_cache(maxsize=1024)(province_code_for)
    province_text = text_check()

    def check(value: object) -> Checked:
        text, problems = province_text(value)
        if not text:
            return None, problems
        code = code_for(text)
        return code, problems if code is not None else (*problems, (m.W_UNKNOWN_PROVINCE, None, True))

    return check


# -- column rules ----------------------------------------------------------------------------------------
def cached(check: Check) -> ColumnCheck:
    """The check computed once per distinct cell value (values of other types kept apart: 1 ≠ True)."""
    cache: dict = {}

    def lookup(key: object, value: object) -> Checked:
        got = cache.get(key)
        if got is None:
            got = cache[key] = check(value)
        return got

    def column(values: list) -> list[Checked]:
        if bool in set(map(type, values)):  # True == 1 but reads "True": booleans keyed apart
            return [lookup((type(value), value), value) for value in values]
        # Equal numbers of other types (1 and 1.0) read the same; dates and datetimes are never equal.
        out: list = list(map(cache.get, values))
        if None in out:
            for i, got in enumerate(out):
                if got is None:
                    out[i] = lookup(values[i], values[i])
        return out

    return column


def per_cell(check: Check, *, clean: Callable[[list], bool] | None = None) -> ColumnCheck:
    """The check per cell, or none at all when ``clean`` says every cell of the column is already as checked."""

    def column(values: list) -> list[Checked]:
        if clean is not None and values and clean(values):
            return list(zip(values, itertools.repeat(())))
        return list(map(check, values))

    return column


# Anything that would make n.text change a cell or fail it as empty, in printable cells joined by NUL: an empty
# cell, a first character that is a space or an apostrophe, a last one that is a space, two spaces.
_NOT_CLEAN = re.compile(r"\x00[\x00 ']| \x00|  ")
_UNICODE_LETTERS = n.VIETNAMESE | {"\x00"}


def clean_texts(*, legacy: bool) -> Callable[[list], bool]:
    """Whether every cell is a non-empty string n.text returns as it is (and legacy_fix too, with ``legacy``).

    ``isprintable`` (C speed) rules out control characters, bidi controls and odd white space in one go. The
    rest is checked on the column joined by NUL, a character of its own for each test: NFC is decided within
    stretches between NULs, and no pattern above or VNI pair spans one.
    """

    def clean(values: list) -> bool:
        if set(map(type, values)) != {str} or max(map(len, values)) > MAX_TEXT:
            return False
        if not "".join(values).isprintable():  # also: no NUL inside a cell
            return False
        joined = "\x00" + "\x00".join(values) + "\x00"
        if _NOT_CLEAN.search(joined) or not unicodedata.is_normalized("NFC", joined):
            return False
        return not legacy or (set(joined) <= _UNICODE_LETTERS and not n.VNI_PAIR.search(joined))

    return clean


def clean_ids(values: list) -> bool:
    """Every cell already a 12-digit CCCD or 9-digit CMND string."""
    return set(map(type, values)) == {str} and set(map(len, values)) <= {12, 9} and _ascii_digits("".join(values))


def clean_phones(values: list) -> bool:
    """Every cell already a 10-digit number starting with 0."""
    if set(map(type, values)) != {str} or set(map(len, values)) != {10}:
        return False
    joined = "".join(values)
    return _ascii_digits(joined) and not joined[::10].strip("0")


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


# -- the sheets ------------------------------------------------------------------------------------------
def worker_rules(today: dt.date) -> SheetRules:
    """The "Người lao động" sheet. Built per import: the caches live as long as one file."""
    day = parser_check(n.date, today=today)
    checks: tuple[tuple[str, ColumnCheck], ...] = (
        ("worker_code", per_cell(text_check(required=True), clean=clean_texts(legacy=False))),
        ("full_name", per_cell(text_check(required=True, legacy=True), clean=clean_texts(legacy=True))),
        ("national_id", per_cell(national_id_check, clean=clean_ids)),
        ("birth", cached(parser_check(n.date, present=True, today=today, allow_year=True))),
        ("sex", cached(parser_check(n.sex))),
        ("phone", per_cell(phone_check, clean=clean_phones)),
        ("home_province", cached(province_check())),
        ("bus", cached(parser_check(n.plate))),
        ("permanent_address", per_cell(text_check(legacy=True), clean=clean_texts(legacy=True))),
        ("lodging_code", cached(text_check())),
        ("lodging", cached(text_check(legacy=True))),
        ("room", cached(text_check())),
        ("workshop", cached(text_check(required=True, legacy=True))),
        ("team", cached(text_check(legacy=True))),
        ("shift", cached(text_check())),
        ("doses", cached(parser_check(n.doses))),
        ("last_dose_on", cached(day)),
        ("vaccine_name", cached(text_check())),
        ("last_test_on", cached(day)),
        ("test_result", cached(parser_check(n.test_result))),
        ("start_date", cached(day)),
    )
    return SheetRules(
        SHEET_WORKERS,
        WORKER_COLUMNS,
        WORKER_INDEX,
        frozenset({"worker_code", "full_name", "national_id"}),
        checks,
        _worker,
        _worker_contradicts,
    )


def _worker(number, code, name, nid, birth, sex, phone, province, bus, address, lodging_code, lodging, room,
            workshop, team, shift, doses, dose_on, vaccine, test_on, result, start) -> WorkerRow:  # fmt: skip
    birth_date, birth_year = birth or (None, None)
    return WorkerRow(  # positional, in the order of WorkerRow's fields
        number,
        code,
        name,
        birth_date,
        birth_year,
        sex or "",
        nid,
        phone,
        province,
        address,
        lodging_code,
        lodging,
        room,
        workshop,
        team,
        shift[:40],
        bus or "",
        doses or 0,
        dose_on[0] if dose_on else None,
        vaccine[:60],
        test_on[0] if test_on and result else None,
        result or "",
        start[0] if start else None,
    )


def _worker_contradicts(row: WorkerRow, errors: int) -> tuple:
    if row.national_id and not errors and n.national_id_contradicts(row.national_id, row.birth_year, row.sex):
        return (("national_id", m.W_ID_CONTRADICTS, None, True),)
    return ()


def bus_rules() -> SheetRules:
    """The optional "Xe đưa đón" sheet."""
    checks: tuple[tuple[str, ColumnCheck], ...] = (
        ("plate", per_cell(parser_check(n.plate))),
        ("driver_name", per_cell(text_check(legacy=True))),
        ("driver_phone", per_cell(phone_check)),
        ("driver_id", per_cell(optional_id_check)),
        ("route", per_cell(text_check(legacy=True))),
        ("seats", per_cell(count_check)),
    )
    return SheetRules(SHEET_BUSES, BUS_COLUMNS, BUS_INDEX, frozenset({"plate"}), checks, _bus, _bus_has_plate)


def _bus(number, plate, driver_name, driver_phone, driver_id, route, seats) -> BusRow:
    return BusRow(number, plate or "", driver_name, driver_phone, driver_id, route, seats)


def _bus_has_plate(row: BusRow, errors: int) -> tuple:
    return (("plate", m.E_REQUIRED, None, False),) if not row.plate and not errors else ()


def coresident_rules() -> SheetRules:
    """The optional "Người ở cùng" sheet: people sharing a room who are not the company's workers."""
    checks: tuple[tuple[str, ColumnCheck], ...] = (
        ("full_name", per_cell(text_check(required=True, legacy=True))),
        ("national_id", per_cell(optional_id_check)),
        ("phone", per_cell(phone_check)),
        ("lodging_code", per_cell(text_check())),
        ("lodging", per_cell(text_check(legacy=True))),
        ("room", per_cell(text_check())),
        ("note", per_cell(text_check())),
    )
    return SheetRules(
        SHEET_CORESIDENTS,
        CORESIDENT_COLUMNS,
        CORESIDENT_INDEX,
        frozenset({"full_name"}),
        checks,
        CoResidentRow,
        _coresident_lodges,
    )


def _coresident_lodges(row: CoResidentRow, errors: int) -> tuple:
    return (("lodging", m.E_REQUIRED, None, False),) if not (row.lodging_code or row.lodging) else ()
