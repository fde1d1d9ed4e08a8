"""Admin for superusers; every add, change and delete is written to the event log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from shequ.orgs import calendar
from shequ.orgs.actions import do_revoke_api_token, do_revoke_user_api_tokens
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.models import (
    ApiToken,
    CalendarDay,
    CalendarSource,
    CalendarYear,
    Event,
    OrgUnit,
    Post,
    User,
)
from shequ.orgs.verbs import OrgVerb


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
                OrgVerb.ADMIN_CHANGED if change else OrgVerb.ADMIN_ADDED,
                obj,
                unit=self.event_unit(obj),
                before=before,
                after=snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record_event(
                request.user,  # type: ignore[arg-type]
                OrgVerb.ADMIN_DELETED,
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
                    OrgVerb.ADMIN_DELETED,
                    obj,
                    unit=self.event_unit(obj),
                    before=snapshot(obj),
                )
            super().delete_queryset(request, queryset)  # type: ignore[misc]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0
    autocomplete_fields = ["unit"]


class RevokingPasswordChangeForm(AdminPasswordChangeForm):
    """A password set by an administrator ends the user's API tokens (issue 11)."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        if commit:
            do_revoke_user_api_tokens(None, user, why="password_set_by_admin")
        return user


@admin.register(User)
class UserAdmin(AuditedAdminMixin, BaseUserAdmin):
    change_password_form = RevokingPasswordChangeForm
    list_display = ["username", "full_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("姓名"), {"fields": ["full_name"]}),
    )
    inlines = [PostInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            do_revoke_user_api_tokens(request.user, obj, why="deactivated")  # type: ignore[arg-type]


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


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note", "source"]
    list_filter = ["is_working_day", "source"]
    search_fields = ["note"]
    date_hierarchy = "date"
    readonly_fields = ["source"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.source = CalendarSource.ADMIN  # neither the seed nor an import overwrites it
        super().save_model(request, obj, form, change)


class NoticeForm(forms.Form):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    reference = forms.CharField(
        label=_("通知文号或标题"),
        max_length=200,
        help_text=_("如:国务院办公厅关于2027年部分节假日安排的通知"),
    )
    text = forms.CharField(
        label=_("放假和调休安排"),
        widget=forms.Textarea(attrs={"rows": 14, "cols": 60}),
        help_text=_(
            "每行一条:日期(或“起~止”)、休或班、说明。例如:"
            "“2027-02-06~2027-02-13 休 春节”,“2027-02-14 班 春节调休上班”。"
        ),
    )


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """The years whose arrangement is known; a new year comes from the State Council's
    notice through the import page (preview, then import)."""

    list_display = ["year", "source", "reference", "loaded_at"]
    readonly_fields = ["year", "source", "reference", "loaded_at"]
    change_list_template = "admin/orgs/calendaryear/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a year is added by importing its notice

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.import_notice)
        return [path("import/", view, name="orgs_calendaryear_import"), *super().get_urls()]

    def import_notice(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_superuser:
            raise PermissionDenied
        days: list[calendar.NoticeDay] = []
        form = NoticeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            year, text = form.cleaned_data["year"], form.cleaned_data["text"]
            try:
                days = calendar.parse_notice(year, text)
                if "import" in request.POST:
                    calendar.do_import_calendar_year(
                        request.user,
                        year=year,
                        days=days,
                        reference=form.cleaned_data["reference"],
                    )
                    messages.success(
                        request,
                        _("已导入 %(year)d 年节假日安排,共 %(n)d 天。")
                        % {"year": year, "n": len(days)},
                    )
                    return redirect(reverse("admin:orgs_calendaryear_changelist"))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                days = []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("导入国务院节假日安排通知"),
            "form": form,
            "days": days,
            "missing": calendar.missing_holidays(days) if days else [],
            "known_until": calendar.known_until(),
        }
        return TemplateResponse(request, "admin/orgs/calendaryear/import.html", context)
