"""Organisation of the demo province: zones, the quarantine facility, companies of every size with their
workshops and teams, their workers, and the few people holding a second job at another company.
"""

from __future__ import annotations

import datetime as dt
import math

from worktrace.demo import names
from worktrace.demo.generator.base import Staff, midnight
from worktrace.demo.generator.people import PeopleMixin
from worktrace.registry.models import Company, Employment, Facility, GroupKind, Zone, ZoneKind

ZONES = [
    ("KCN-VT", "KCN Vân Trung", ZoneKind.INDUSTRIAL_ZONE),
    ("KCN-QC", "KCN Quang Châu", ZoneKind.INDUSTRIAL_ZONE),
    ("KCN-DT", "KCN Đình Trám", ZoneKind.INDUSTRIAL_ZONE),
    ("KCN-SKNH", "KCN Song Khê - Nội Hoàng", ZoneKind.INDUSTRIAL_ZONE),
    ("CCN-HT", "CCN Hợp Thịnh", ZoneKind.CLUSTER),
    ("NGOAI-KCN", "Ngoài khu, cụm công nghiệp", ZoneKind.OUTSIDE),
]
SHIFTS = ["Ca 1", "Ca 2", "Ca 3", "Hành chính"]


class OrganisationMixin(PeopleMixin):
    def _zones(self) -> list[Zone]:
        zones = []
        for code, name, kind in ZONES:
            zone, _ = Zone.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "province_id": 24})
            zones.append(zone)
        return zones

    def _facility(self) -> Facility:
        facility, _ = Facility.objects.get_or_create(
            name="Khu cách ly tập trung Trường Cao đẳng Kỹ thuật Công nghiệp",
            defaults={"address": "Phường Bắc Giang, Bắc Ninh", "capacity": 500},
        )
        return facility

    def _company_sizes(self) -> list[int]:
        """Workers per company: a few large employers and many small ones, ``self.workers`` in all."""
        n_companies = max(6, self.workers // 500) if self.workers >= 120 else max(2, self.workers // 20)
        weights = [1 / (i + 1) ** 0.8 for i in range(n_companies)]
        scale = self.workers / sum(weights)
        sizes = [max(20, int(w * scale)) for w in weights]
        sizes[0] += self.workers - sum(sizes)
        return sizes

    def _companies(self, zones: list[Zone], sizes: list[int]) -> list[Company]:
        """The companies (created unless a previous demo left them), ordered by tax code."""
        rng = self.rng
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
        return list(
            Company.objects.filter(tax_code__in=[c.tax_code for c in companies])
            .select_related("zone")
            .order_by("tax_code")
        )

    def _workforce(self, companies: list[Company], sizes: list[int]) -> tuple[Staff, dict[int, int]]:
        """Each company's workshops of ~150 and teams of ~25, and its workers in them (a few moved team).

        Returns the workers of each company and each company's first workshop (by company id).
        """
        rng = self.rng
        workers_by_company: Staff = []
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
                start = midnight(start_day)
                self.join(person, workshop, start, employment=employment, company=company.pk)
                team = rng.choice(teams)
                if rng.random() < 0.02:  # moved team ten days ago: history, not overwrite
                    moved = midnight(self.today - dt.timedelta(days=10))
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
        return workers_by_company, first_workshop

    def _second_jobs(self, companies: list[Company], staff: Staff, first_workshop: dict[int, int]) -> None:
        """A few people hold a second job at another company: the link that lets a trace cross companies."""
        rng = self.rng
        for ci, workers in enumerate(staff):
            for person, _ in rng.sample(workers, k=max(1, len(workers) // 100)):
                other = (ci + 1 + rng.randrange(len(companies) - 1)) % len(companies)
                company = companies[other]
                employment = self.ids.take(Employment)
                start_day = self.today - dt.timedelta(days=rng.randint(30, 300))
                self.employments.append((employment, person, company.pk, f"PT{person:07d}", "Ca 3", start_day, None))
                workshop = first_workshop[company.pk]
                self.join(person, workshop, midnight(start_day), employment=employment, company=company.pk)
