"""Who declared a person's contact and health details: each source keeps its own declaration.

A company's roster declares the phone, address, vaccination (and sex) of its workers; a health officer may
declare them too. One company's values never overwrite another's declaration. ``Person`` keeps the
*effective* values, which search, tracing and calls read, under one rule (docs/architecture.md): for each
field, the value most recently declared by an official; with no official declaration, the value most
recently declared by a company (a roster always comes from a current employer of the people on it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models.geo import Province
from worktrace.registry.models.org import Company
from worktrace.registry.models.people import Person, Sex

# The declared fields, in the order the roster importer compares and writes them (rosters.columns.PERSON_FIELDS).
DECLARED_FIELDS = (
    "sex",
    "phone",
    "home_province_id",
    "permanent_address",
    "vaccine_doses",
    "last_dose_on",
    "vaccine_name",
)


class PersonDeclaration(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="declarations")
    # The company whose roster declared these values; empty for an official's declaration.
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("doanh nghiệp")
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    home_province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tỉnh/TP thường trú"),
    )
    permanent_address = models.CharField(_("địa chỉ thường trú"), max_length=300, blank=True)
    vaccine_doses = models.PositiveSmallIntegerField(_("số mũi vắc xin"), default=0)
    last_dose_on = models.DateField(_("ngày tiêm mũi gần nhất"), null=True, blank=True)
    vaccine_name = models.CharField(_("loại vắc xin"), max_length=60, blank=True)
    declared_at = models.DateTimeField(_("thời điểm khai báo"))

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("khai báo thông tin")
        verbose_name_plural = _("khai báo thông tin")
        constraints = [
            # A company has one declaration per person, updated by each roster that changes it.
            models.UniqueConstraint(
                fields=["company", "person"], condition=Q(company__isnull=False), name="declaration_one_per_company"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.company_id or 'official'}"

    @property
    def is_official(self) -> bool:
        return self.company_id is None
