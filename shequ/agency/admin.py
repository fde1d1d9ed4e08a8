"""Setting up stations, village points and county travel costs (admins; edits logged).
Authorisations, agency cases, matters and receipts change only through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shequ.agency.models import AgencyStation, CountyTravelCost, LegacyTally, VillagePoint
from shequ.orgs.admin import AuditedAdminMixin


@admin.register(AgencyStation)
class AgencyStationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "hotline", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "unit__name"]
    raw_id_fields = ["unit"]
    filter_horizontal = ["agents"]


@admin.register(VillagePoint)
class VillagePointAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "unit", "has_fibre", "opening_hours", "fare_yuan", "lost_work_yuan"]
    list_filter = ["has_fibre", "active"]
    search_fields = ["name", "unit__name"]
    raw_id_fields = ["unit", "operator"]


@admin.register(CountyTravelCost)
class CountyTravelCostAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "fare_yuan", "lost_work_yuan"]
    raw_id_fields = ["unit"]


@admin.register(LegacyTally)
class LegacyTallyAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only."""

    list_display = [
        "point",
        "month",
        "approvals_accepted",
        "commercial_services",
        "money_saved_yuan",
    ]
    list_filter = ["source"]
    search_fields = ["point__name"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
