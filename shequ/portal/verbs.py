"""What the audit log records of the residents' portal (``record_event`` verbs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalVerb(models.TextChoices):
    CODE_SENT = "portal.code_sent", _("发送登录验证码")
    SIGNED_IN = "portal.signed_in", _("居民登录")
    CONSENTED = "portal.consented", _("同意隐私告知")
    COMMUNITY_CHOSEN = "portal.community_chosen", _("选择所在社区")
    REQUEST_SUBMITTED = "portal.request_submitted", _("网上提交申请")
    CASE_RATED = "portal.case_rated", _("网上评价")
    CALLBACK_REQUESTED = "portal.callback_requested", _("申请代办回电")
    CALLBACK_HANDLED = "portal.callback_handled", _("代办回电")
    APPEALED = "portal.appealed", _("申请复核整改答复")
