"""Checks across the rows of a roster, once every row has been read: what no single row can show wrong.

A worker code twice in the file invalidates both rows (and a code also on an invalid row, the valid one); one
CCCD with two different names or birth dates invalidates both rows; the same person twice under two codes
invalidates the second; a bus plate missing from the "Xe đưa đón" sheet invalidates the row.
"""

from __future__ import annotations

from collections import Counter

from worktrace.rosters import messages as m
from worktrace.rosters.rows import ParsedRoster, WorkerRow
from worktrace.rosters.sheets import SheetHeader, record
from worktrace.text import fold, plate_key


def check_across_rows(parsed: ParsedRoster) -> None:
    """Flag the rows above as errors and move them from ``parsed.workers`` to the invalid rows."""
    header = SheetHeader(parsed.worker_sheet, parsed.header_row, parsed.worker_columns, parsed.worker_headers)
    bad: set[int] = set()

    def flag(row: WorkerRow, key: str, value: str, message, **params: object) -> None:
        record(parsed, header, row.row, None, key, message, params, False, value=value)
        bad.add(row.row)

    by_code, by_id = _repeated(parsed)
    for code, rows in by_code.items():
        if code in parsed.protected_codes:  # the same code on a row that was already invalid
            for row in rows:
                flag(row, "worker_code", row.worker_code, m.E_DUPLICATE_CODE, other=parsed.protected_codes[code])
        elif len(rows) > 1:
            for row in rows:
                other = ", ".join(str(o.row) for o in rows if o is not row)
                flag(row, "worker_code", row.worker_code, m.E_DUPLICATE_CODE, other=other)
    for rows in by_id.values():
        first = rows[0]
        for row in rows[1:]:
            same_person = fold(row.full_name) == fold(first.full_name) and (row.birth_date, row.birth_year) == (
                first.birth_date,
                first.birth_year,
            )
            message = m.E_DUPLICATE_ID if same_person else m.E_ID_CONFLICT
            flag(row, "national_id", row.national_id, message, other=first.row)
            if not same_person:
                flag(first, "national_id", first.national_id, message, other=row.row)
    plates = {plate_key(b.plate) for b in parsed.buses}
    unknown = {bus for bus in {row.bus for row in parsed.workers} if bus and plate_key(bus) not in plates}
    if unknown:
        for row in parsed.workers:
            if row.bus in unknown:
                flag(row, "bus", row.bus, m.E_UNKNOWN_PLATE)
    if bad:
        keep = []
        for row in parsed.workers:
            if row.row in bad:
                parsed.mark_invalid(row)
            else:
                keep.append(row)
        parsed.workers = keep


def _repeated(parsed: ParsedRoster) -> tuple[dict[str, list[WorkerRow]], dict[str, list[WorkerRow]]]:
    """Rows grouped by worker code and by CCCD — only codes and IDs that repeat (or are protected).

    Counter counts at C speed; grouping every row would cost more than the whole check at 160,000 rows.
    """
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
    return by_code, by_id
