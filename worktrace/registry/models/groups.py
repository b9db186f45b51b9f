"""Groups and time-bounded memberships: every way two people can meet (DOMAIN.md).

A workshop, team, room, boarding house, bus, trip or location is a Group. Being in it from ``start`` to
``end`` (open when None) is a Membership. Two people are in contact when memberships of one group overlap
each other and the exposure window. History is never overwritten: a move ends one membership and opens another.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from worktrace.registry.models.geo import Ward
from worktrace.registry.models.org import Company
from worktrace.registry.models.people import Employment, Person


class GroupKind(models.TextChoices):
    WORKSHOP = "workshop", _("Phân xưởng/Bộ phận")
    TEAM = "team", _("Tổ/Nhóm")
    BOARDING_HOUSE = "boarding_house", _("Nhà trọ/Ký túc xá")
    ROOM = "room", _("Phòng ở")
    VEHICLE = "vehicle", _("Xe đưa đón")
    TRIP = "trip", _("Chuyến xe")
    LOCATION = "location", _("Địa điểm (nhà ăn, cổng, khu nghỉ)")
    HOUSEHOLD = "household", _("Hộ ở cùng")


class MembershipRole(models.TextChoices):
    MEMBER = "member", _("Thành viên")
    DRIVER = "driver", _("Lái xe")
    CO_RESIDENT = "co_resident", _("Người ở cùng (không phải công nhân)")


class GroupQuerySet(models.QuerySet["Group"]):
    def of_kind(self, kind: GroupKind) -> GroupQuerySet:
        return self.filter(kind=kind)


class Group(models.Model):
    kind = models.CharField(_("loại"), max_length=20, choices=GroupKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    # match_key(name) for workshops, teams, rooms, houses; plate_key(plate) for vehicles: identity within parent.
    key = models.CharField(max_length=200, editable=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("thuộc"),
    )
    # None for groups shared by many companies (boarding houses, rooms, public locations).
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="groups",
        verbose_name=_("doanh nghiệp"),
    )
    code = models.CharField(_("mã"), max_length=60, blank=True, help_text=_("mã nhà trọ, biển số xe, mã QR"))
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("phường/xã"))
    owner_name = models.CharField(_("chủ nhà/người phụ trách"), max_length=200, blank=True)
    owner_phone = models.CharField(_("số điện thoại chủ nhà"), max_length=15, blank=True)
    starts_at = models.DateTimeField(_("giờ khởi hành"), null=True, blank=True)
    details = models.JSONField(_("thông tin thêm"), default=dict, blank=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("nhóm")
        verbose_name_plural = _("nhóm")
        indexes = [
            models.Index(fields=["kind", "key"]),
            models.Index(fields=["kind", "code"]),
            models.Index(fields=["company", "kind"]),
        ]

    def __str__(self) -> str:
        if self.parent_id and self.kind in (GroupKind.TEAM, GroupKind.ROOM, GroupKind.TRIP):
            return f"{self.name} – {self.parent}"
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def overlapping(self, start: dt.datetime, end: dt.datetime) -> MembershipQuerySet:
        """Memberships that were open at some instant of [start, end)."""
        return self.filter(Q(start__lt=end), Q(end__isnull=True) | Q(end__gt=start))

    def current(self, at: dt.datetime | None = None) -> MembershipQuerySet:
        from django.utils import timezone

        at = at or timezone.now()
        return self.filter(Q(start__lte=at), Q(end__isnull=True) | Q(end__gt=at))


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    start = models.DateTimeField(_("từ"))
    end = models.DateTimeField(_("đến"), null=True, blank=True)
    # The job that declared this membership: a company's roster re-upload only ends what that company declared.
    employment = models.ForeignKey(
        Employment, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    declared_by = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="declared_memberships"
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("thành viên nhóm")
        verbose_name_plural = _("thành viên nhóm")
        indexes = [
            models.Index(fields=["group", "start"]),
            models.Index(fields=["person", "group"]),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.group_id}"
