"""Drivers and co-residents: the optional sheets, reconciled with what this company declared before.

Only present sheets are reconciled. Memberships this company declared and no longer lists are ended; people
without a citizen ID are found again by name within the same bus or room, so a re-import adds nobody twice.
A row refused by the identity check keeps what the company declared for that bus or room as it was.
"""

from __future__ import annotations

from worktrace.registry.models import Membership, MembershipRole, Person
from worktrace.rosters.apply.groups import Groups
from worktrace.rosters.apply.identity import IdentityCheck
from worktrace.rosters.apply.people import bare_person
from worktrace.rosters.apply.plan import Plan, plate_key
from worktrace.rosters.rows import ParsedRoster
from worktrace.text import fold


class OtherSheets:
    def __init__(
        self, plan: Plan, parsed: ParsedRoster, groups: Groups, people: dict[str, int], identity: IdentityCheck
    ) -> None:
        self.plan = plan
        self.parsed = parsed
        self.groups = groups
        self.people = people
        self.identity = identity

    def run(self) -> None:
        if self.parsed.has_buses:
            self._drivers()
        if self.parsed.has_coresidents:
            self._coresidents()

    def _drivers(self) -> None:
        wanted: dict[tuple[int, int], str] = {}
        kept: set[int] = set()
        by_name = self._by_name(MembershipRole.DRIVER)
        for bus in self.parsed.buses:
            group = self.groups.vehicles[plate_key(bus.plate)]
            if bus.row in self.identity.refused_drivers:
                kept.add(group)
                continue
            if not (bus.driver_id or bus.driver_name):
                continue
            person = self._person(bus.driver_id, bus.driver_name, bus.driver_phone, group, by_name)
            wanted[(person, group)] = bus.driver_name
        self._reconcile(MembershipRole.DRIVER, wanted, kept, str(MembershipRole.DRIVER.label))

    def _coresidents(self) -> None:
        wanted: dict[tuple[int, int], str] = {}
        kept: set = {self.groups.lodging(r.lodging_code, r.lodging, r.room) for r in self.identity.refused_coresidents}
        by_name = self._by_name(MembershipRole.CO_RESIDENT)
        for row in self.parsed.coresidents:
            group = self.groups.lodging(row.lodging_code, row.lodging, row.room)
            if group is None:
                continue
            person = self._person(row.national_id, row.full_name, row.phone, group, by_name)
            wanted[(person, group)] = row.full_name
        kept.discard(None)
        self._reconcile(MembershipRole.CO_RESIDENT, wanted, kept, str(MembershipRole.CO_RESIDENT.label))

    def _declared(self, role: str) -> dict[tuple[int, int], int]:
        """(person, group) → membership id, for this company's open memberships of one non-worker role."""
        return {
            (person, group): mid
            for mid, person, group in Membership.objects.filter(
                declared_by_id=self.plan.company_id, end__isnull=True, role=role
            ).values_list("id", "person_id", "group_id")
        }

    def _reconcile(self, role: str, wanted: dict[tuple[int, int], str], kept: set[int], label: str) -> None:
        plan = self.plan
        have = self._declared(role)
        for pair, mid in have.items():
            if pair not in wanted and pair[1] not in kept:
                plan.end_memberships.append(mid)
                plan.change("ended", None, self._person_name(pair[0]), "", f"{label}: {self.groups.name(pair[1])}")
        for pair, name in wanted.items():
            if pair not in have:
                plan.new_memberships.append((pair[0], pair[1], role, plan.now, None, None, plan.company_id))
                plan.change("created", None, name, "", f"{label}: {self.groups.name(pair[1])}")
                if pair[0] not in plan.touched.created:
                    plan.touched.linked.add(pair[0])

    def _person_name(self, pid: int) -> str:
        return Person.objects.filter(pk=pid).values_list("full_name", flat=True).first() or ""

    def _by_name(self, role: str) -> dict[tuple[str, int], int]:
        """People this company declared before without a CCCD, found again by name within the same group."""
        return {
            (fold(name), group): person
            for person, name, group in Membership.objects.filter(
                declared_by_id=self.plan.company_id, end__isnull=True, role=role, person__national_id__isnull=True
            ).values_list("person_id", "person__full_name", "group_id")
        }

    def _person(self, national_id: str, name: str, phone: str, group: int, by_name: dict) -> int:
        if national_id:
            if national_id not in self.people:
                self.people[national_id] = bare_person(self.plan, national_id=national_id, full_name=name, phone=phone)
            return self.people[national_id]
        key = (fold(name), group)
        if key not in by_name:
            by_name[key] = bare_person(self.plan, national_id=None, full_name=name, phone=phone)
        return by_name[key]
