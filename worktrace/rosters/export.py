"""Exporting rosters as the same workbook the import reads: export then import changes nothing.

A company's export carries its "Doanh nghiệp" sheet; a zone's or the province's adds two columns (tax code
and company name) to the workers sheet, which the import ignores: to re-import, export per company.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from django.db.models import QuerySet

from worktrace.accounts.access import Masker
from worktrace.registry.models import (
    Company,
    Employment,
    GroupKind,
    Membership,
    MembershipRole,
    Sex,
    TestOutcome,
    TestResult,
    Zone,
    ZoneKind,
)
from worktrace.rosters.columns import SLOT_OF_KIND
from worktrace.rosters.workbook import RosterWriter

# The workbook's own words (its drop-down), whatever the user's language: an export re-imports.
OUTCOME_LABEL: dict[str, str] = {TestOutcome.NEGATIVE: "Âm tính", TestOutcome.POSITIVE: "Dương tính"}
SEX_LABEL: dict[str, str] = {Sex.MALE: "Nam", Sex.FEMALE: "Nữ"}
BATCH = 10_000  # IN lists: SQLite ≥ 3.32 takes 32,766 parameters


def roster_export(*, companies: QuerySet[Company], target: IO[bytes] | str, masker: Masker | None = None) -> int:
    """Write the current roster of these companies; returns the number of workers written.

    ``masker`` (the reader's ``Access.masker``) hides citizen IDs and phones from roles without
    ``see_identifiers``; such a file cannot be re-imported. Without one, identifiers are written whole.
    """
    mask = masker or Masker(reveal=True)
    chosen = list(companies.select_related("zone").order_by("tax_code"))
    zones = list(Zone.objects.order_by("name").values_list("name", flat=True))
    single = len(chosen) == 1
    writer = RosterWriter(zones=zones, extra_worker_columns=() if single else ("Mã số thuế DN", "Tên doanh nghiệp"))
    if single:
        c = chosen[0]
        writer.company(
            {
                "name": c.name,
                "tax_code": c.tax_code,
                "zone": c.zone.name if c.zone.kind != ZoneKind.OUTSIDE else "",
                "address": c.address,
                "contact_name": c.contact_name,
                "contact_phone": c.contact_phone,
                "contact_email": c.contact_email,
            }
        )
    count = [0]

    def rows() -> Iterator[list]:
        for company in chosen:
            for row in _worker_rows(company, single, mask):
                count[0] += 1
                yield row

    writer.workers(rows())
    writer.buses(_bus_rows([c.pk for c in chosen], mask))
    writer.coresidents(_coresident_rows([c.pk for c in chosen], mask))
    writer.lists()
    writer.save(target)
    return count[0]


def _worker_rows(company: Company, single: bool, mask: Masker) -> Iterator[list]:
    jobs = _current_jobs(company)
    slots = _slots(company)
    tests = _latest_tests(sorted({j[4] for j in jobs}))
    for number, j in enumerate(jobs, start=1):
        (job, code, shift, start, person, name, born, year, sex, nid, phone, province, address, doses, dose_on,
         vaccine) = j  # fmt: skip
        held = slots.get(job, {})
        lodging_code, lodging, room = _lodging(held)
        test_day, outcome = tests.get(person, (None, ""))
        if not mask.reveal:
            nid, phone = mask.national_id(nid), mask.phone(phone)
        row = [
            number,
            code,
            name,
            born or year,
            SEX_LABEL.get(sex, ""),
            nid or "",
            phone,
            province or "",
            address,
            lodging_code,
            lodging,
            room,
            held["workshop"][1] if "workshop" in held else "",
            held["team"][1] if "team" in held else "",
            shift,
            held["vehicle"][2] if "vehicle" in held else "",
            doses,
            dose_on,
            vaccine,
            test_day,
            OUTCOME_LABEL.get(outcome, ""),
            start,
        ]
        if not single:
            row += [company.tax_code, company.name]
        yield row


def _current_jobs(company: Company) -> list[tuple]:
    """The company's current jobs with what the workers sheet shows of each person, by worker code."""
    return list(
        Employment.objects.filter(company=company, end_date__isnull=True)
        .order_by("worker_code")
        .values_list(
            "id",
            "worker_code",
            "shift",
            "start_date",
            "person_id",
            "person__full_name",
            "person__birth_date",
            "person__birth_year",
            "person__sex",
            "person__national_id",
            "person__phone",
            "person__home_province__name",
            "person__permanent_address",
            "person__vaccine_doses",
            "person__last_dose_on",
            "person__vaccine_name",
        )
    )


def _slots(company: Company) -> dict[int, dict[str, tuple]]:
    """Per current job, the group this company declared in each slot: (kind, name, code, parent name, code)."""
    slots: dict[int, dict[str, tuple]] = {}
    for job, kind, name, code, parent_name, parent_code in Membership.objects.filter(
        declared_by=company, employment__company=company, employment__end_date__isnull=True, end__isnull=True
    ).values_list(
        "employment_id", "group__kind", "group__name", "group__code", "group__parent__name", "group__parent__code"
    ):
        slot = SLOT_OF_KIND.get(kind)
        if slot:
            slots.setdefault(job, {})[slot] = (kind, name, code, parent_name, parent_code)
    return slots


def _latest_tests(people: list[int]) -> dict[int, tuple]:
    tests: dict[int, tuple] = {}
    for batch in _batches(people):
        for person, day, outcome in (
            TestResult.objects.filter(person_id__in=batch)
            .order_by("sampled_on", "id")
            .values_list("person_id", "sampled_on", "outcome")
        ):
            tests[person] = (day, outcome)  # the latest wins
    return tests


def _lodging(held: dict[str, tuple]) -> tuple[str, str, str]:
    """(lodging code, lodging, room): a room is written with its house."""
    if "lodging" not in held:
        return "", "", ""
    kind, name, code, parent_name, parent_code = held["lodging"]
    if kind == GroupKind.ROOM:
        return parent_code or "", parent_name or "", name
    return code, name, ""


def _bus_rows(company_ids: list[int], mask: Masker) -> Iterator[list]:
    drivers = {
        group: (name, phone, nid)
        for group, name, phone, nid in Membership.objects.filter(
            declared_by_id__in=company_ids, role=MembershipRole.DRIVER, end__isnull=True, group__kind=GroupKind.VEHICLE
        ).values_list("group_id", "person__full_name", "person__phone", "person__national_id")
    }
    buses = (
        Membership.objects.filter(declared_by_id__in=company_ids, end__isnull=True, group__kind=GroupKind.VEHICLE)
        .values_list("group_id", "group__code", "group__details")
        .distinct()
    )
    seen = set()
    for group, plate, details in buses.order_by("group__code"):
        if group in seen:
            continue
        seen.add(group)
        name, phone, nid = drivers.get(group, ("", "", ""))
        if not mask.reveal:
            nid, phone = mask.national_id(nid), mask.phone(phone)
        details = details or {}
        yield [plate, name, phone, nid or "", details.get("route", ""), details.get("seats")]


def _coresident_rows(company_ids: list[int], mask: Masker) -> Iterator[list]:
    for values in Membership.objects.filter(
        declared_by_id__in=company_ids, role=MembershipRole.CO_RESIDENT, end__isnull=True
    ).values_list(
        "person__full_name",
        "person__national_id",
        "person__phone",
        "group__kind",
        "group__name",
        "group__code",
        "group__parent__name",
        "group__parent__code",
    ):
        name, nid, phone, kind, gname, gcode, parent_name, parent_code = values
        if not mask.reveal:
            nid, phone = mask.national_id(nid), mask.phone(phone)
        if kind == GroupKind.ROOM:
            yield [name, nid or "", phone, parent_code or "", parent_name or "", gname, ""]
        else:
            yield [name, nid or "", phone, gcode, gname, "", ""]


def _batches(values: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]
