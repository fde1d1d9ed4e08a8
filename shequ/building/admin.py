"""Setting up the catalogue and the rules (admins; edits logged). The ledger is read-only
here as in the database: corrections are reversing entries, made on the ledger pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shequ.building.models import (
    AreaStandard,
    CommunityStanding,
    FacilityItem,
    LedgerEntry,
    SubsidyRule,
)
from shequ.orgs.admin import AuditedAdminMixin


@admin.register(FacilityItem)
class FacilityItemAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "group", "code", "sort", "from_seed", "active"]
    list_filter = ["group", "from_seed", "active"]


@admin.register(AreaStandard)
class AreaStandardAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["min_area_m2", "effective_from", "effective_to", "basis"]


@admin.register(SubsidyRule)
class SubsidyRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "villagers_share_min",
        "subsidy_share_max",
        "effective_from",
        "effective_to",
        "confirmed",
    ]


@admin.register(CommunityStanding)
class CommunityStandingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "community_type", "valid_from", "valid_to", "basis"]
    list_filter = ["community_type"]
    raw_id_fields = ["unit"]
    search_fields = ["unit__name"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is append-only."""

    list_display = ["entry_date", "unit", "level", "source", "kind", "amount", "reverses"]
    list_filter = ["level", "source", "six_bits", "kind"]
    search_fields = ["unit__name", "document_ref"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
