"""What the audit log records of the Open311 interface (``record_event`` verbs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Verb(models.TextChoices):
    KEY_ISSUED = "open311.key_issued", _("签发接口密钥")
    KEY_REVOKED = "open311.key_revoked", _("吊销接口密钥")
    REQUEST_FILED = "open311.request_filed", _("接收外部诉求")
