"""Whose citizen ID a row carries: a registered person is reached only by a row that agrees with them.

A row whose citizen ID is registered to a person with another name or birth date is refused (an error on
that row) and recorded as a conflict for the health department: otherwise any company could attach anyone
to its roster, a room or a bus by writing their citizen ID (issue 7 §1). Names are compared folded (case,
spaces, Unicode form, diacritics); a birth year alone matches any date of that year. The message never
shows the registered details, so a file of guessed IDs learns no more than "registered, other details".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from worktrace.registry.models import DECLARED_FIELDS, ConflictSource, Person
from worktrace.rosters import messages as m
from worktrace.rosters.apply.plan import chunks, fold_name
from worktrace.rosters.columns import SHEET_BUSES, SHEET_CORESIDENTS, SHEET_WORKERS
from worktrace.rosters.rows import BusRow, CoResidentRow, ParsedRoster, Problem, WorkerRow

KNOWN_FIELDS = ["id", "national_id", "full_name", "birth_date", "birth_year", "name_folded", *DECLARED_FIELDS]


@dataclass
class Conflict:
    """A refused row: the registered person it named and what the row declared, for the officials' queue."""

    person_id: int
    source: str
    sheet: str
    row: int
    declared: dict


def load_known(company_id: int, parsed: ParsedRoster) -> tuple[dict[str, tuple], set[str]]:
    """National ID → registered values (KNOWN_FIELDS) for every ID in the file; and those of current staff."""
    ids = {r.national_id for r in parsed.workers}
    ids |= {b.driver_id for b in parsed.buses if b.driver_id}
    ids |= {c.national_id for c in parsed.coresidents if c.national_id}
    known: dict[str, tuple] = {}
    # Most of a re-upload is the company's own workers: one joined read, then look up only the rest.
    staff = Person.objects.filter(employments__company_id=company_id, employments__end_date__isnull=True)
    for values in staff.values_list(*KNOWN_FIELDS):
        if values[1] in ids:
            known[values[1]] = values
    staff_ids = set(known)
    for batch in chunks(sorted(ids - known.keys())):
        for values in Person.objects.filter(national_id__in=batch).values_list(*KNOWN_FIELDS):
            known[values[1]] = values
    return known, staff_ids


def same_name(values: tuple, name: str) -> bool:
    return values[2] == name or values[5] == fold_name(name)


def same_birth(values: tuple, birth_date: dt.date | None, birth_year: int | None) -> bool:
    """Full dates must be equal; a year alone (on either side) need only agree with the other's year."""
    have_date, have_year = values[3], values[4]
    if birth_date and have_date:
        return birth_date == have_date
    year = birth_year or (birth_date.year if birth_date else None)
    have = have_year or (have_date.year if have_date else None)
    return not (year and have) or year == have


def _declared(row: object) -> dict:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in asdict(row).items()}  # type: ignore[call-overload]


class IdentityCheck:
    """Refuses the rows of one parsed roster that name a registered person with other details."""

    def __init__(self, parsed: ParsedRoster, known: dict[str, tuple]) -> None:
        self.parsed = parsed
        self.known = known
        self.conflicts: list[Conflict] = []
        self.refused_drivers: set[int] = set()  # bus sheet rows whose driver is refused (the bus itself stays)
        self.refused_coresidents: list = []

    def run(self) -> list[Conflict]:
        self._workers()
        self._drivers()
        self._coresidents()
        return self.conflicts

    def _refuse(
        self, values: tuple, source: str, sheet: str, row: WorkerRow | BusRow | CoResidentRow, key: str, col: int | None
    ) -> None:
        labels = {"national_id": "Số CCCD/CMND", "driver_id": "Số CCCD lái xe"}
        problem = Problem(sheet, row.row, labels[key], values[1], m.E_ID_REGISTERED, {}, col, key)
        self.parsed.errors.append(problem)
        self.conflicts.append(Conflict(values[0], source, sheet, row.row, _declared(row)))

    def _workers(self) -> None:
        known, keep = self.known, []
        col = self.parsed.worker_columns.get("national_id")
        for row in self.parsed.workers:
            values = known.get(row.national_id)
            if values is None or (
                same_name(values, row.full_name) and same_birth(values, row.birth_date, row.birth_year)
            ):
                keep.append(row)
                continue
            self._refuse(values, ConflictSource.WORKER, SHEET_WORKERS, row, "national_id", col)
            self._invalid(row)
        if len(keep) != len(self.parsed.workers):
            self.parsed.workers = keep

    def _invalid(self, row: WorkerRow) -> None:
        # The row's worker code and ID still protect the job they name, as for any invalid row.
        self.parsed.invalid_rows.add(row.row)
        if row.worker_code:
            self.parsed.protected_codes.setdefault(row.worker_code, row.row)
        self.parsed.protected_ids.add(row.national_id)

    def _drivers(self) -> None:
        for bus in self.parsed.buses:
            values = self.known.get(bus.driver_id) if bus.driver_id else None
            if values is not None and not same_name(values, bus.driver_name):
                self._refuse(values, ConflictSource.DRIVER, SHEET_BUSES, bus, "driver_id", None)
                self.refused_drivers.add(bus.row)

    def _coresidents(self) -> None:
        keep = []
        for row in self.parsed.coresidents:
            values = self.known.get(row.national_id) if row.national_id else None
            if values is not None and not same_name(values, row.full_name):
                self._refuse(values, ConflictSource.CO_RESIDENT, SHEET_CORESIDENTS, row, "national_id", None)
                self.refused_coresidents.append(row)
                continue
            keep.append(row)
        self.parsed.coresidents = keep
