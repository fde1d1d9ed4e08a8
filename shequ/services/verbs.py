"""The services app's verbs.

``CaseVerb`` is the case timeline (``CaseEvent.verb``): every state change of a case
writes one, and it is what ``insights`` reads (through ``services.figures``). Each also
goes to the audit log as ``case.<verb>`` (``ServicesVerb``), with the hall's, ratings'
and rectifications' own verbs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseVerb(models.TextChoices):
    RECEIVED = "received", _("登记")
    ACCEPTED = "accepted", _("受理")
    RETURNED = "returned", _("退回补正")
    RESUMED = "resumed", _("补正后恢复")
    REFUSED = "refused", _("不予受理")
    STARTED = "started", _("开始办理")
    ARRIVED = "arrived", _("到达现场")
    SENT_UP = "sent_up", _("报送上级")
    COMPLETED = "completed", _("办结")
    CLOSED = "closed", _("归档")
    EXTENSION_REQUESTED = "extension_requested", _("申请延期")
    EXTENSION_APPROVED = "extension_approved", _("批准延期")
    EXTENSION_REJECTED = "extension_rejected", _("驳回延期")
    QUARTER_HOUR_BREACHED = "quarter_hour_breached", _("一刻钟超时")
    OVERDUE = "overdue", _("超期督办")
    DEADLINE_RECOMPUTED = "deadline_recomputed", _("按节假日安排重算时限")
    RATED = "rated", _("评价")
    RATING_FOLLOWED_UP = "rating_followed_up", _("差评回访")
    RATING_APPEAL_UPHELD = "rating_appeal_upheld", _("评价申诉成立")


class ServicesVerb(models.TextChoices):
    CASE_RECEIVED = "case.received", _("登记办件")
    CASE_ACCEPTED = "case.accepted", _("受理办件")
    CASE_RETURNED = "case.returned", _("退回补正")
    CASE_RESUMED = "case.resumed", _("补正后恢复")
    CASE_REFUSED = "case.refused", _("不予受理")
    CASE_STARTED = "case.started", _("开始办理")
    CASE_ARRIVED = "case.arrived", _("到达现场")
    CASE_SENT_UP = "case.sent_up", _("报送上级")
    CASE_COMPLETED = "case.completed", _("办结")
    CASE_CLOSED = "case.closed", _("归档")
    CASE_EXTENSION_REQUESTED = "case.extension_requested", _("申请延期")
    CASE_EXTENSION_APPROVED = "case.extension_approved", _("批准延期")
    CASE_EXTENSION_REJECTED = "case.extension_rejected", _("驳回延期")
    CASE_QUARTER_HOUR_BREACHED = "case.quarter_hour_breached", _("一刻钟超时")
    CASE_OVERDUE = "case.overdue", _("超期督办")
    CASE_DEADLINE_RECOMPUTED = "case.deadline_recomputed", _("按节假日安排重算时限")
    CASE_RATED = "case.rated", _("评价办件")
    CASE_RATING_FOLLOWED_UP = "case.rating_followed_up", _("差评回访")
    CASE_RATING_APPEAL_UPHELD = "case.rating_appeal_upheld", _("评价申诉成立")
    HALL_CREATED = "hall.created", _("设立便民服务大厅")
    HALL_WINDOW_ADDED = "hall.window_added", _("增设窗口")
    HALL_DEVICE_KEY_ISSUED = "hall.device_key_issued", _("更换大厅设备密钥")
    TICKET_TAKEN = "ticket.taken", _("取号")
    TICKET_CALLED = "ticket.called", _("叫号")
    TICKET_RECALLED = "ticket.recalled", _("重呼")
    TICKET_SKIPPED = "ticket.skipped", _("过号")
    TICKET_TRANSFERRED = "ticket.transferred", _("转窗口")
    TICKET_FINISHED = "ticket.finished", _("办毕")
    RATING_CREATED = "rating.created", _("评价")
    RATING_APPEALED = "rating.appealed", _("评价申诉")
    RATING_DISCOUNTED = "rating.discounted", _("评价申诉成立,不计入")
    RATING_APPEAL_UPHELD = "rating.appeal_upheld", _("裁决申诉成立")
    RATING_APPEAL_REJECTED = "rating.appeal_rejected", _("裁决申诉不成立")
    RECTIFICATION_OPENED = "rectification.opened", _("差评整改立项")
    RECTIFICATION_VERIFIED = "rectification.verified", _("整改核实")
    RECTIFICATION_FIXED = "rectification.fixed", _("整改完成")
    RECTIFICATION_REPLIED = "rectification.replied", _("整改答复")
    RECTIFICATION_FOLLOWED_UP = "rectification.followed_up", _("整改回访")
    RECTIFICATION_OVERDUE = "rectification.overdue", _("整改超期")


def audit_verb(verb: CaseVerb) -> ServicesVerb:
    """The audit log's verb for a timeline entry."""
    return ServicesVerb(f"case.{verb.value}")
