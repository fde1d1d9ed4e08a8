from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shequ.insights.models import RateRollup


@admin.register(RateRollup)
class RateRollupAdmin(admin.ModelAdmin):
    """The worker's rollup, for looking only (insights.rates.refresh_month rebuilds a month)."""

    list_display = ["unit", "month", "cases", "responded", "resolvable", "resolved", "ratings"]
    list_filter = ["month"]
    raw_id_fields = ["unit"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
