"""Industrial zones, companies and quarantine facilities: the scopes personal data belongs to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models.geo import Province, Ward


class ZoneKind(models.TextChoices):
    INDUSTRIAL_ZONE = "kcn", _("Khu công nghiệp")
    CLUSTER = "ccn", _("Cụm công nghiệp")
    OUTSIDE = "outside", _("Ngoài khu, cụm công nghiệp")


class Zone(models.Model):
    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=10, choices=ZoneKind.choices)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name=_("tỉnh/thành phố"))

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("khu/cụm công nghiệp")
        verbose_name_plural = _("khu/cụm công nghiệp")

    def __str__(self) -> str:
        return self.name


class Company(models.Model):
    tax_code = models.CharField(_("mã số thuế"), max_length=14, unique=True)
    name = models.CharField(_("tên doanh nghiệp"), max_length=300)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="companies", verbose_name=_("khu/cụm"))
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    contact_name = models.CharField(_("người đầu mối"), max_length=200, blank=True)
    contact_phone = models.CharField(_("số điện thoại đầu mối"), max_length=20, blank=True)
    contact_email = models.EmailField(_("email đầu mối"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("doanh nghiệp")
        verbose_name_plural = _("doanh nghiệp")

    def __str__(self) -> str:
        return self.name


class Facility(models.Model):
    """A quarantine facility (khu cách ly tập trung) that reports daily."""

    name = models.CharField(_("tên"), max_length=200)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("phường/xã"))
    capacity = models.PositiveIntegerField(_("sức chứa"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cơ sở cách ly")
        verbose_name_plural = _("cơ sở cách ly")

    def __str__(self) -> str:
        return self.name
