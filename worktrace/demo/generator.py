"""The synthetic province: the same generator feeds `worktrace demo`, the tests and the benchmarks.

Deterministic for a given seed and reference date. Shapes follow the seeds: companies of a few dozen to
several thousand workers in industrial zones and outside them, workshops of ~150 and teams of ~25, boarding
houses whose rooms mix workers of different companies with non-worker roommates, shuttle buses with drivers
and daily trips, vaccinations and recent tests, and a few people holding jobs at two companies.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from worktrace.bulk import insert_rows, next_id, reset_sequences
from worktrace.demo import names
from worktrace.registry.admin_units import OLD_PROVINCES
from worktrace.registry.models import (
    Company,
    Employment,
    Facility,
    Group,
    GroupKind,
    Membership,
    MembershipRole,
    Person,
    Sex,
    TestOutcome,
    TestResult,
    Ward,
    Zone,
    ZoneKind,
)
from worktrace.rosters.columns import DEMO_GROUP_FIELDS, DEMO_PERSON_FIELDS, MEMBERSHIP_FIELDS
from worktrace.text import fold, match_key, plate_key

TZ = ZoneInfo(settings.TIME_ZONE)

ZONES = [
    ("KCN-VT", "KCN Vân Trung", ZoneKind.INDUSTRIAL_ZONE),
    ("KCN-QC", "KCN Quang Châu", ZoneKind.INDUSTRIAL_ZONE),
    ("KCN-DT", "KCN Đình Trám", ZoneKind.INDUSTRIAL_ZONE),
    ("KCN-SKNH", "KCN Song Khê - Nội Hoàng", ZoneKind.INDUSTRIAL_ZONE),
    ("CCN-HT", "CCN Hợp Thịnh", ZoneKind.CLUSTER),
    ("NGOAI-KCN", "Ngoài khu, cụm công nghiệp", ZoneKind.OUTSIDE),
]
# Where the workers of a Bắc Giang factory come from (old province codes, as in their citizen IDs).
HOME_PROVINCES = [
    (24, 50),
    (27, 8),
    (19, 4),
    (20, 4),
    (22, 3),
    (25, 3),
    (26, 3),
    (8, 3),
    (2, 3),
    (10, 2),
    (15, 2),
    (6, 2),
    (14, 2),
    (12, 1),
    (11, 1),
    (4, 1),
    (17, 2),
    (38, 2),
    (40, 2),
    (30, 2),
    (34, 1),
    (36, 1),
    (35, 1),
    (37, 1),
]
PHONE_PREFIXES = [
    "032",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "039",
    "086",
    "096",
    "097",
    "098",
    "090",
    "093",
    "070",
    "076",
    "077",
    "078",
    "079",
    "081",
    "082",
    "083",
    "084",
    "085",
    "088",
    "091",
    "094",
]
SHIFTS = ["Ca 1", "Ca 2", "Ca 3", "Hành chính"]


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


def _weighted(rng: random.Random, table: list[tuple[Any, int]]) -> Any:
    values = [v for v, _ in table]
    weights = [w for _, w in table]
    return rng.choices(values, weights)[0]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=TZ)


class _Ids:
    """Hands out primary keys past the ones already in each table."""

    def __init__(self, *models_) -> None:
        self.next = {m: next_id(m) for m in models_}

    def take(self, model) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


class ProvinceBuilder:
    def __init__(self, *, workers: int, seed: int, today: dt.date, trip_days: int, trips_per_day: int) -> None:
        self.rng = random.Random(seed)
        self.workers = workers
        self.today = today
        self.trip_days = trip_days
        self.trips_per_day = trips_per_day
        self.ids = _Ids(Person, Group, Employment)
        self.people: list[tuple] = []
        self.groups: list[tuple] = []
        self.employments: list[tuple] = []
        self.memberships: list[tuple] = []
        self.used_ids: set[str] = {
            nid for nid in Person.objects.exclude(national_id=None).values_list("national_id", flat=True) if nid
        }
        self.now = timezone.now()
        self.wards_by_province: dict[int, list[int]] = {}
        for code, province in Ward.objects.values_list("code", "province_id"):
            self.wards_by_province.setdefault(province, []).append(code)

    # -- people -------------------------------------------------------------------------------------------
    def _national_id(self, old_code: int, birth: dt.date, sex: str) -> str:
        rng = self.rng
        while True:
            if birth.year < 1985 and rng.random() < 0.3:
                candidate = f"{rng.choice(['12', '13', '09'])}{rng.randrange(10**7):07d}"  # old 9-digit CMND
            else:
                century = (0 if birth.year < 2000 else 2) + (1 if sex == Sex.FEMALE else 0)
                candidate = f"{old_code:03d}{century}{birth.year % 100:02d}{rng.randrange(10**6):06d}"
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def new_person(self, *, min_age: int = 18, max_age: int = 50, worker: bool = True) -> int:
        rng = self.rng
        sex = Sex.FEMALE if rng.random() < (0.62 if worker else 0.5) else Sex.MALE
        surname = _weighted(rng, names.SURNAMES)
        if sex == Sex.FEMALE:
            middle, given = _weighted(rng, names.MIDDLE_FEMALE), rng.choice(names.GIVEN_FEMALE)
        else:
            middle, given = _weighted(rng, names.MIDDLE_MALE), rng.choice(names.GIVEN_MALE)
        full_name = f"{surname} {middle} {given}"
        age = rng.randint(min_age, max_age)
        birth = dt.date(self.today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        old_code = _weighted(rng, HOME_PROVINCES)
        old_name, new_code = OLD_PROVINCES[old_code]
        wards: list[int | None] = [*self.wards_by_province.get(new_code, [])] or [None]
        doses = _weighted(rng, [(0, 5), (1, 15), (2, 55), (3, 25)]) if worker else rng.randint(0, 2)
        last_dose = self.today - dt.timedelta(days=rng.randint(20, 200)) if doses else None
        person_id = self.ids.take(Person)
        self.people.append(
            (
                person_id,
                self._national_id(old_code, birth, sex),
                full_name,
                fold(full_name),
                birth,
                birth.year,
                sex,
                f"{rng.choice(PHONE_PREFIXES)}{rng.randrange(10**7):07d}",
                new_code,
                rng.choice(wards),
                f"{rng.choice(names.VILLAGES)}, {old_name}",
                doses,
                last_dose,
                rng.choice(names.VACCINES) if doses else "",
                self.now,
                self.now,
            )
        )
        return person_id

    # -- groups -------------------------------------------------------------------------------------------
    def new_group(
        self,
        kind: GroupKind,
        name: str,
        *,
        parent: int | None = None,
        company: int | None = None,
        code: str = "",
        address: str = "",
        ward: int | None = None,
        owner: str = "",
        owner_phone: str = "",
        starts_at: dt.datetime | None = None,
        details: dict | None = None,
    ) -> int:
        group_id = self.ids.take(Group)
        key = plate_key(code) if kind == GroupKind.VEHICLE else match_key(name)
        self.groups.append(
            (
                group_id,
                kind,
                name,
                key,
                parent,
                company,
                code,
                address,
                ward,
                owner,
                owner_phone,
                starts_at,
                details or {},
            )
        )
        return group_id

    def join(
        self,
        person: int,
        group: int,
        start: dt.datetime,
        end: dt.datetime | None = None,
        *,
        role: str = MembershipRole.MEMBER,
        employment: int | None = None,
        company: int | None = None,
    ) -> None:
        self.memberships.append((person, group, role, start, end, employment, company))

    # -- the province -------------------------------------------------------------------------------------
    def build(self) -> DemoResult:
        rng = self.rng
        result = DemoResult()
        zones = []
        for code, name, kind in ZONES:
            zone, _ = Zone.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "province_id": 24})
            zones.append(zone)
        result.zone_ids = [z.pk for z in zones]
        facility, _ = Facility.objects.get_or_create(
            name="Khu cách ly tập trung Trường Cao đẳng Kỹ thuật Công nghiệp",
            defaults={"address": "Phường Bắc Giang, Bắc Ninh", "capacity": 500},
        )
        result.facility_ids = [facility.pk]

        n_companies = max(6, self.workers // 500) if self.workers >= 120 else max(2, self.workers // 20)
        weights = [1 / (i + 1) ** 0.8 for i in range(n_companies)]
        scale = self.workers / sum(weights)
        sizes = [max(20, int(w * scale)) for w in weights]
        sizes[0] += self.workers - sum(sizes)
        companies = []
        for i, size in enumerate(sizes):
            zone = zones[i % len(zones)] if i % 7 != 6 else zones[-1]
            if i < len(names.FOREIGN_NAMES) and size > 800:
                name = f"Công ty TNHH {names.FOREIGN_NAMES[i]} Việt Nam"
            else:
                name = (
                    f"{rng.choice(names.COMPANY_KINDS)} {rng.choice(names.COMPANY_TRADES)} "
                    f"{rng.choice(names.COMPANY_WORDS)} {i + 1}"
                )
            companies.append(
                Company(
                    tax_code=f"24{i + 1:08d}",
                    name=name,
                    zone=zone,
                    address=f"Lô {chr(65 + i % 8)}{i % 30 + 1}, {zone.name}",
                    contact_name=f"Phòng Nhân sự {i + 1}",
                    contact_phone=f"0204{rng.randrange(10**6):06d}",
                    contact_email=f"nhansu{i + 1}@example.vn",
                )
            )
        existing = {c.tax_code: c for c in Company.objects.filter(tax_code__in=[c.tax_code for c in companies])}
        Company.objects.bulk_create([c for c in companies if c.tax_code not in existing])
        companies = list(
            Company.objects.filter(tax_code__in=[c.tax_code for c in companies])
            .select_related("zone")
            .order_by("tax_code")
        )
        result.company_ids = [c.pk for c in companies]

        workers_by_company: list[list[tuple[int, int]]] = []  # (person, employment)
        first_workshop: dict[int, int] = {}
        for company, size in zip(companies, sizes, strict=True):
            staff = []
            n_workshops = max(1, math.ceil(size / 150))
            workshop_names = rng.sample(names.WORKSHOPS, k=min(n_workshops, len(names.WORKSHOPS)))
            workshops = []
            for w in range(n_workshops):
                base = workshop_names[w % len(workshop_names)]
                label = base if w < len(workshop_names) else f"{base} {w // len(workshop_names) + 1}"
                workshop = self.new_group(GroupKind.WORKSHOP, label, company=company.pk)
                teams = [
                    self.new_group(GroupKind.TEAM, f"Tổ {t + 1}", parent=workshop, company=company.pk)
                    for t in range(max(1, math.ceil(min(size, 150) / 25)))
                ]
                workshops.append((workshop, teams))
                first_workshop.setdefault(company.pk, workshop)
            for k in range(size):
                person = self.new_person()
                start_day = self.today - dt.timedelta(days=rng.randint(30, 900))
                employment = self.ids.take(Employment)
                self.employments.append(
                    (employment, person, company.pk, f"CN{k + 1:05d}", rng.choice(SHIFTS), start_day, None)
                )
                workshop, teams = workshops[k * len(workshops) // size]
                start = _midnight(start_day)
                self.join(person, workshop, start, employment=employment, company=company.pk)
                team = rng.choice(teams)
                if rng.random() < 0.02:  # moved team ten days ago: history, not overwrite
                    moved = _midnight(self.today - dt.timedelta(days=10))
                    old_team = rng.choice(teams)
                    if old_team != team and moved > start:
                        self.join(person, old_team, start, moved, employment=employment, company=company.pk)
                        start_team = moved
                    else:
                        start_team = start
                    self.join(person, team, start_team, employment=employment, company=company.pk)
                else:
                    self.join(person, team, start, employment=employment, company=company.pk)
                staff.append((person, employment))
            workers_by_company.append(staff)
        result.workers = sum(sizes)

        # A few people hold a second job at another company: the link that lets a trace cross companies.
        for ci, staff in enumerate(workers_by_company):
            for person, _ in rng.sample(staff, k=max(1, len(staff) // 100)):
                other = (ci + 1 + rng.randrange(len(companies) - 1)) % len(companies)
                company = companies[other]
                employment = self.ids.take(Employment)
                start_day = self.today - dt.timedelta(days=rng.randint(30, 300))
                self.employments.append((employment, person, company.pk, f"PT{person:07d}", "Ca 3", start_day, None))
                workshop = first_workshop[company.pk]
                self.join(person, workshop, _midnight(start_day), employment=employment, company=company.pk)

        self._lodging(companies, workers_by_company)
        self._buses(companies, workers_by_company)
        tests = list(self._tests())

        with transaction.atomic():
            insert_rows(Person, DEMO_PERSON_FIELDS, self.people)
            insert_rows(
                Employment,
                ["id", "person_id", "company_id", "worker_code", "shift", "start_date", "end_date"],
                self.employments,
            )
            insert_rows(Group, DEMO_GROUP_FIELDS, self.groups)
            insert_rows(Membership, MEMBERSHIP_FIELDS, self.memberships)
            insert_rows(TestResult, ["person_id", "sampled_on", "method", "outcome", "recorded_at"], tests)
            reset_sequences(Person, Employment, Group, Membership, TestResult)
        result.people = len(self.people)
        result.companies = len(companies)
        result.groups = len(self.groups)
        result.memberships = len(self.memberships)
        result.trips = sum(1 for g in self.groups if g[1] == GroupKind.TRIP)
        return result

    def _lodging(self, companies: list[Company], workers_by_company: list[list[tuple[int, int]]]) -> None:
        """Boarding houses shared by companies; rooms of 2–6 mixing companies; some non-worker roommates."""
        rng = self.rng
        lodgers = [
            (person, emp, companies[ci].pk)
            for ci, staff in enumerate(workers_by_company)
            for person, emp in staff
            if rng.random() < 0.8
        ]
        rng.shuffle(lodgers)
        wards: list[int | None] = [*self.wards_by_province.get(24, [])] or [None]
        position = 0
        house_no = 0
        while position < len(lodgers):
            house_no += 1
            village = rng.choice(names.VILLAGES)
            ward = rng.choice(wards)
            dormitory = rng.random() < 0.05
            house = self.new_group(
                GroupKind.BOARDING_HOUSE,
                f"Ký túc xá số {house_no}" if dormitory else f"Nhà trọ {rng.choice(names.GIVEN_MALE)} {house_no}",
                code=f"NT{house_no:05d}",
                address=f"Số {rng.randint(1, 300)}, {village}",
                ward=ward,
                owner=self._name(),
                owner_phone=f"09{rng.randrange(10**8):08d}",
            )
            for room_no in range(rng.randint(20, 60) if dormitory else rng.randint(4, 20)):
                if position >= len(lodgers):
                    break
                room = self.new_group(GroupKind.ROOM, f"Phòng {room_no + 1}", parent=house)
                occupants = lodgers[position : position + rng.randint(2, 6)]
                position += len(occupants)
                for person, emp, company in occupants:
                    start = _midnight(self.today - dt.timedelta(days=rng.randint(10, 400)))
                    self.join(person, room, start, employment=emp, company=company)
                if rng.random() < 0.08:
                    declaring = occupants[0]
                    for _ in range(rng.randint(1, 2)):
                        roommate = self.new_person(min_age=2, max_age=60, worker=False)
                        self.join(
                            roommate,
                            room,
                            _midnight(self.today - dt.timedelta(days=rng.randint(10, 400))),
                            role=MembershipRole.CO_RESIDENT,
                            company=declaring[2],
                        )

    def _name(self) -> str:
        rng = self.rng
        return f"{_weighted(rng, names.SURNAMES)} {_weighted(rng, names.MIDDLE_MALE)} {rng.choice(names.GIVEN_MALE)}"

    def _buses(self, companies: list[Company], workers_by_company: list[list[tuple[int, int]]]) -> None:
        """Shuttle buses of ~40 regular riders with a driver, and their trips of the last days."""
        rng = self.rng
        plate_no = 0
        departures = [dt.time(6, 30), dt.time(17, 45), dt.time(21, 30), dt.time(5, 45)][: self.trips_per_day]
        for company, staff in zip(companies, workers_by_company, strict=True):
            riders = [w for w in staff if rng.random() < 0.4]
            for b in range(math.ceil(len(riders) / 40)):
                plate_no += 1
                plate = f"98B-{plate_no // 100 + 100:03d}.{plate_no % 100:02d}"
                driver = self.new_person(min_age=25, max_age=55, worker=False)
                bus = self.new_group(
                    GroupKind.VEHICLE,
                    f"Xe {plate}",
                    company=company.pk,
                    code=plate,
                    details={"route": f"{rng.choice(names.VILLAGES)} – {company.zone.name}", "seats": 45},
                )
                since = _midnight(self.today - dt.timedelta(days=120))
                self.join(driver, bus, since, role=MembershipRole.DRIVER, company=company.pk)
                group = riders[b * 40 : (b + 1) * 40]
                for person, emp in group:
                    self.join(person, bus, since, employment=emp, company=company.pk)
                for day in range(self.trip_days):
                    date = self.today - dt.timedelta(days=self.trip_days - 1 - day)
                    for departure in departures:
                        starts = dt.datetime.combine(date, departure, tzinfo=TZ)
                        ends = starts + dt.timedelta(minutes=50)
                        trip = self.new_group(
                            GroupKind.TRIP,
                            f"{plate} {starts:%d/%m %H:%M}",
                            parent=bus,
                            company=company.pk,
                            code=plate,
                            starts_at=starts,
                        )
                        self.join(driver, trip, starts, ends, role=MembershipRole.DRIVER, company=company.pk)
                        for person, emp in group:
                            if rng.random() < 0.9:
                                self.join(person, trip, starts, ends, employment=emp, company=company.pk)

    def _tests(self) -> Iterator[tuple]:
        rng = self.rng
        for row in self.people:
            if rng.random() < 0.6:
                day = self.today - dt.timedelta(days=rng.randint(0, 6))
                outcome = TestOutcome.POSITIVE if rng.random() < 0.002 else TestOutcome.NEGATIVE
                yield (row[0], day, rng.choice(["PCR", "Test nhanh"]), outcome, self.now)


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
