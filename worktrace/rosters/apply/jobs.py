"""Jobs and their memberships: the worker sheet compared with the company's current roster.

A row whose worker code is a current job of the company for the same person is that worker: each slot
(workshop, team, lodging, bus) is compared with the membership this company declared for the job; a
difference ends the old membership and starts a new one (a move). Any other row is a new job. Current jobs
not in the file are leavers, unless an invalid row names their code or person.
"""

from __future__ import annotations

from worktrace.registry.models import Employment, Membership, MembershipRole, Person
from worktrace.rosters.apply.groups import Groups
from worktrace.rosters.apply.plan import MAX_CHANGES, Plan, chunks, midnight
from worktrace.rosters.columns import SLOT_OF_KIND, SLOTS
from worktrace.rosters.rows import ParsedRoster, WorkerRow

MANY = -1  # more than one open membership in a slot: never equal to the one group a row asks for
NO_GROUPS = [None, None, None, None]


class Jobs:
    def __init__(self, plan: Plan, parsed: ParsedRoster, groups: Groups, people: dict[str, int]) -> None:
        self.plan = plan
        self.parsed = parsed
        self.groups = groups
        self.people = people
        self.seen_jobs: set[int] = set()
        self.replaced: set[int] = set()
        self.shift_updates: dict[str, list[int]] = {}
        self.shifts: dict[int, str] = {}

    def run(self) -> None:
        c = self.plan.company_id
        current: dict[str, tuple[int, int, str, str]] = {}
        for job, code, person, shift, nid in Employment.objects.filter(company_id=c, end_date__isnull=True).values_list(
            "id", "worker_code", "person_id", "shift", "person__national_id"
        ):
            current[code] = (job, person, shift, nid or "")
            self.shifts[job] = shift
        self.plan.current = len(current)
        self._load_held()
        for row in self.parsed.workers:
            self._row(row, current.get(row.worker_code))
        for shift, jobs in self.shift_updates.items():
            for job in jobs:
                self.plan.old_shifts.setdefault(self.shifts[job], []).append(job)
            for batch in chunks(jobs):
                Employment.objects.filter(pk__in=batch).update(shift=shift)
        self._leavers(current)

    def _load_held(self) -> None:
        """Per job: the group held in each slot (in SLOTS order; MANY when more than one), and the memberships."""
        c = self.plan.company_id
        self.held: dict[int, list[tuple[int, int, str]]] = {}
        self.holding: dict[int, list] = {}
        slot_index = {kind: SLOTS.index(slot) for kind, slot in SLOT_OF_KIND.items()}
        for mid, job, group, kind in Membership.objects.filter(
            declared_by_id=c, end__isnull=True, employment__isnull=False, employment__company_id=c
        ).values_list("id", "employment_id", "group_id", "group__kind"):
            i = slot_index.get(kind)
            if i is None:
                continue
            groups = self.holding.get(job)
            if groups is None:
                self.holding[job] = groups = [None, None, None, None]
                self.held[job] = [(mid, group, SLOTS[i])]
            else:
                self.held[job].append((mid, group, SLOTS[i]))
            groups[i] = group if groups[i] is None else MANY

    def _row(self, row: WorkerRow, job_info: tuple[int, int, str, str] | None) -> None:
        plan = self.plan
        slots = self.groups.slots(row)
        person = self.people[row.national_id]
        if job_info and job_info[1] == person:
            self._same_job(row, job_info, person, slots)
            return
        if job_info:  # the code now belongs to someone else: the old holder's job ends
            self.replaced.add(job_info[0])
        plan.created += 1
        job = plan.job_id()
        plan.new_jobs.append(
            (job, person, plan.company_id, row.worker_code, row.shift, row.start_date or plan.today, None)
        )
        start = midnight(row.start_date) if row.start_date else plan.now
        for group in slots.values():
            if group is not None:
                plan.new_memberships.append((person, group, MembershipRole.MEMBER, start, None, job, plan.company_id))
        if person not in plan.touched.created:
            plan.touched.linked.add(person)
        plan.change("created", row, row.full_name, row.worker_code, workshop=self._workshop(slots))

    def _same_job(self, row: WorkerRow, job_info: tuple, person: int, slots: dict[str, int | None]) -> None:
        job = job_info[0]
        self.seen_jobs.add(job)
        if job_info[2] != row.shift:
            self.shift_updates.setdefault(row.shift, []).append(job)
        if self.holding.get(job, NO_GROUPS) == list(slots.values()):
            self.plan.unchanged += 1
            return
        by_slot: dict[str, list[tuple[int, int]]] = {}
        for mid, group, slot in self.held.get(job, ()):
            by_slot.setdefault(slot, []).append((mid, group))
        moves = self._compare(job, person, slots, by_slot)
        if moves:
            self.plan.moved += 1
            self.plan.touched.moved.add(person)
            workshop = self._workshop(slots)
            self.plan.change("moved", row, row.full_name, row.worker_code, "; ".join(moves), workshop=workshop)
        else:
            self.plan.unchanged += 1

    def _workshop(self, slots: dict[str, int | None]) -> str:
        group = slots.get("workshop")
        return self.groups.name(group) if group is not None else ""

    def _held_workshop(self, job: int) -> str:
        groups = [g for _m, g, slot in self.held.get(job, ()) if slot == "workshop"]
        return ", ".join(self.groups.name(g) for g in groups)

    def _compare(self, job: int, person: int, slots: dict, held: dict[str, list[tuple[int, int]]]) -> list[str]:
        moves = []
        plan = self.plan
        for slot in SLOTS:
            wanted = slots[slot]
            have = held.get(slot, [])
            if [g for _m, g in have] == ([wanted] if wanted is not None else []):
                continue
            plan.end_memberships.extend(mid for mid, _g in have)
            if wanted is not None:
                plan.new_memberships.append(
                    (person, wanted, MembershipRole.MEMBER, plan.now, None, job, plan.company_id)
                )
            before = ", ".join(self.groups.name(g) for _m, g in have) or "–"
            after = self.groups.name(wanted) if wanted is not None else "–"
            moves.append(f"{before} → {after}")
        return moves

    def _leavers(self, current: dict[str, tuple[int, int, str, str]]) -> None:
        people, protected_ids = self.people, self.parsed.protected_ids
        protected_people = {people[nid] for nid in protected_ids if nid in people}
        for batch in chunks(sorted(protected_ids - people.keys())):
            protected_people.update(Person.objects.filter(national_id__in=batch).values_list("id", flat=True))
        leaving = []
        for code, (job, person, _shift, _nid) in current.items():
            if job in self.seen_jobs:
                continue
            if job not in self.replaced and (code in self.parsed.protected_codes or person in protected_people):
                continue
            leaving.append((job, code))
            self.plan.touched.ended.add(person)
        if not leaving:
            return
        self.plan.ended = len(leaving)
        self.plan.ended_jobs = [j for j, _c in leaving]
        names = dict(
            Employment.objects.filter(pk__in=[j for j, _c in leaving[:MAX_CHANGES]]).values_list(
                "id", "person__full_name"
            )
        )
        for job, code in leaving:
            self.plan.change("ended", None, names.get(job, ""), code, workshop=self._held_workshop(job))
        for batch in chunks([j for j, _c in leaving]):
            Employment.objects.filter(pk__in=batch).update(end_date=self.plan.today)
            Membership.objects.filter(employment_id__in=batch, end__isnull=True).update(end=self.plan.now)
