"""Partner keys are issued here (the key is shown once) or by `manage.py open311_key`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shequ.open311.actions import do_issue_partner_key, do_revoke_partner_key
from shequ.open311.models import PartnerKey, ServiceRequest
from shequ.orgs.admin import AuditedAdminMixin


class PartnerKeyAddForm(forms.ModelForm):
    class Meta:
        model = PartnerKey
        fields = ["name", "county"]


@admin.register(PartnerKey)
class PartnerKeyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "prefix", "county", "active", "created_at", "last_used_at"]
    list_filter = ["active"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    raw_id_fields = ["county"]
    actions = ["revoke"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = PartnerKeyAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["name", "county"]
        return ["name", "county", "active", *self.readonly_fields]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new key goes through the action (it makes the secret and the event).
        partner, key = do_issue_partner_key(
            request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            county=form.cleaned_data["county"],
        )
        obj.pk = partner.pk
        obj.refresh_from_db()
        messages.warning(
            request,
            _("合作系统 %(name)s 的 api_key(只显示这一次,请立即转交):%(key)s")
            % {"name": partner.name, "key": key},
        )

    @admin.action(description=gettext_lazy("停用所选密钥"))
    def revoke(self, request: HttpRequest, queryset: models.QuerySet[PartnerKey]) -> None:
        for partner in queryset.filter(active=True):
            do_revoke_partner_key(request.user, partner)  # type: ignore[arg-type]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["case", "partner", "address_string", "created_at"]
    list_filter = ["partner"]
    search_fields = ["case__number", "address_string"]
    readonly_fields = [f.name for f in ServiceRequest._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
