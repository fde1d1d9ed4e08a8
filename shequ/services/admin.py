from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shequ.orgs.admin import AuditedAdminMixin
from shequ.services.models import CalendarDay, CalendarSource


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
