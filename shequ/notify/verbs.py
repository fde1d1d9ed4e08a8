"""What the audit log records of the outbox (``record_event`` verbs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotifyVerb(models.TextChoices):
    MESSAGE_RETRIED = "message.retried", _("重发消息")
