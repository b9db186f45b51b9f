"""Users and the roles they hold on scopes (province, zone, company, facility, self)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models import Company, Facility, Person, Zone


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", _("Quản trị hệ thống cấp tỉnh")
    HEALTH_OFFICER = "health_officer", _("Cán bộ y tế/CDC")
    ZONE_OFFICER = "zone_officer", _("Cán bộ Ban quản lý khu công nghiệp")
    COMPANY_FOCAL = "company_focal", _("Đầu mối doanh nghiệp")
    FACILITY_OFFICER = "facility_officer", _("Cán bộ cơ sở cách ly")
    WORKER = "worker", _("Người lao động")


# What scope object each role is bound to; province-wide roles take none.
ROLE_SCOPE_FIELD: dict[str, str | None] = {
    Role.PROVINCE_ADMIN: None,
    Role.HEALTH_OFFICER: None,
    Role.ZONE_OFFICER: "zone",
    Role.COMPANY_FOCAL: "company",
    Role.FACILITY_OFFICER: "facility",
    Role.WORKER: "person",
}


class User(AbstractUser):
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")


class Grant(models.Model):
    """One role held by one user on one scope. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants", verbose_name=_("tài khoản"))
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("khu/cụm"))
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("doanh nghiệp")
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("cơ sở cách ly")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("người"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyền")
        verbose_name_plural = _("quyền")

    def __str__(self) -> str:
        scope = self.scope_object
        return f"{self.get_role_display()}" + (f" – {scope}" if scope else "")

    @property
    def scope_object(self) -> models.Model | None:
        field = ROLE_SCOPE_FIELD.get(self.role)
        return getattr(self, field) if field else None

    def clean(self) -> None:
        wanted = ROLE_SCOPE_FIELD.get(self.role)
        for field in ("zone", "company", "facility", "person"):
            value = getattr(self, f"{field}_id")
            if field == wanted and value is None:
                raise ValidationError({field: _("Vai trò này cần chọn phạm vi.")})
            if field != wanted and value is not None:
                raise ValidationError({field: _("Vai trò này không gắn với phạm vi này.")})
