"""The people of a roster: registered ones found by citizen ID (their details updated), new ones planned.

Runs after the identity check, so every registered person reached here agrees with their row's name and
birth date. A different phone, address, province, sex or vaccination replaces the registered one.
"""

from __future__ import annotations

from worktrace.registry.models import Person
from worktrace.rosters.apply.identity import UPDATABLE
from worktrace.rosters.apply.plan import Plan, fold_name
from worktrace.rosters.rows import ParsedRoster, WorkerRow
from worktrace.text import fold


def people_for_roster(plan: Plan, parsed: ParsedRoster, known: dict[str, tuple]) -> dict[str, int]:
    """National ID → person id for everyone in the file, planning the people not yet known.

    Empties ``known`` as it goes: at 160,000 rows its tuples weigh ~140 MiB, freed before the jobs are compared.
    """
    people = {nid: values[0] for nid, values in known.items()}
    updates: list[tuple[int, dict]] = []
    for row in parsed.workers:
        values = known.pop(row.national_id, None)  # a CCCD listed twice is one update
        if values is None:
            if row.national_id not in people:
                people[row.national_id] = new_person(plan, row)
            continue
        changed = _changed(row, values)
        if changed:
            updates.append((values[0], changed))
    known.clear()
    for pk, changed in updates:
        Person.objects.filter(pk=pk).update(**changed, updated_at=plan.now)
        plan.touched.updated.add(pk)
    return people


def _changed(row: WorkerRow, values: tuple) -> dict:
    """The details of a registered person (values: KNOWN_FIELDS) this row changes."""
    wanted = (
        row.sex,
        row.phone,
        row.home_province,
        row.permanent_address,
        row.doses,
        row.last_dose_on,
        row.vaccine_name,
    )  # in the order of UPDATABLE
    changed = {}
    if wanted != values[6:]:  # most people are as registered: one tuple comparison
        changed = {
            k: v
            for k, v, have in zip(UPDATABLE, wanted, values[6:], strict=True)
            if v not in ("", None, 0) and v != have
        }
    if not values[3] and not values[4] and (row.birth_date or row.birth_year):
        changed.update(birth_date=row.birth_date, birth_year=row.birth_year)
    return changed


def new_person(plan: Plan, row: WorkerRow) -> int:
    pid = plan.person_id()
    plan.new_people.append(
        (
            pid,
            row.national_id,
            row.full_name,
            fold_name(row.full_name),
            row.birth_date,
            row.birth_year,
            row.sex,
            row.phone,
            row.home_province,
            row.permanent_address,
            row.doses,
            row.last_dose_on,
            row.vaccine_name,
            plan.now,
            plan.now,
        )
    )
    return pid


def bare_person(plan: Plan, *, national_id: str | None, full_name: str, phone: str) -> int:
    """A roommate or driver: the sheets give a name, maybe a citizen ID and a phone."""
    pid = plan.person_id()
    plan.new_people.append(
        (pid, national_id or None, full_name, fold(full_name), None, None, "", phone, None, "", 0, None, "",
         plan.now, plan.now)
    )  # fmt: skip
    return pid
