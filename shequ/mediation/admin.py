"""The statutory rules (admins add a new row with its effective date when the law
changes; edits logged) and read-only views of the rest: disputes change only through
the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shequ.mediation.models import Committee, Dispute, StatuteRule, ThirdParty
from shequ.orgs.admin import AuditedAdminMixin


@admin.register(StatuteRule)
class StatuteRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "key",
        "minimum",
        "value",
        "kind",
        "article",
        "effective_from",
        "effective_to",
        "confirmed",
    ]
    list_filter = ["key", "confirmed"]


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Committee)
class CommitteeAdmin(_ReadOnly):
    list_display = ["name", "unit", "phone", "active"]
    search_fields = ["name", "unit__name"]


@admin.register(ThirdParty)
class ThirdPartyAdmin(_ReadOnly):
    list_display = ["name", "kind", "unit", "contact_name", "contact_phone_masked"]
    list_filter = ["kind"]
    exclude = ["contact_phone_enc"]


@admin.register(Dispute)
class DisputeAdmin(_ReadOnly):
    list_display = ["number", "kind", "status", "unit", "committee", "received_at"]
    list_filter = ["status", "kind", "source", "mediation_type"]
    search_fields = ["number"]
