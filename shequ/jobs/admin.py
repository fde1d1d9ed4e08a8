"""Setting up the rule in force, the province's categories of 就业困难人员 and the kinds of
floating-population service (admins; edits logged). Everything else changes only through
the actions."""

from __future__ import annotations

from django.contrib import admin

from shequ.jobs.models import ActivityType, AssistanceRule, DifficultyCategory
from shequ.orgs.admin import AuditedAdminMixin


@admin.register(AssistanceRule)
class AssistanceRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "source",
        "effective_from",
        "effective_to",
        "pledge_days",
        "max_refusals",
        "no_contact_months",
    ]


@admin.register(DifficultyCategory)
class DifficultyCategoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "sort", "active"]
    list_filter = ["active"]


@admin.register(ActivityType)
class ActivityTypeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "sort", "active"]
    list_filter = ["active"]
