"""Applying a sheet's reading rules (rules.py) to the sheet: header row, then rows validated column by column.

Rows are taken in runs of CHUNK_ROWS: each column of the run is checked at once by its rule, the rows are
built positionally from the checked values, and problems are recorded row by row, in the rows' order and, in a
row, in the rules' order. Blank rows and the template's example row are skipped.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from worktrace.rosters import messages as m
from worktrace.rosters import normalize as n
from worktrace.rosters.reader import RefusedError, SheetRows, find_header
from worktrace.rosters.rows import ParsedRoster, Problem
from worktrace.rosters.rules import SheetRules
from worktrace.text import fold

CHUNK_ROWS = 5000  # rows validated column by column at a time (bounded memory, progress reports)
_VALUE = operator.itemgetter(0)
_PROBLEMS = operator.itemgetter(1)


@dataclass
class SheetHeader:
    sheet: str  # the sheet's name as written in the file
    row: int
    where: dict[str, int]  # key → column index
    headers: dict[str, str]  # key → header as written (the contract's label for a column the file lacks)


@dataclass
class SheetResult:
    header: SheetHeader
    valid: list
    invalid: list
    read: int = 0  # rows read, blank and example rows left out


def read_header(sheet: SheetRows, rules: SheetRules) -> tuple[Iterator[tuple[int, list]], SheetHeader]:
    """The header row, or a refusal naming the missing required column; the rows iterator is left after it."""
    rows = sheet.rows()
    found = find_header(rows, rules.index, set(rules.anchors))
    if found is None:
        raise RefusedError(m.E_NO_HEADER, sheet=sheet.name)
    number, keys, written = found
    present = set(keys.values())
    for column in rules.columns:
        if column.required and column.key not in present:
            raise RefusedError(m.E_MISSING_COLUMN, sheet=sheet.name, row=number, column=column.label)
    headers = {c.key: c.label for c in rules.columns}
    headers.update({key: written.get(col) or headers[key] for col, key in keys.items()})
    return rows, SheetHeader(sheet.name, number, {key: col for col, key in keys.items()}, headers)


def read_sheet(
    sheet: SheetRows,
    rules: SheetRules,
    parsed: ParsedRoster,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> SheetResult:
    """Every row of the sheet checked by ``rules``: valid rows, invalid rows; problems go to ``parsed``."""
    rows, header = read_header(sheet, rules)
    result = SheetResult(header, [], [])
    total = max(1, sheet.sheet.height - header.row)
    row_no_col = header.where.get("row_no")
    chunk: list[tuple[int, list]] = []
    for number, raw in rows:
        if not (raw and type(raw[0]) is float) and _blank(raw):  # a row number in column A: not blank
            continue
        if row_no_col is not None and row_no_col < len(raw) and _example(raw[row_no_col]):
            continue
        result.read += 1
        if progress and result.read % 5000 == 0:
            progress(result.read, total)
        chunk.append((number, raw))
        if len(chunk) >= CHUNK_ROWS:
            _chunk(chunk, rules, header, parsed, result)
            chunk = []
    if chunk:
        _chunk(chunk, rules, header, parsed, result)
    return result


def _blank(row: list) -> bool:
    for cell in row:  # most rows stop at their first cell
        if cell == "" or cell is None or (isinstance(cell, str) and not cell.strip()):
            continue
        return False
    return True


def _example(row_no: object) -> bool:
    """The template's example row, whose STT is "Ví dụ"."""
    return isinstance(row_no, str) and row_no[:1] in "VvEe" and fold(row_no) in ("vi du", "example")


def _chunk(chunk: list[tuple[int, list]], rules: SheetRules, header: SheetHeader, parsed, result) -> None:
    """Validate a run of rows column by column, then build the rows and report problems row by row."""
    raws = [raw for _number, raw in chunk]
    numbers = [number for number, _raw in chunk]
    shortest = min(map(len, raws))
    columns = []
    flagged: set[int] = set()  # rows (by position in the chunk) with a problem in some column
    for key, check in rules.checks:
        col = header.where.get(key)
        if col is None:
            values = [None] * len(chunk)
        elif col < shortest:
            values = list(map(operator.itemgetter(col), raws))
        else:
            values = [raw[col] if col < len(raw) else None for raw in raws]
        column = check(values)
        if any(map(_PROBLEMS, column)):
            flagged.update(i for i, (_value, problems) in enumerate(column) if problems)
        columns.append(column)
    built = list(map(rules.build, numbers, *(list(map(_VALUE, column)) for column in columns)))
    if not flagged and rules.row_check is None:
        result.valid.extend(built)
        return
    keys = [key for key, _check in rules.checks]
    for i, row in enumerate(built):
        errors = 0
        if i in flagged:
            for key, column in zip(keys, columns, strict=True):
                for message, params, warning in column[i][1]:
                    errors += record(parsed, header, numbers[i], raws[i], key, message, params, warning)
        if rules.row_check is not None:
            for key, message, params, warning in rules.row_check(row, errors):
                errors += record(parsed, header, numbers[i], raws[i], key, message, params, warning)
        (result.invalid if errors else result.valid).append(row)


def record(parsed: ParsedRoster, header: SheetHeader, number: int, raw: list | None, key: str,
           message, params, warning: bool, *, value: object = None) -> int:  # fmt: skip
    """Record one problem of a row; 1 for an error, 0 for a warning. The value is the cell's, unless given."""
    col = header.where.get(key)
    if raw is not None:
        value = raw[col] if col is not None and col < len(raw) else None
    problem = Problem(
        header.sheet, number, header.headers.get(key, key), n.text(value), message, dict(params or {}), col, key
    )
    if warning:
        parsed.warnings.append(problem)
        return 0
    parsed.errors.append(problem)
    return 1
