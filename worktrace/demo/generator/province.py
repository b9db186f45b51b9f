"""The synthetic province drawn and written in one go: ``demo_build`` for `worktrace demo`, tests and benchmarks.

The parts are drawn in a fixed order from one seeded random source (organisation, then lodging, buses and
tests), so the same seed and reference date always give the same province.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from worktrace.bulk import insert_rows, reset_sequences
from worktrace.demo.generator.organisation import OrganisationMixin
from worktrace.demo.generator.places import PlacesMixin
from worktrace.registry.models import (
    DECLARED_FIELDS,
    Company,
    Employment,
    Group,
    GroupKind,
    Membership,
    Person,
    PersonDeclaration,
    TestResult,
)
from worktrace.rosters.columns import DEMO_GROUP_FIELDS, DEMO_PERSON_FIELDS, MEMBERSHIP_FIELDS


@dataclass
class DemoResult:
    workers: int = 0
    people: int = 0
    companies: int = 0
    groups: int = 0
    memberships: int = 0
    trips: int = 0
    seconds: float = 0.0
    company_ids: list[int] = field(default_factory=list)
    zone_ids: list[int] = field(default_factory=list)
    facility_ids: list[int] = field(default_factory=list)


class ProvinceBuilder(OrganisationMixin, PlacesMixin):
    def build(self) -> DemoResult:
        result = DemoResult()
        zones = self._zones()
        result.zone_ids = [z.pk for z in zones]
        result.facility_ids = [self._facility().pk]
        sizes = self._company_sizes()
        companies = self._companies(zones, sizes)
        result.company_ids = [c.pk for c in companies]
        staff, first_workshop = self._workforce(companies, sizes)
        result.workers = sum(sizes)
        self._second_jobs(companies, staff, first_workshop)
        self._lodging(companies, staff)
        self._buses(companies, staff)
        self._write(tests=list(self._tests()))
        result.people = len(self.people)
        result.companies = len(companies)
        result.groups = len(self.groups)
        result.memberships = len(self.memberships)
        result.trips = sum(1 for g in self.groups if g[1] == GroupKind.TRIP)
        return result

    def _write(self, *, tests: list[tuple]) -> None:
        with transaction.atomic():
            insert_rows(Person, DEMO_PERSON_FIELDS, self.people)
            insert_rows(
                Employment,
                ["id", "person_id", "company_id", "worker_code", "shift", "start_date", "end_date"],
                self.employments,
            )
            insert_rows(Group, DEMO_GROUP_FIELDS, self.groups)
            insert_rows(Membership, MEMBERSHIP_FIELDS, self.memberships)
            employer = self._first_employers()
            insert_rows(
                TestResult,
                ["person_id", "sampled_on", "method", "outcome", "recorded_at", "declared_by_id"],
                [(*test, employer.get(test[0])) for test in tests],
            )
            insert_rows(
                PersonDeclaration, ["person_id", "company_id", *DECLARED_FIELDS, "declared_at"], self._declarations()
            )
            reset_sequences(Person, Employment, Group, Membership, TestResult, PersonDeclaration)

    def _first_employers(self) -> dict[int, int]:
        """Each worker's first job's company: the one that reports their tests in the demo."""
        employer: dict[int, int] = {}
        for _id, person_id, company_id, *_rest in self.employments:
            employer.setdefault(person_id, company_id)
        return employer

    def _declarations(self) -> list[tuple]:
        """Every employer declared the person's details on its roster, as an import would have recorded them."""
        index = {name: i for i, name in enumerate(DEMO_PERSON_FIELDS)}
        columns = [index[name] for name in DECLARED_FIELDS]
        people = {row[0]: row for row in self.people}
        return [
            (person_id, company_id, *(people[person_id][i] for i in columns), self.now)
            for _id, person_id, company_id, *_rest in self.employments
        ]


def demo_build(
    *,
    workers: int = 10_000,
    seed: int = 2021,
    today: dt.date | None = None,
    trip_days: int = 7,
    trips_per_day: int = 2,
) -> DemoResult:
    """Build the synthetic province into the database (adds to what is there; ``demo_exists`` to check)."""
    if workers < 40:
        raise ValueError("Tỉnh mẫu cần ít nhất 40 người lao động.")
    started = time.perf_counter()
    builder = ProvinceBuilder(
        workers=workers,
        seed=seed,
        today=today or timezone.localdate(),
        trip_days=trip_days,
        trips_per_day=trips_per_day,
    )
    result = builder.build()
    result.seconds = time.perf_counter() - started
    return result


def demo_exists() -> bool:
    return Company.objects.filter(tax_code="2400000001").exists()
