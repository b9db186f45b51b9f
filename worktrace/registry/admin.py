"""Reference data and organisations in the admin (province administrators only)."""

from __future__ import annotations

from django.contrib import admin

from worktrace.registry.models import Company, Facility, Group, Province, Ward, Zone


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["tax_code", "name", "zone", "contact_name", "contact_phone"]
    list_filter = ["zone"]
    search_fields = ["tax_code", "name"]


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "capacity"]
    search_fields = ["name"]
    raw_id_fields = ["ward"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "company", "code", "address"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "address"]
    raw_id_fields = ["parent", "company", "ward"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # reference data comes from the vietnam-provinces package


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    list_filter = ["province"]
    search_fields = ["name"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
