from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shequ.insights.models import (
    FigureRollup,
    Indicator,
    Objection,
    RateRollup,
    Scheme,
    ScoreLine,
    ScoreSheet,
)


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


# --- quantified assessment: schemes and indicators are editable data ------------------


@admin.register(FigureRollup)
class FigureRollupAdmin(admin.ModelAdmin):
    """The worker's figure rollup, for looking only (``insights.rollups.rebuild``)."""

    list_display = ["unit", "month", "key", "value"]
    list_filter = ["key", "month"]
    raw_id_fields = ["unit"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = [
        "code",
        "name",
        "parent",
        "kind",
        "weight",
        "measure",
        "target",
        "lower_is_better",
        "source",
        "sort",
    ]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "unit", "base_score", "target_name", "target_weight"]
    list_filter = ["year"]
    raw_id_fields = ["unit"]
    inlines = [IndicatorInline]


class ScoreLineInline(admin.TabularInline):
    model = ScoreLine
    extra = 0
    readonly_fields = ["indicator", "value", "points", "computed", "source", "evidence", "adjusted"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(admin.ModelAdmin):
    """Sheets change only through the actions (the pages); here for looking."""

    list_display = ["scheme", "unit", "total", "grade", "status", "frozen_at"]
    list_filter = ["status", "grade"]
    inlines = [ScoreLineInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["line", "status", "raised_at", "decided_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
