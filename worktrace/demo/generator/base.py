"""What every part of the demo generator shares: the random source, key allocation and the rows it collects.

The rows are plain tuples in the column order of ``rosters.columns`` (DEMO_PERSON_FIELDS, DEMO_GROUP_FIELDS,
MEMBERSHIP_FIELDS), written in bulk once the whole province is drawn (``province.py``).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

from worktrace.bulk import next_id
from worktrace.registry.models import Employment, Group, GroupKind, MembershipRole, Person, Ward
from worktrace.text import match_key, plate_key

TZ = ZoneInfo(settings.TIME_ZONE)

# (person, employment) of each company's workers, in the order of its companies.
Staff = list[list[tuple[int, int]]]


def weighted(rng: random.Random, table: list[tuple[Any, int]]) -> Any:
    """One value of a (value, weight) table."""
    values = [v for v, _ in table]
    weights = [w for _, w in table]
    return rng.choices(values, weights)[0]


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=TZ)


class Ids:
    """Hands out primary keys past the ones already in each table."""

    def __init__(self, *models_: type[models.Model]) -> None:
        self.next = {m: next_id(m) for m in models_}

    def take(self, model: type[models.Model]) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


class BuilderBase:
    """The state of one drawing: one seeded ``random.Random`` that every part draws from in a fixed order."""

    def __init__(self, *, workers: int, seed: int, today: dt.date, trip_days: int, trips_per_day: int) -> None:
        self.rng = random.Random(seed)
        self.workers = workers
        self.today = today
        self.trip_days = trip_days
        self.trips_per_day = trips_per_day
        self.ids = Ids(Person, Group, Employment)
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
