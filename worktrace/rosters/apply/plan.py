"""What one roster import is going to write, collected by the steps and written at the end.

Every step (identity, people, groups, jobs, other sheets) appends to one ``Plan``; ``writing`` sends it to the
database. Primary keys of new rows are handed out here so that related rows are written with COPY
(PostgreSQL) or executemany (SQLite) without reading keys back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from worktrace.bulk import next_id
from worktrace.registry.models import Employment, Group, Person
from worktrace.rosters.rows import Problem, WorkerRow
from worktrace.text import fold
from worktrace.text import match_key as _match_key
from worktrace.text import plate_key as _plate_key

# A roster repeats the same workshop, team, house and plate on thousands of rows: fold each spelling once.
match_key = lru_cache(maxsize=65536)(_match_key)
plate_key = lru_cache(maxsize=16384)(_plate_key)
fold_code = lru_cache(maxsize=65536)(fold)
fold_name = lru_cache(maxsize=65536)(fold)  # the same names recur across a province's workers

CHUNK = 10_000  # IN lists: SQLite ≥ 3.32 takes 32,766 parameters; fewer round trips matter at 160k rows
MAX_CHANGES = 2000


def chunks(values: Iterable, size: int | None = None) -> Iterator[list]:
    size = size or CHUNK
    batch: list = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def lock_imports() -> None:
    """One import at a time: primary keys are handed out by the importer (bulk.py), not by the database."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(3003)")


@lru_cache(maxsize=1)
def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=4096)
def midnight(day: dt.date) -> dt.datetime:
    """Start of a day in the project's time zone (settings.TIME_ZONE), for memberships starting on a date."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=local_zone())


@dataclass
class Touched:
    """Ids of the people an import touched, for its audit entry."""

    created: set[int] = field(default_factory=set)
    linked: set[int] = field(default_factory=set)  # registered people given a job or membership by this file
    updated: set[int] = field(default_factory=set)  # registered people whose details this file changed
    moved: set[int] = field(default_factory=set)
    ended: set[int] = field(default_factory=set)


@dataclass
class Plan:
    company_id: int
    today: dt.date
    now: dt.datetime
    created: int = 0
    ended: int = 0
    moved: int = 0
    unchanged: int = 0
    changes: list[dict] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    new_people: list[tuple] = field(default_factory=list)
    new_groups: list[tuple] = field(default_factory=list)
    new_jobs: list[tuple] = field(default_factory=list)
    new_memberships: list[tuple] = field(default_factory=list)
    new_declarations: list[tuple] = field(default_factory=list)  # PersonDeclaration rows of this company
    end_memberships: list[int] = field(default_factory=list)
    touched: Touched = field(default_factory=Touched)
    current: int = 0  # the company's current workers before this file
    # per workshop (its name; "" for none): {"created": n, "ended": n, "moved": n}, complete (changes are capped)
    by_workshop: dict[str, dict[str, int]] = field(default_factory=dict)
    ended_jobs: list[int] = field(default_factory=list)  # for an undo: the jobs this file ends
    old_shifts: dict[str, list[int]] = field(default_factory=dict)  # for an undo: shift before → jobs

    def __post_init__(self) -> None:
        self.next_person = next_id(Person)
        self.next_group = next_id(Group)
        self.next_job = next_id(Employment)

    def change(
        self, kind: str, row: WorkerRow | None, name: str, code: str = "", detail: str = "", workshop: str | None = None
    ) -> None:
        """One line of the change list; a worker's change (``workshop`` given, "" for none) is counted by workshop."""
        if workshop is not None:
            counts = self.by_workshop.setdefault(workshop, {"created": 0, "ended": 0, "moved": 0})
            counts[kind] += 1
        if len(self.changes) < MAX_CHANGES:
            self.changes.append(
                {
                    "kind": kind,
                    "row": row.row if row else None,
                    "worker_code": code,
                    "name": name,
                    "detail": detail,
                    **({"workshop": workshop} if workshop is not None else {}),
                }
            )

    def person_id(self) -> int:
        pid = self.next_person
        self.next_person += 1
        self.touched.created.add(pid)
        return pid

    def group_id(self) -> int:
        gid = self.next_group
        self.next_group += 1
        return gid

    def job_id(self) -> int:
        job = self.next_job
        self.next_job += 1
        return job
