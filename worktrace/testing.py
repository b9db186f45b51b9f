"""Named test personas, built in one place (healthchecks' alice/bob/charlie, for our roles and scopes).

Two zones; companies A and B in zone 1, company C in zone 2. Worker Ann works at A, Binh at B, Chau at C;
Ann and Chau share a room (a cross-company link); Dung is Ann's non-worker roommate; Hai drives A's bus.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from worktrace.accounts.models import Role, User
from worktrace.accounts.services import user_create_with_role
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
    Zone,
    ZoneKind,
)
from worktrace.text import match_key, plate_key

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    zone1: Zone
    zone2: Zone
    company_a: Company
    company_b: Company
    company_c: Company
    facility: Facility
    ann: Person
    binh: Person
    chau: Person
    dung: Person
    hai: Person
    admin: User
    health: User
    zone_officer: User
    focal_a: User
    focal_b: User
    facility_officer: User
    worker_ann: User
    outsider: User  # signed in, no role at all

    @property
    def personas(self) -> dict[str, User]:
        return {
            "admin": self.admin,
            "health": self.health,
            "zone_officer": self.zone_officer,
            "focal_a": self.focal_a,
            "focal_b": self.focal_b,
            "facility_officer": self.facility_officer,
            "worker_ann": self.worker_ann,
            "outsider": self.outsider,
        }

    def visible_people(self, persona: str) -> set[Person]:
        """What each persona should see, written out by hand rather than computed by the code under test."""
        everyone = {self.ann, self.binh, self.chau, self.dung, self.hai}
        return {
            "admin": everyone,
            "health": everyone,
            "zone_officer": {self.ann, self.binh},
            "focal_a": {self.ann},
            "focal_b": {self.binh},
            "facility_officer": set(),
            "worker_ann": {self.ann},
            "outsider": set(),
        }[persona]


def _person(name: str, national_id: str, sex: str, born: dt.date, phone: str) -> Person:
    return Person.objects.create(full_name=name, national_id=national_id, sex=sex, birth_date=born, phone=phone)


def _group(kind: GroupKind, name: str, **kwargs) -> Group:
    key = plate_key(kwargs.get("code")) if kind == GroupKind.VEHICLE else match_key(name)
    return Group.objects.create(kind=kind, name=name, key=key, **kwargs)


def build_world() -> World:
    since = timezone.now() - dt.timedelta(days=60)
    zone1 = Zone.objects.create(code="KCN-1", name="KCN Vân Trung", kind=ZoneKind.INDUSTRIAL_ZONE, province_id=24)
    zone2 = Zone.objects.create(code="KCN-2", name="KCN Quang Châu", kind=ZoneKind.INDUSTRIAL_ZONE, province_id=24)
    company_a = Company.objects.create(tax_code="2400000101", name="Công ty May An Phát", zone=zone1)
    company_b = Company.objects.create(tax_code="2400000102", name="Công ty Điện tử Bình Minh", zone=zone1)
    company_c = Company.objects.create(tax_code="2400000103", name="Công ty Linh kiện Châu Á", zone=zone2)
    facility = Facility.objects.create(name="Khu cách ly Ký túc xá Đại học", capacity=300)
    ann = _person("Nguyễn Thị Ánh", "024301001111", Sex.FEMALE, dt.date(2001, 3, 4), "0912000111")
    binh = _person("Trần Văn Bình", "024099002222", Sex.MALE, dt.date(1999, 5, 6), "0912000222")
    chau = _person("Lê Minh Châu", "027198003333", Sex.MALE, dt.date(1998, 7, 8), "0912000333")
    dung = _person("Phạm Thị Dung", "024175004444", Sex.FEMALE, dt.date(1975, 9, 10), "0912000444")
    hai = _person("Hoàng Văn Hải", "024080005555", Sex.MALE, dt.date(1980, 11, 12), "0912000555")
    jobs = {}
    for person, company, code in (
        (ann, company_a, "A001"),
        (binh, company_b, "B001"),
        (chau, company_c, "C001"),
    ):
        jobs[person.pk] = Employment.objects.create(
            person=person, company=company, worker_code=code, start_date=since.date()
        )
        workshop = _group(GroupKind.WORKSHOP, "Phân xưởng May", company=company)
        team = _group(GroupKind.TEAM, "Tổ 1", company=company, parent=workshop)
        for group in (workshop, team):
            Membership.objects.create(
                person=person, group=group, start=since, employment=jobs[person.pk], declared_by=company
            )
    house = _group(GroupKind.BOARDING_HOUSE, "Nhà trọ Bà Tư", code="NT001", address="thôn Núi Hiểu")
    room = _group(GroupKind.ROOM, "Phòng 3", parent=house)
    Membership.objects.create(person=ann, group=room, start=since, employment=jobs[ann.pk], declared_by=company_a)
    Membership.objects.create(person=chau, group=room, start=since, employment=jobs[chau.pk], declared_by=company_c)
    Membership.objects.create(
        person=dung, group=room, start=since, role=MembershipRole.CO_RESIDENT, declared_by=company_a
    )
    bus = _group(GroupKind.VEHICLE, "Xe 98B-123.45", code="98B-123.45", company=company_a)
    Membership.objects.create(person=hai, group=bus, start=since, role=MembershipRole.DRIVER, declared_by=company_a)
    Membership.objects.create(person=ann, group=bus, start=since, employment=jobs[ann.pk], declared_by=company_a)

    def user(username: str, role: Role, **scope) -> User:
        return user_create_with_role(username=username, password=PASSWORD, role=role, **scope)

    outsider = User.objects.create_user("outsider", password=PASSWORD)
    return World(
        zone1=zone1,
        zone2=zone2,
        company_a=company_a,
        company_b=company_b,
        company_c=company_c,
        facility=facility,
        ann=ann,
        binh=binh,
        chau=chau,
        dung=dung,
        hai=hai,
        admin=user("admin", Role.PROVINCE_ADMIN),
        health=user("health", Role.HEALTH_OFFICER),
        zone_officer=user("zone", Role.ZONE_OFFICER, zone=zone1),
        focal_a=user("focal_a", Role.COMPANY_FOCAL, company=company_a),
        focal_b=user("focal_b", Role.COMPANY_FOCAL, company=company_b),
        facility_officer=user("facility", Role.FACILITY_OFFICER, facility=facility),
        worker_ann=user("ann", Role.WORKER, person=ann),
        outsider=outsider,
    )
