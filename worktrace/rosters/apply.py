"""The difference between a validated roster and the company's current one, written in bulk.

Runs inside roster_import's transaction. Primary keys of new people, jobs and groups are handed out here
so that related rows are written with COPY (PostgreSQL) or executemany (SQLite) without reading keys back.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import timezone

from worktrace.bulk import insert_rows, next_id, reset_sequences
from worktrace.registry.models import (
    Company,
    Employment,
    Group,
    GroupKind,
    Membership,
    MembershipRole,
    Person,
    TestResult,
)
from worktrace.rosters import messages as m
from worktrace.rosters.columns import (
    GROUP_FIELDS,
    MEMBERSHIP_FIELDS,
    PERSON_FIELDS,
    SHEET_WORKERS,
    SLOT_OF_KIND,
    SLOTS,
)
from worktrace.rosters.rows import ParsedRoster, Problem, WorkerRow
from worktrace.text import fold
from worktrace.text import match_key as _match_key
from worktrace.text import plate_key as _plate_key

# A roster repeats the same workshop, team, house and plate on thousands of rows: fold each spelling once.
match_key = lru_cache(maxsize=65536)(_match_key)
plate_key = lru_cache(maxsize=16384)(_plate_key)
fold_code = lru_cache(maxsize=65536)(fold)
fold_name = lru_cache(maxsize=65536)(fold)  # the same names recur across a province's workers

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CHUNK = 10_000  # IN lists: SQLite ≥ 3.32 takes 32,766 parameters; fewer round trips matter at 160k rows
UPDATABLE = ("sex", "phone", "home_province_id", "permanent_address", "vaccine_doses", "last_dose_on", "vaccine_name")
MAX_CHANGES = 2000
MANY = -1  # more than one open membership in a slot: never equal to the one group a row asks for


def chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    batch: list = []
    for value in values:
        batch.append(value)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def digit_signature(key: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\d+", key))


@lru_cache(maxsize=4096)
def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=TZ)


class RosterApplier:
    def __init__(
        self, *, company: Company, parsed: ParsedRoster, today: dt.date, progress: Callable | None = None
    ) -> None:
        self.company = company
        self.parsed = parsed
        self.today = today
        self.now = timezone.now()
        self.progress = progress
        self.created = self.ended = self.moved = self.unchanged = 0
        self.changes: list[dict] = []
        self.near_misses: list[dict] = []
        self.warnings: list[Problem] = []
        self.new_people: list[tuple] = []
        self.new_groups: list[tuple] = []
        self.new_jobs: list[tuple] = []
        self.new_memberships: list[tuple] = []
        self.end_memberships: list[int] = []
        self.group_names: dict[int, str] = {}
        self.replaced: set[int] = set()
        self._place_cache: dict[tuple[str, str], tuple[int, int | None]] = {}
        self._lodging_cache: dict[tuple[str, str, str], int | None] = {}

    # -- entry ----------------------------------------------------------------------------------------------
    def run(self) -> None:
        self.next_person = next_id(Person)
        self.next_group = next_id(Group)
        self.next_job = next_id(Employment)
        self._load_groups()
        people = self.people = self._people()
        self._workers(people)
        if self.parsed.has_buses:
            self._drivers(people)
        if self.parsed.has_coresidents:
            self._coresidents(people)
        self._write()

    def _change(self, kind: str, row: WorkerRow | None, name: str, code: str = "", detail: str = "") -> None:
        if len(self.changes) < MAX_CHANGES:
            self.changes.append(
                {"kind": kind, "row": row.row if row else None, "worker_code": code, "name": name, "detail": detail}
            )

    # -- people ---------------------------------------------------------------------------------------------
    def _people(self) -> dict[str, int]:
        """National ID → person id for everyone in the file, creating the people not yet known."""
        rows = self.parsed.workers
        ids = {r.national_id for r in rows}
        ids |= {b.driver_id for b in self.parsed.buses if b.driver_id}
        ids |= {c.national_id for c in self.parsed.coresidents if c.national_id}
        known: dict[str, tuple] = {}
        fields = ["id", "national_id", "full_name", "birth_date", "birth_year", "name_folded", *UPDATABLE]
        # Most of a re-upload is the company's own workers: one joined read, then look up only the rest.
        staff = Person.objects.filter(employments__company_id=self.company.pk, employments__end_date__isnull=True)
        for values in staff.values_list(*fields):
            if values[1] in ids:
                known[values[1]] = values
        staff_ids = set(known)
        for batch in chunks(sorted(ids - known.keys())):
            for values in Person.objects.filter(national_id__in=batch).values_list(*fields):
                known[values[1]] = values
        people = {nid: values[0] for nid, values in known.items()}
        self.outside_staff = {people[nid] for nid in known.keys() - staff_ids}
        self.existing_pids = set(people.values())  # people created by this import have no test results yet
        updates: list[Person] = []
        for row in rows:
            values = known.get(row.national_id)
            if values is None:
                if row.national_id not in people:
                    people[row.national_id] = self._new_person(row)
                continue
            # values: id, national_id, full_name, birth_date, birth_year, name_folded, *UPDATABLE
            if (values[2] != row.full_name and values[5] != fold_name(row.full_name)) or (
                row.birth_date and values[3] and values[3] != row.birth_date
            ):
                current = dict(zip(fields, values, strict=True))
                self.warnings.append(
                    Problem(
                        SHEET_WORKERS,
                        row.row,
                        "Họ và tên",
                        row.full_name,
                        m.W_NAME_DIFFERS,
                        {"known": f"{current['full_name']} ({current['birth_date'] or current['birth_year'] or ''})"},
                        self.parsed.worker_columns.get("full_name"),
                        "full_name",
                    )
                )
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
            if changed:
                person = Person(pk=values[0], full_name=values[2], **changed)
                person._changed = tuple(changed)  # type: ignore[attr-defined]
                updates.append(person)
            known.pop(row.national_id)  # a CCCD listed twice is one update
        for person in updates:
            Person.objects.filter(pk=person.pk).update(
                **{name: getattr(person, name) for name in person._changed}, updated_at=self.now
            )
        return people

    def _new_person(self, row: WorkerRow) -> int:
        pid = self.next_person
        self.next_person += 1
        self.new_people.append(
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
                self.now,
                self.now,
            )
        )
        return pid

    def _bare_person(self, *, national_id: str | None, full_name: str, phone: str) -> int:
        pid = self.next_person
        self.next_person += 1
        self.new_people.append(
            (pid, national_id or None, full_name, fold(full_name), None, None, "", phone, None, "", 0, None, "",
             self.now, self.now)
        )  # fmt: skip
        return pid

    # -- groups ---------------------------------------------------------------------------------------------
    def _load_groups(self) -> None:
        c = self.company.pk
        self.workshops: dict[str, int] = {}
        self.teams: dict[tuple[int, str], int] = {}
        for gid, kind, key, parent, name in Group.objects.filter(
            company_id=c, kind__in=[GroupKind.WORKSHOP, GroupKind.TEAM]
        ).values_list("id", "kind", "key", "parent_id", "name"):
            self.group_names[gid] = name
            if kind == GroupKind.WORKSHOP:
                self.workshops.setdefault(key, gid)
            else:
                self.teams.setdefault((parent, key), gid)
        plates = {plate_key(r.bus) for r in self.parsed.workers if r.bus} | {
            plate_key(b.plate) for b in self.parsed.buses
        }
        self.vehicles: dict[str, int] = {}
        for gid, key, company, name in (
            Group.objects.filter(kind=GroupKind.VEHICLE, key__in=plates)
            .order_by("id")
            .values_list("id", "key", "company_id", "name")
        ):
            # The same plate at another company is the same bus; this company's own record wins.
            if key not in self.vehicles or company == c:
                self.vehicles[key] = gid
            self.group_names[gid] = name
        self.house_by_code: dict[str, int] = {}
        self.house_by_key: dict[str, int] = {}
        self.house_keys: list[str] = []
        for gid, code, key, name, address in Group.objects.filter(kind=GroupKind.BOARDING_HOUSE).values_list(
            "id", "code", "key", "name", "address"
        ):
            self.group_names[gid] = name
            if code:
                self.house_by_code.setdefault(fold(code), gid)
            for variant in (key, match_key(address), match_key(f"{name} {address}")):
                if variant:
                    self.house_by_key.setdefault(variant, gid)
            self.house_keys.append(key)
        self.rooms: dict[tuple[int, str], int] = {}
        self._rooms_ready = False
        self.new_houses: list[tuple[int, str, str]] = []

    def _new_group(
        self, kind: str, name: str, key: str, *, parent=None, company=None, code="", address="", details=None
    ):
        gid = self.next_group
        self.next_group += 1
        self.new_groups.append(
            (gid, kind, name[:200], key[:200], parent, company, code[:60], address[:300], "", "", details or {})
        )
        self.group_names[gid] = name
        return gid

    def _workshop(self, name: str) -> int:
        key = match_key(name)
        gid = self.workshops.get(key)
        if gid is None:
            gid = self.workshops[key] = self._new_group(GroupKind.WORKSHOP, name, key, company=self.company.pk)
        return gid

    def _team(self, workshop: int, name: str) -> int:
        key = match_key(name)
        gid = self.teams.get((workshop, key))
        if gid is None:
            gid = self._new_group(GroupKind.TEAM, name, key, parent=workshop, company=self.company.pk)
            self.teams[(workshop, key)] = gid
        return gid

    def _house(self, code: str, lodging: str) -> int | None:
        if code:
            gid = self.house_by_code.get(fold_code(code))
            if gid is None:
                key = match_key(lodging or code)
                gid = self.house_by_key.get(key) if lodging else None
                if gid is None:
                    gid = self._new_house(lodging or code, key, code)
                self.house_by_code[fold_code(code)] = gid
            return gid
        if not lodging:
            return None
        key = match_key(lodging)
        gid = self.house_by_key.get(key)
        if gid is None:
            gid = self._new_house(lodging, key, "")
        return gid

    def _new_house(self, name: str, key: str, code: str) -> int:
        gid = self._new_group(GroupKind.BOARDING_HOUSE, name, key, code=code, address=name)
        self.house_by_key[key] = gid
        self.new_houses.append((gid, name, key))
        return gid

    def _room(self, house: int, name: str) -> int:
        if not self._rooms_ready:
            self._load_rooms()
        key = match_key(name)
        gid = self.rooms.get((house, key))
        if gid is None:
            gid = self.rooms[(house, key)] = self._new_group(GroupKind.ROOM, name, key, parent=house)
        return gid

    def _load_rooms(self) -> None:
        """Rooms of every house this file names, read once."""
        houses = set()
        for row in [*self.parsed.workers, *self.parsed.coresidents]:
            if row.lodging_code and fold_code(row.lodging_code) in self.house_by_code:
                houses.add(self.house_by_code[fold_code(row.lodging_code)])
            elif row.lodging and match_key(row.lodging) in self.house_by_key:
                houses.add(self.house_by_key[match_key(row.lodging)])
        for batch in chunks(sorted(houses)):
            for gid, parent, key, name in Group.objects.filter(kind=GroupKind.ROOM, parent_id__in=batch).values_list(
                "id", "parent_id", "key", "name"
            ):
                self.rooms.setdefault((parent, key), gid)
                self.group_names[gid] = name
        self._rooms_ready = True  # houses created by this import have no rooms yet

    def _lodging(self, code: str, lodging: str, room: str) -> int | None:
        house = self._house(code, lodging)
        if house is None:
            return None
        return self._room(house, room) if room else house

    def _slots(self, row: WorkerRow) -> dict[str, int | None]:
        """The groups a row asks for, in SLOTS order (rows repeat the same places: each spelling resolved once)."""
        places = (row.workshop, row.team)
        got = self._place_cache.get(places)
        if got is None:
            workshop = self._workshop(row.workshop)
            got = self._place_cache[places] = (workshop, self._team(workshop, row.team) if row.team else None)
        lodging = (row.lodging_code, row.lodging, row.room)
        if lodging == ("", "", ""):
            lodging_gid = None
        else:
            lodging_gid = self._lodging_cache.get(lodging)
            if lodging_gid is None:
                lodging_gid = self._lodging_cache[lodging] = self._lodging(*lodging)
        return {
            "workshop": got[0],
            "team": got[1],
            "lodging": lodging_gid,
            "vehicle": self.vehicles.get(plate_key(row.bus)) if row.bus else None,
        }

    # -- workers --------------------------------------------------------------------------------------------
    def _workers(self, people: dict[str, int]) -> None:
        c = self.company.pk
        self._buses_from_sheet()
        current: dict[str, tuple[int, int, str, str]] = {}
        for job, code, person, shift, nid in Employment.objects.filter(company_id=c, end_date__isnull=True).values_list(
            "id", "worker_code", "person_id", "shift", "person__national_id"
        ):
            current[code] = (job, person, shift, nid or "")
        # Per job: the group held in each slot (in SLOTS order; MANY when more than one), and the memberships.
        held: dict[int, list[tuple[int, int, str]]] = {}
        holding: dict[int, list] = {}
        slot_index = {kind: SLOTS.index(slot) for kind, slot in SLOT_OF_KIND.items()}
        for mid, job, group, kind in Membership.objects.filter(
            declared_by_id=c, end__isnull=True, employment__isnull=False, employment__company_id=c
        ).values_list("id", "employment_id", "group_id", "group__kind"):
            i = slot_index.get(kind)
            if i is None:
                continue
            groups = holding.get(job)
            if groups is None:
                holding[job] = groups = [None, None, None, None]
                held[job] = [(mid, group, SLOTS[i])]
            else:
                held[job].append((mid, group, SLOTS[i]))
            groups[i] = group if groups[i] is None else MANY
        seen_jobs: set[int] = set()
        shift_updates: dict[str, list[int]] = {}
        no_groups = [None, None, None, None]
        for row in self.parsed.workers:
            slots = self._slots(row)
            person = people[row.national_id]
            job_info = current.get(row.worker_code)
            if job_info and job_info[1] == person:
                job = job_info[0]
                seen_jobs.add(job)
                if job_info[2] != row.shift:
                    shift_updates.setdefault(row.shift, []).append(job)
                if holding.get(job, no_groups) == list(slots.values()):
                    self.unchanged += 1
                    continue
                by_slot: dict[str, list[tuple[int, int]]] = {}
                for mid, group, slot in held.get(job, ()):
                    by_slot.setdefault(slot, []).append((mid, group))
                moves = self._compare(job, person, slots, by_slot)
                if moves:
                    self.moved += 1
                    self._change("moved", row, row.full_name, row.worker_code, "; ".join(moves))
                else:
                    self.unchanged += 1
                continue
            if job_info:  # the code now belongs to someone else: the old holder's job ends
                self.replaced.add(job_info[0])
            self.created += 1
            job = self.next_job
            self.next_job += 1
            start_day = row.start_date or self.today
            self.new_jobs.append((job, person, c, row.worker_code, row.shift, start_day, None))
            start = midnight(row.start_date) if row.start_date else self.now
            for group in slots.values():
                if group is not None:
                    self.new_memberships.append((person, group, MembershipRole.MEMBER, start, None, job, c))
            self._change("created", row, row.full_name, row.worker_code)
        for shift, jobs in shift_updates.items():
            for batch in chunks(jobs):
                Employment.objects.filter(pk__in=batch).update(shift=shift)
        self._leavers(current, seen_jobs, people)

    def _compare(self, job: int, person: int, slots: dict, held: dict[str, list[tuple[int, int]]]) -> list[str]:
        moves = []
        for slot in SLOTS:
            wanted = slots[slot]
            have = held.get(slot, [])
            if [g for _m, g in have] == ([wanted] if wanted is not None else []):
                continue
            self.end_memberships.extend(mid for mid, _g in have)
            if wanted is not None:
                self.new_memberships.append(
                    (person, wanted, MembershipRole.MEMBER, self.now, None, job, self.company.pk)
                )
            before = ", ".join(self._name(g) for _m, g in have) or "–"
            after = self._name(wanted) if wanted is not None else "–"
            moves.append(f"{before} → {after}")
        return moves

    def _name(self, gid: int) -> str:
        if gid not in self.group_names:
            group = Group.objects.filter(pk=gid).values_list("name", "parent__name").first()
            self.group_names[gid] = (f"{group[0]} – {group[1]}" if group[1] else group[0]) if group else "?"
        return self.group_names[gid]

    def _leavers(self, current: dict, seen_jobs: set[int], people: dict[str, int]) -> None:
        protected_people = {people[nid] for nid in self.parsed.protected_ids if nid in people}
        for batch in chunks(sorted(self.parsed.protected_ids - people.keys())):
            protected_people.update(Person.objects.filter(national_id__in=batch).values_list("id", flat=True))
        leaving = []
        for code, (job, person, _shift, _nid) in current.items():
            if job in seen_jobs:
                continue
            if job not in self.replaced and (code in self.parsed.protected_codes or person in protected_people):
                continue
            leaving.append((job, code))
        if not leaving:
            return
        self.ended = len(leaving)
        names = dict(
            Employment.objects.filter(pk__in=[j for j, _c in leaving[:MAX_CHANGES]]).values_list(
                "id", "person__full_name"
            )
        )
        for job, code in leaving[:MAX_CHANGES]:
            self._change("ended", None, names.get(job, ""), code)
        for batch in chunks([j for j, _c in leaving]):
            Employment.objects.filter(pk__in=batch).update(end_date=self.today)
            Membership.objects.filter(employment_id__in=batch, end__isnull=True).update(end=self.now)

    # -- buses, drivers, co-residents ------------------------------------------------------------------------
    def _buses_from_sheet(self) -> None:
        for bus in self.parsed.buses:
            key = plate_key(bus.plate)
            if key not in self.vehicles:
                details = {k: v for k, v in (("route", bus.route), ("seats", bus.seats)) if v}
                self.vehicles[key] = self._new_group(
                    GroupKind.VEHICLE, f"Xe {bus.plate}", key, company=self.company.pk, code=bus.plate, details=details
                )

    def _declared(self, role: str) -> dict[tuple[int, int], int]:
        """(person, group) → membership id, for this company's open memberships of one non-worker role."""
        return {
            (person, group): mid
            for mid, person, group in Membership.objects.filter(
                declared_by_id=self.company.pk, end__isnull=True, role=role
            ).values_list("id", "person_id", "group_id")
        }

    def _reconcile(self, role: str, wanted: dict[tuple[int, int], str], label: str) -> None:
        have = self._declared(role)
        for pair, mid in have.items():
            if pair not in wanted:
                self.end_memberships.append(mid)
                self._change("ended", None, self._person_name(pair[0]), "", f"{label}: {self._name(pair[1])}")
        for pair, name in wanted.items():
            if pair not in have:
                self.new_memberships.append((pair[0], pair[1], role, self.now, None, None, self.company.pk))
                self._change("created", None, name, "", f"{label}: {self._name(pair[1])}")

    def _person_name(self, pid: int) -> str:
        return Person.objects.filter(pk=pid).values_list("full_name", flat=True).first() or ""

    def _by_name(self, role: str) -> dict[tuple[str, int], int]:
        """People this company declared before without a CCCD, found again by name within the same group."""
        return {
            (fold(name), group): person
            for person, name, group in Membership.objects.filter(
                declared_by_id=self.company.pk, end__isnull=True, role=role, person__national_id__isnull=True
            ).values_list("person_id", "person__full_name", "group_id")
        }

    def _drivers(self, people: dict[str, int]) -> None:
        wanted: dict[tuple[int, int], str] = {}
        by_name = self._by_name(MembershipRole.DRIVER)
        for bus in self.parsed.buses:
            if not (bus.driver_id or bus.driver_name):
                continue
            group = self.vehicles[plate_key(bus.plate)]
            person = self._other_person(people, bus.driver_id, bus.driver_name, bus.driver_phone, group, by_name)
            wanted[(person, group)] = bus.driver_name
        self._reconcile(MembershipRole.DRIVER, wanted, str(MembershipRole.DRIVER.label))

    def _coresidents(self, people: dict[str, int]) -> None:
        wanted: dict[tuple[int, int], str] = {}
        by_name = self._by_name(MembershipRole.CO_RESIDENT)
        for row in self.parsed.coresidents:
            group = self._lodging(row.lodging_code, row.lodging, row.room)
            if group is None:
                continue
            person = self._other_person(people, row.national_id, row.full_name, row.phone, group, by_name)
            wanted[(person, group)] = row.full_name
        self._reconcile(MembershipRole.CO_RESIDENT, wanted, str(MembershipRole.CO_RESIDENT.label))

    def _other_person(self, people, national_id: str, name: str, phone: str, group: int, by_name) -> int:
        if national_id:
            if national_id not in people:
                people[national_id] = self._bare_person(national_id=national_id, full_name=name, phone=phone)
            return people[national_id]
        key = (fold(name), group)
        if key not in by_name:
            by_name[key] = self._bare_person(national_id=None, full_name=name, phone=phone)
        return by_name[key]

    # -- writing --------------------------------------------------------------------------------------------
    def _write(self) -> None:
        for batch in chunks(sorted(set(self.end_memberships))):
            Membership.objects.filter(pk__in=batch).update(end=self.now)
        if self.new_people:
            insert_rows(Person, PERSON_FIELDS, self.new_people)
        if self.new_groups:
            insert_rows(Group, GROUP_FIELDS, self.new_groups)
        if self.new_jobs:
            insert_rows(
                Employment,
                ["id", "person_id", "company_id", "worker_code", "shift", "start_date", "end_date"],
                self.new_jobs,
            )
        if self.new_memberships:
            insert_rows(Membership, MEMBERSHIP_FIELDS, self.new_memberships)
        reset_sequences(Person, Employment, Group)
        self._tests()
        self._near_misses()

    def _tests(self) -> None:
        """A test result per row that reports one, unless that person already has a result for that day."""
        wanted = {}
        people = {}
        for row in self.parsed.workers:
            if row.last_test_on and row.test_result:
                wanted[row.national_id] = (row.last_test_on, row.test_result)
        if not wanted:
            return
        people.update((nid, pid) for nid, pid in self.people.items() if nid in wanted)
        have: set[tuple[int, dt.date]] = set()
        pids = sorted(pid for pid in people.values() if pid in self.existing_pids)
        days = sorted({day for day, _outcome in wanted.values()})
        if len(pids) > CHUNK:  # mostly the company's own workers: one joined read instead of many IN lists
            found = TestResult.objects.filter(
                sampled_on__in=days,
                person__employments__company_id=self.company.pk,
            )
            have.update(found.values_list("person_id", "sampled_on"))
            pids = [pid for pid in pids if pid in self.outside_staff]
        for batch in chunks(pids):
            found = TestResult.objects.filter(person_id__in=batch, sampled_on__in=days)
            have.update(found.values_list("person_id", "sampled_on"))
        rows = [
            (people[nid], day, "", outcome, self.now)
            for nid, (day, outcome) in wanted.items()
            if nid in people and (people[nid], day) not in have
        ]
        if rows:
            insert_rows(TestResult, ["person_id", "sampled_on", "method", "outcome", "recorded_at"], rows)

    def _near_misses(self) -> None:
        """New houses whose address is close to a known one: shown to an official to merge, never merged here."""
        if not self.new_houses or len(self.new_houses) > 200 or len(self.house_keys) > 50_000:
            return
        existing = Group.objects.filter(kind=GroupKind.BOARDING_HOUSE).exclude(
            pk__in=[gid for gid, _n, _k in self.new_houses]
        )
        # Compared only with keys holding the same numbers: "Nhà trọ số 12" and "số 13" are two houses.
        by_key: dict[str, list[tuple[int, str]]] = {}
        blocks: dict[tuple[str, ...], list[str]] = {}
        for gid, key, name in existing.values_list("id", "key", "name"):
            if key not in by_key:
                blocks.setdefault(digit_signature(key), []).append(key)
            by_key.setdefault(key, []).append((gid, name))
        for gid, name, key in self.new_houses:
            close = difflib.get_close_matches(key, blocks.get(digit_signature(key), []), n=3, cutoff=0.85)
            if close:
                self.near_misses.append(
                    {
                        "id": gid,
                        "name": name,
                        "candidates": [{"id": g, "name": n} for k in close for g, n in by_key[k]],
                    }
                )
