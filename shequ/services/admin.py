from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from shequ.orgs.admin import AuditedAdminMixin
from shequ.services.models import (
    HallWindow,
    ServiceHall,
    ServiceItem,
    ServiceMaterial,
    WindowType,
)


@admin.register(WindowType)
class WindowTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "unit", "sort_order", "active"]
    list_editable = ["sort_order", "active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["unit"]


class ServiceMaterialInline(admin.TabularInline):
    model = ServiceMaterial
    extra = 0


@admin.register(ServiceItem)
class ServiceItemAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "window_type",
        "kind",
        "handling_level",
        "legal_limit_days",
        "promised_limit_days",
        "active",
    ]
    list_filter = ["kind", "handling_level", "category", "window_type", "public", "active"]
    search_fields = ["code", "name"]
    raw_id_fields = ["unit"]
    inlines = [ServiceMaterialInline]


class HallWindowInline(admin.TabularInline):
    model = HallWindow
    extra = 0
    raw_id_fields = ["post"]


@admin.register(ServiceHall)
class ServiceHallAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Opening hours and window staffing; the device key is issued on the hall page."""

    list_display = ["name", "unit", "opening_hours"]
    search_fields = ["name", "unit__name"]
    raw_id_fields = ["unit"]
    exclude = ["device_key"]
    readonly_fields = ["device_key_issued_at"]
    inlines = [HallWindowInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # halls are set up by do_create_service_hall, which issues the key
