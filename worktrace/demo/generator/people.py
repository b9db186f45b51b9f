"""People of the demo province: names, citizen IDs that agree with birth and sex, phones, vaccination, tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from worktrace.demo import names
from worktrace.demo.generator.base import BuilderBase, weighted
from worktrace.registry.admin_units import OLD_PROVINCES
from worktrace.registry.models import Person, Sex, TestOutcome
from worktrace.text import fold

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


class PeopleMixin(BuilderBase):
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
        surname = weighted(rng, names.SURNAMES)
        if sex == Sex.FEMALE:
            middle, given = weighted(rng, names.MIDDLE_FEMALE), rng.choice(names.GIVEN_FEMALE)
        else:
            middle, given = weighted(rng, names.MIDDLE_MALE), rng.choice(names.GIVEN_MALE)
        full_name = f"{surname} {middle} {given}"
        age = rng.randint(min_age, max_age)
        birth = dt.date(self.today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        old_code = weighted(rng, HOME_PROVINCES)
        old_name, new_code = OLD_PROVINCES[old_code]
        wards: list[int | None] = [*self.wards_by_province.get(new_code, [])] or [None]
        doses = weighted(rng, [(0, 5), (1, 15), (2, 55), (3, 25)]) if worker else rng.randint(0, 2)
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

    def _name(self) -> str:
        """A man's full name without a person behind it (a boarding-house owner)."""
        rng = self.rng
        return f"{weighted(rng, names.SURNAMES)} {weighted(rng, names.MIDDLE_MALE)} {rng.choice(names.GIVEN_MALE)}"

    def _tests(self) -> Iterator[tuple]:
        """Recent tests of about six people in ten, a few positive."""
        rng = self.rng
        for row in self.people:
            if rng.random() < 0.6:
                day = self.today - dt.timedelta(days=rng.randint(0, 6))
                outcome = TestOutcome.POSITIVE if rng.random() < 0.002 else TestOutcome.NEGATIVE
                yield (row[0], day, rng.choice(["PCR", "Test nhanh"]), outcome, self.now)
