"""The statutory thresholds (admins edit the unconfirmed settings; edits logged), and
read-only views of the records, which change only through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shequ.governance.models import (
    Committee,
    CommitteeMember,
    DeclaredRelation,
    Group,
    Meeting,
    Representative,
    Resolution,
    Rule,
)
from shequ.orgs.admin import AuditedAdminMixin


@admin.register(Rule)
class RuleAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "statute", "version", "meeting_type", "kind", "basis", "num", "den", "strict",
        "article", "effective_from", "effective_to", "confirmed",
    ]  # fmt: skip
    list_filter = ["statute", "version", "kind", "confirmed"]
    search_fields = ["article", "note"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "title", "meeting_type", "unit", "status", "quorate"]
    list_filter = ["meeting_type", "status", "quorate"]
    search_fields = ["title", "unit__name"]


@admin.register(Resolution)
class ResolutionAdmin(ReadOnlyAdmin):
    list_display = ["number", "unit", "matter", "result", "votes_for", "present"]
    list_filter = ["matter", "result"]
    search_fields = ["number", "unit__name"]


@admin.register(Committee)
class CommitteeAdmin(ReadOnlyAdmin):
    list_display = ["unit", "kind", "elected_on", "term_to", "ended_on"]
    list_filter = ["kind"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    list_display = ["resident", "post", "committee", "started_on", "ended_on"]


@admin.register(Representative)
class RepresentativeAdmin(ReadOnlyAdmin):
    list_display = ["resident", "unit", "group", "term_from", "term_to"]


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "unit", "kind", "leader"]


@admin.register(DeclaredRelation)
class DeclaredRelationAdmin(ReadOnlyAdmin):
    list_display = ["a", "b", "relation", "unit"]


# deliberation (协商议事): read-only, the records change through deliberation_actions
from shequ.governance.models import Consultation, Result, Topic  # noqa: E402


@admin.register(Topic)
class TopicAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "source", "status", "outcome", "major", "proposed_at"]
    list_filter = ["status", "outcome", "source", "major"]
    search_fields = ["title", "unit__name"]
    exclude = ["contact_enc"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["topic", "form", "held_on", "place"]
    list_filter = ["form"]


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ["title", "topic", "responsible", "due_on", "progress", "completed_on"]


# --- affairs disclosure (居务公开): the catalogue and the settings are edited here ---------
from shequ.governance.models import (  # noqa: E402
    Disclosure,
    DisclosureItem,
    DisclosureQuestion,
    DisclosureSetting,
)


@admin.register(DisclosureItem)
class DisclosureItemAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "title", "category", "applies_to", "unit", "cadence", "cadence_frequent", "due_day",
        "due_in_period", "roll_to_workday", "article", "confirmed", "active",
    ]  # fmt: skip
    list_filter = ["applies_to", "category", "cadence", "confirmed", "active"]
    search_fields = ["title", "code", "article", "note"]
    raw_id_fields = ["unit"]


@admin.register(DisclosureSetting)
class DisclosureSettingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["unit", "adopted_on", "frequent_finance", "answer_days", "remind_days"]
    list_filter = ["frequent_finance"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit"]


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "item", "status", "published_on"]
    list_filter = ["status", "item__category"]
    search_fields = ["title", "unit__name"]


@admin.register(DisclosureQuestion)
class DisclosureQuestionAdmin(ReadOnlyAdmin):
    list_display = ["disclosure", "unit", "asked_at", "answer_due_on", "answered_on"]
