"""Admin: the category list only. Residents are changed through the pages and actions,
so their numbers are always encrypted, masked and logged the same way."""

from __future__ import annotations

from django.contrib import admin

from shequ.orgs.admin import AuditedAdminMixin
from shequ.people.models import Category


@admin.register(Category)
class CategoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "has_level", "active", "sort"]
    list_editable = ["active", "sort"]
