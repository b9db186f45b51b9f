"""The groups a roster names: workshops and teams of the company, shared boarding houses and rooms, buses.

Known groups are read once; a spelling not yet known plans a new group. Workshops and teams match by
``match_key`` within the company; houses by lodging code, else by ``match_key`` of the lodging text against
each house's key, address, and name + address; rooms within their house; buses by ``plate_key`` across
companies (the same plate is the same bus).
"""

from __future__ import annotations

from worktrace.registry.models import Group, GroupKind
from worktrace.rosters.apply.plan import Plan, chunks, fold_code, match_key, plate_key
from worktrace.rosters.rows import CoResidentRow, ParsedRoster, WorkerRow
from worktrace.text import fold


class Groups:
    """Resolves the places of rows to group ids, planning new groups on ``plan``."""

    def __init__(self, plan: Plan, parsed: ParsedRoster) -> None:
        self.plan = plan
        self.parsed = parsed
        self.names: dict[int, str] = {}
        self.new_houses: list[tuple[int, str, str]] = []
        self.house_keys: list[str] = []
        self._place_cache: dict[tuple[str, str], tuple[int, int | None]] = {}
        self._lodging_cache: dict[tuple[str, str, str], int | None] = {}
        self._rooms_ready = False
        self.rooms: dict[tuple[int, str], int] = {}
        self._load_company_groups()
        self._load_vehicles()
        self._load_houses()

    # -- reading what exists ----------------------------------------------------------------------------------
    def _load_company_groups(self) -> None:
        self.workshops: dict[str, int] = {}
        self.teams: dict[tuple[int, str], int] = {}
        for gid, kind, key, parent, name in Group.objects.filter(
            company_id=self.plan.company_id, kind__in=[GroupKind.WORKSHOP, GroupKind.TEAM]
        ).values_list("id", "kind", "key", "parent_id", "name"):
            self.names[gid] = name
            if kind == GroupKind.WORKSHOP:
                self.workshops.setdefault(key, gid)
            else:
                self.teams.setdefault((parent, key), gid)

    def _load_vehicles(self) -> None:
        plates = {plate_key(r.bus) for r in self.parsed.workers if r.bus}
        plates |= {plate_key(b.plate) for b in self.parsed.buses}
        self.vehicles: dict[str, int] = {}
        for gid, key, company, name in (
            Group.objects.filter(kind=GroupKind.VEHICLE, key__in=plates)
            .order_by("id")
            .values_list("id", "key", "company_id", "name")
        ):
            # The same plate at another company is the same bus; this company's own record wins.
            if key not in self.vehicles or company == self.plan.company_id:
                self.vehicles[key] = gid
            self.names[gid] = name

    def _load_houses(self) -> None:
        self.house_by_code: dict[str, int] = {}
        self.house_by_key: dict[str, int] = {}
        for gid, code, key, name, address in Group.objects.filter(kind=GroupKind.BOARDING_HOUSE).values_list(
            "id", "code", "key", "name", "address"
        ):
            self.names[gid] = name
            if code:
                self.house_by_code.setdefault(fold(code), gid)
            for variant in (key, match_key(address), match_key(f"{name} {address}")):
                if variant:
                    self.house_by_key.setdefault(variant, gid)
            self.house_keys.append(key)

    def _load_rooms(self) -> None:
        """Rooms of every house this file names, read once."""
        houses = set()
        rows: list[WorkerRow | CoResidentRow] = [*self.parsed.workers, *self.parsed.coresidents]
        for row in rows:
            if row.lodging_code and fold_code(row.lodging_code) in self.house_by_code:
                houses.add(self.house_by_code[fold_code(row.lodging_code)])
            elif row.lodging and match_key(row.lodging) in self.house_by_key:
                houses.add(self.house_by_key[match_key(row.lodging)])
        for batch in chunks(sorted(houses)):
            for gid, parent, key, name in Group.objects.filter(kind=GroupKind.ROOM, parent_id__in=batch).values_list(
                "id", "parent_id", "key", "name"
            ):
                self.rooms.setdefault((parent, key), gid)
                self.names[gid] = name
        self._rooms_ready = True  # houses created by this import have no rooms yet

    # -- resolving ------------------------------------------------------------------------------------------
    def new_group(
        self, kind: str, name: str, key: str, *, parent=None, company=None, code="", address="", details=None
    ) -> int:
        gid = self.plan.group_id()
        self.plan.new_groups.append(
            (gid, kind, name[:200], key[:200], parent, company, code[:60], address[:300], "", "", details or {})
        )
        self.names[gid] = name
        return gid

    def workshop(self, name: str) -> int:
        key = match_key(name)
        gid = self.workshops.get(key)
        if gid is None:
            gid = self.workshops[key] = self.new_group(GroupKind.WORKSHOP, name, key, company=self.plan.company_id)
        return gid

    def team(self, workshop: int, name: str) -> int:
        key = match_key(name)
        gid = self.teams.get((workshop, key))
        if gid is None:
            gid = self.new_group(GroupKind.TEAM, name, key, parent=workshop, company=self.plan.company_id)
            self.teams[(workshop, key)] = gid
        return gid

    def house(self, code: str, lodging: str) -> int | None:
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
        gid = self.new_group(GroupKind.BOARDING_HOUSE, name, key, code=code, address=name)
        self.house_by_key[key] = gid
        self.new_houses.append((gid, name, key))
        return gid

    def room(self, house: int, name: str) -> int:
        if not self._rooms_ready:
            self._load_rooms()
        key = match_key(name)
        gid = self.rooms.get((house, key))
        if gid is None:
            gid = self.rooms[(house, key)] = self.new_group(GroupKind.ROOM, name, key, parent=house)
        return gid

    def lodging(self, code: str, lodging: str, room: str) -> int | None:
        house = self.house(code, lodging)
        if house is None:
            return None
        return self.room(house, room) if room else house

    def vehicle(self, plate: str) -> int | None:
        return self.vehicles.get(plate_key(plate)) if plate else None

    def buses_from_sheet(self) -> None:
        """Buses of the "Xe đưa đón" sheet not known yet become this company's vehicles."""
        for bus in self.parsed.buses:
            key = plate_key(bus.plate)
            if key not in self.vehicles:
                details = {k: v for k, v in (("route", bus.route), ("seats", bus.seats)) if v}
                self.vehicles[key] = self.new_group(
                    GroupKind.VEHICLE,
                    f"Xe {bus.plate}",
                    key,
                    company=self.plan.company_id,
                    code=bus.plate,
                    details=details,
                )

    def slots(self, row: WorkerRow) -> dict[str, int | None]:
        """The groups a row asks for, in SLOTS order (rows repeat the same places: each spelling resolved once)."""
        places = (row.workshop, row.team)
        got = self._place_cache.get(places)
        if got is None:
            workshop = self.workshop(row.workshop)
            got = self._place_cache[places] = (workshop, self.team(workshop, row.team) if row.team else None)
        lodging = (row.lodging_code, row.lodging, row.room)
        if lodging == ("", "", ""):
            lodging_gid = None
        else:
            lodging_gid = self._lodging_cache.get(lodging)
            if lodging_gid is None:
                lodging_gid = self._lodging_cache[lodging] = self.lodging(*lodging)
        return {
            "workshop": got[0],
            "team": got[1],
            "lodging": lodging_gid,
            "vehicle": self.vehicles.get(plate_key(row.bus)) if row.bus else None,
        }

    def name(self, gid: int) -> str:
        if gid not in self.names:
            group = Group.objects.filter(pk=gid).values_list("name", "parent__name").first()
            self.names[gid] = (f"{group[0]} – {group[1]}" if group[1] else group[0]) if group else "?"
        return self.names[gid]
