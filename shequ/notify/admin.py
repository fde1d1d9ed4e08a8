from __future__ import annotations

from django.contrib import admin

from shequ.notify.models import Message
from shequ.orgs.admin import AuditedAdminMixin


@admin.register(Message)
class MessageAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "unit", "channel", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["dedupe_key", "kind"]
    raw_id_fields = ["unit"]
    readonly_fields = ["body", "payload", "claim_token", "claimed_by", "lease_until", "sent_at"]
