"""People (anyone who can be a contact), their jobs, and their test results."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models.geo import Province, Ward
from worktrace.registry.models.org import Company
from worktrace.text import fold


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class PersonQuerySet(models.QuerySet["Person"]):
    def employed_at(self, company_ids, on: dt.date | None = None) -> PersonQuerySet:
        """People with a job at one of these companies (current on ``on`` when given, else ever)."""
        jobs = Employment.objects.filter(company_id__in=company_ids)
        if on is not None:
            jobs = jobs.current(on)
        return self.filter(pk__in=jobs.values("person_id"))


class Person(models.Model):
    national_id = models.CharField(
        _("số CCCD/CMND"),
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        help_text=_("12 chữ số (CCCD) hoặc 9 chữ số (CMND)"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    # Lower case without diacritics, kept in step with full_name by save(): search on SQLite uses it directly.
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True, db_index=True)
    home_province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("tỉnh/TP thường trú")
    )
    home_ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("phường/xã thường trú")
    )
    permanent_address = models.CharField(_("địa chỉ thường trú"), max_length=300, blank=True)
    vaccine_doses = models.PositiveSmallIntegerField(_("số mũi vắc xin"), default=0)
    last_dose_on = models.DateField(_("ngày tiêm mũi gần nhất"), null=True, blank=True)
    vaccine_name = models.CharField(_("loại vắc xin"), max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name_folded", "id"]
        verbose_name = _("người")
        verbose_name_plural = _("người")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.name_folded = fold(self.full_name)
        if self.birth_date and not self.birth_year:
            self.birth_year = self.birth_date.year
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    @property
    def birth_display(self) -> str:
        if self.birth_date:
            return self.birth_date.strftime("%d/%m/%Y")
        return str(self.birth_year or "")


class EmploymentQuerySet(models.QuerySet["Employment"]):
    def current(self, on: dt.date | None = None) -> EmploymentQuerySet:
        on = on or dt.date.today()
        return self.filter(Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gt=on))


class Employment(models.Model):
    """A job: one person at one company under a worker code. Ending a job never deletes it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="employments")
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="employments")
    worker_code = models.CharField(_("mã công nhân"), max_length=40)
    shift = models.CharField(_("ca làm việc"), max_length=40, blank=True)
    start_date = models.DateField(_("ngày vào làm"))
    end_date = models.DateField(_("ngày nghỉ việc"), null=True, blank=True)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ["company_id", "worker_code"]
        verbose_name = _("việc làm")
        verbose_name_plural = _("việc làm")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "worker_code"],
                condition=Q(end_date__isnull=True),
                name="employment_active_worker_code_unique",
            ),
        ]
        indexes = [models.Index(fields=["person", "company"])]

    def __str__(self) -> str:
        return f"{self.worker_code} @ {self.company_id}"


class TestOutcome(models.TextChoices):
    NEGATIVE = "neg", _("Âm tính")
    POSITIVE = "pos", _("Dương tính")


class TestResult(models.Model):
    __test__ = False  # not a pytest class

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="tests")
    sampled_on = models.DateField(_("ngày lấy mẫu"))
    method = models.CharField(_("phương pháp"), max_length=40, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=3, choices=TestOutcome.choices)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The company whose roster reported the result; empty when an official recorded it (or before 0003).
    declared_by = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("khai báo bởi")
    )

    class Meta:
        ordering = ["-sampled_on", "-id"]
        verbose_name = _("kết quả xét nghiệm")
        verbose_name_plural = _("kết quả xét nghiệm")
        constraints = [
            models.UniqueConstraint(fields=["person", "sampled_on", "method"], name="test_result_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.sampled_on:%d/%m/%Y} {self.get_outcome_display()}"
