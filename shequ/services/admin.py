from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shequ.orgs.admin import AuditedAdminMixin
from shequ.services.models import (
    CalendarDay,
    CalendarSource,
    ServiceItem,
    ServiceMaterial,
    WindowType,
)


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note", "source"]
    list_filter = ["is_working_day", "source"]
    search_fields = ["note"]
    date_hierarchy = "date"
    readonly_fields = ["source"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.source = CalendarSource.ADMIN  # the package seed never overwrites such a row
        super().save_model(request, obj, form, change)


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
