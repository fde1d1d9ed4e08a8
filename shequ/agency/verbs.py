"""What the audit log records of agency and village points (``record_event`` verbs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyVerb(models.TextChoices):
    AUTHORIZATION_REGISTERED = "agency.authorization_registered", _("登记代办授权")
    AUTHORIZATION_REVOKED = "agency.authorization_revoked", _("撤销代办授权")
    CASE_OPENED = "agency.case_opened", _("登记代理件")
    CASE_COMPLETED = "agency.case_completed", _("代理件办结")
    HANDOVER = "agency.handover", _("材料交接")
    REMOTE_MATTER_FILED = "agency.remote_matter_filed", _("服务点报送事项")
    REMOTE_MATTER_RESUBMITTED = "agency.remote_matter_resubmitted", _("服务点补正后重新报送")
    REMOTE_RESULT_HANDED_OVER = "agency.remote_result_handed_over", _("服务点交付结果")
    COMMERCIAL_SERVICE = "agency.commercial_service", _("服务点商务服务")
