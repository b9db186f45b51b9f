"""Where people of different companies meet: boarding houses and their rooms (with non-worker roommates), and
shuttle buses with their drivers and the trips of the last days.
"""

from __future__ import annotations

import datetime as dt
import math

from worktrace.demo import names
from worktrace.demo.generator.base import TZ, Staff, midnight
from worktrace.demo.generator.people import PeopleMixin
from worktrace.registry.models import Company, GroupKind, MembershipRole


class PlacesMixin(PeopleMixin):
    def _lodging(self, companies: list[Company], workers_by_company: Staff) -> None:
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
                    start = midnight(self.today - dt.timedelta(days=rng.randint(10, 400)))
                    self.join(person, room, start, employment=emp, company=company)
                if rng.random() < 0.08:
                    declaring = occupants[0]
                    for _ in range(rng.randint(1, 2)):
                        roommate = self.new_person(min_age=2, max_age=60, worker=False)
                        self.join(
                            roommate,
                            room,
                            midnight(self.today - dt.timedelta(days=rng.randint(10, 400))),
                            role=MembershipRole.CO_RESIDENT,
                            company=declaring[2],
                        )

    def _buses(self, companies: list[Company], workers_by_company: Staff) -> None:
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
                since = midnight(self.today - dt.timedelta(days=120))
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
