"""What reading a roster workbook produces: validated rows of each sheet, and the problems found on the way.

The applier (apply.py) reads these and nothing else of the file. A problem names the sheet, the sheet's own
row number, the column by its contract **key** (what code and views use) and by its header as written in the
file (what people read), the value and what is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass
class Problem:
    sheet: str
    row: int
    column: str  # the header as written in the file (the contract's label when the column is missing)
    value: str
    message: Promise | str
    params: dict = field(default_factory=dict)
    col_index: int | None = None  # 0-based, for marking the cell in the error report
    key: str = ""  # the column's key in columns.py ("national_id"); empty for a whole-file problem

    def as_dict(self) -> dict:
        message = str(self.message)
        if self.params:
            message = message % self.params
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": message,
            "key": self.key,
        }


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
    worker_sheet: str = ""  # the workers sheet's name as written in the file
    header_row: int = 0
    rows_read: int = 0
    worker_columns: dict[str, int] = field(default_factory=dict)  # key → column index, for the error report
    worker_headers: dict[str, str] = field(default_factory=dict)  # key → header as written in the file

    def mark_invalid(self, row: WorkerRow) -> None:
        """A worker row with an error: skipped, and its code and ID keep their jobs from being ended."""
        self.invalid_rows.add(row.row)
        if row.worker_code:
            self.protected_codes.setdefault(row.worker_code, row.row)
        if row.national_id:
            self.protected_ids.add(row.national_id)
