"""The people of a roster: registered ones found by citizen ID, new ones planned; what the company declares.

Runs after the identity check, so every registered person reached here agrees with their row's name and birth
date. The row's phone, address, province, sex and vaccination are this company's declaration
(``PersonDeclaration``), kept apart from other companies' and officials'. The person's registered (effective)
values follow the rule of docs/architecture.md: a value this company newly declares becomes effective unless
an official has declared the person's details; a re-upload that declares nothing new changes nothing, so two
employers' uploads do not flip a phone back and forth.
"""

from __future__ import annotations

from worktrace.registry.models import DECLARED_FIELDS, Person, PersonDeclaration
from worktrace.rosters.apply.plan import Plan, fold_name
from worktrace.rosters.columns import PERSON_FIELDS
from worktrace.rosters.rows import ParsedRoster, WorkerRow
from worktrace.text import fold

__all__ = ["PERSON_FIELDS", "bare_person", "company_declarations", "new_person", "people_for_roster"]

DECLARATION_FIELDS = ("person_id", "company_id", *DECLARED_FIELDS, "declared_at")
EMPTY = ("", None, 0)  # a blank cell declares nothing: the company's earlier value stands
NOTHING = (object(),) * len(DECLARED_FIELDS)  # no earlier declaration: every value in the row is new


def company_declarations(company_id: int) -> tuple[dict[int, tuple], set[int]]:
    """This company's declarations (person → values in DECLARED_FIELDS order); people with an official one."""
    rows = PersonDeclaration.objects.filter(company_id=company_id).values_list("person_id", *DECLARED_FIELDS)
    declared = {values[0]: values[1:] for values in rows}
    official = set(PersonDeclaration.objects.filter(company__isnull=True).values_list("person_id", flat=True))
    return declared, official


def people_for_roster(
    plan: Plan, parsed: ParsedRoster, known: dict[str, tuple], declared: dict[int, tuple], official: set[int]
) -> dict[str, int]:
    """National ID → person id for everyone in the file, planning new people and this company's declarations.

    Empties ``known`` as it goes: at 160,000 rows its tuples weigh ~140 MiB, freed before the jobs are compared.
    """
    people = {nid: values[0] for nid, values in known.items()}
    updates: list[tuple[int, dict]] = []
    redeclared: list[tuple[int, tuple]] = []
    for row in parsed.workers:
        values = known.pop(row.national_id, None)  # a CCCD listed twice is one update
        if values is None:
            if row.national_id not in people:
                people[row.national_id] = pid = new_person(plan, row)
                plan.new_declarations.append((pid, plan.company_id, *_wanted(row), plan.now))
            continue
        changed = _declare(plan, row, values, declared.get(values[0]), redeclared, values[0] not in official)
        if not values[3] and not values[4] and (row.birth_date or row.birth_year):
            changed.update(birth_date=row.birth_date, birth_year=row.birth_year)
        if changed:
            updates.append((values[0], changed))
    known.clear()
    for pk, now_declared in redeclared:
        PersonDeclaration.objects.filter(person_id=pk, company_id=plan.company_id).update(
            **dict(zip(DECLARED_FIELDS, now_declared, strict=True)), declared_at=plan.now
        )
    for pk, changed in updates:
        Person.objects.filter(pk=pk).update(**changed, updated_at=plan.now)
        plan.touched.updated.add(pk)
    return people


def _wanted(row: WorkerRow) -> tuple:
    return (
        row.sex,
        row.phone,
        row.home_province,
        row.permanent_address,
        row.doses,
        row.last_dose_on,
        row.vaccine_name,
    )  # in the order of DECLARED_FIELDS


def _declare(
    plan: Plan, row: WorkerRow, values: tuple, before: tuple | None, redeclared: list, effective: bool
) -> dict:
    """Record what the row declares for a registered person; the effective values it changes."""
    wanted = _wanted(row)
    if wanted == before:  # most rows of a re-upload: the company declares what it declared before
        return {}
    if before is None:
        now_declared = wanted
        plan.new_declarations.append((values[0], plan.company_id, *wanted, plan.now))
    else:
        now_declared = tuple(b if w in EMPTY else w for w, b in zip(wanted, before, strict=True))
        if now_declared == before:
            return {}
        redeclared.append((values[0], now_declared))
    if not effective:  # an official's declaration wins over any company's
        return {}
    earlier = before or NOTHING
    return {
        k: v
        for k, v, b, have in zip(DECLARED_FIELDS, now_declared, earlier, values[6:], strict=True)
        if v not in EMPTY and v != b and v != have
    }


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
            *_wanted(row),
            plan.now,
            plan.now,
        )
    )
    return pid


def bare_person(plan: Plan, *, national_id: str | None, full_name: str, phone: str) -> int:
    """A roommate or driver: the sheets give a name, maybe a citizen ID and a phone (declared by the company)."""
    pid = plan.person_id()
    plan.new_people.append(
        (pid, national_id or None, full_name, fold(full_name), None, None, "", phone, None, "", 0, None, "",
         plan.now, plan.now)
    )  # fmt: skip
    if phone:
        plan.new_declarations.append((pid, plan.company_id, "", phone, None, "", 0, None, "", plan.now))
    return pid
