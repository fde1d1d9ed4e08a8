"""Read-only views of the portal's rows for admins: accounts (masked numbers), consents,
online requests and callbacks. Everything changes only through the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shequ.portal.models import Account, CallbackRequest, Consent, OnlineRequest


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Account)
class AccountAdmin(_ReadOnly):
    list_display = ["phone_masked", "resident", "unit", "created_at", "last_signed_in_at"]
    exclude = ["phone_enc", "phone_index"]
    raw_id_fields = ["unit", "resident"]


@admin.register(Consent)
class ConsentAdmin(_ReadOnly):
    list_display = ["account", "version", "given_at"]
    exclude = ["address_index"]


@admin.register(OnlineRequest)
class OnlineRequestAdmin(_ReadOnly):
    list_display = ["case", "account", "unit", "created_at"]
    exclude = ["address_index"]
    raw_id_fields = ["case", "account", "unit"]


@admin.register(CallbackRequest)
class CallbackRequestAdmin(_ReadOnly):
    list_display = ["person_name", "for_whom", "unit", "phone_masked", "status", "created_at"]
    list_filter = ["status"]
    exclude = ["phone_enc"]
    raw_id_fields = ["unit", "account", "handled_by"]
