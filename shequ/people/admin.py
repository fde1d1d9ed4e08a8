"""Admin: the category list, and corrections to resident units. Residents are changed
through the pages and actions, so their numbers are always encrypted, masked and logged
the same way."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from shequ.orgs.admin import AuditedAdminMixin
from shequ.people.models import Category, ResidentUnit


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "has_level", "active", "sort"]
    list_editable = ["active", "sort"]


@admin.register(ResidentUnit)
class ResidentUnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Units are registered on the pages (their contact's mobile is encrypted there); the
    admin corrects the other fields, each change logged."""

    list_display = ["name", "credit_code", "community", "trade", "size", "co_building", "status"]
    list_filter = ["status", "co_building", "trade", "size"]
    search_fields = ["name", "credit_code"]
    exclude = ["contact_phone_enc", "contact_phone_index", "key_id", "client_token"]
    readonly_fields = ["contact_phone_masked", "unit", "community", "created_at", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
