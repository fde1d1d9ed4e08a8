"""Admin for superusers; every add, change and delete is written to the event log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from shequ.orgs.actions import do_revoke_api_token
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.models import ApiToken, Event, OrgUnit, Post, User


class AuditedAdminMixin:
    """Other apps' ModelAdmins inherit this so admin edits leave an event too."""

    def event_unit(self, obj: Any) -> OrgUnit | None:
        unit = getattr(obj, "unit", None)
        if isinstance(obj, OrgUnit):
            return obj
        return unit if isinstance(unit, OrgUnit) else None

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change and obj.pk is not None:
                old = type(obj)._default_manager.filter(pk=obj.pk).first()
                before = snapshot(old) if old is not None else None
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            obj = type(obj)._default_manager.get(pk=obj.pk)
            record_event(
                request.user,  # type: ignore[arg-type]
                "admin.changed" if change else "admin.added",
                obj,
                unit=self.event_unit(obj),
                before=before,
                after=snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record_event(
                request.user,  # type: ignore[arg-type]
                "admin.deleted",
                obj,
                unit=self.event_unit(obj),
                before=snapshot(obj),
            )
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_event(
                    request.user,  # type: ignore[arg-type]
                    "admin.deleted",
                    obj,
                    unit=self.event_unit(obj),
                    before=snapshot(obj),
                )
            super().delete_queryset(request, queryset)  # type: ignore[misc]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    list_display = ["username", "full_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("姓名"), {"fields": ["full_name"]}),
    )
    inlines = [PostInline]


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdminMixin, TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ["name", "kind", "community_type", "code", "active_from", "active_to"]
    list_filter = ["kind", "community_type", "statistical_only"]
    search_fields = ["name", "official_name", "code"]
    raw_id_fields = ["successor"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # units are retired (active_to), never deleted: history points at them


@admin.register(Post)
class PostAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "unit", "role", "employment", "civil_servant", "started_on", "ended_on"]
    list_filter = ["role", "employment", "civil_servant"]
    search_fields = ["user__username", "user__full_name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "verb", "object_repr", "unit", "client_ip"]
    list_filter = ["verb"]
    search_fields = ["object_repr", "object_id", "request_id"]
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Owners make their tokens on their own page; here a superuser can see and revoke."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    readonly_fields = ["user", "prefix", "secret_hash", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", *readonly_fields]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request: HttpRequest, queryset: models.QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            do_revoke_api_token(request.user, token)  # type: ignore[arg-type]
