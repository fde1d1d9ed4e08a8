"""What the audit log records of self-governance (``record_event`` verbs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GovernanceVerb(models.TextChoices):
    RULE_CHANGED = "governance.rule_changed", _("修改法定门槛设置")
    REQUEST_FILED = "governance.request_filed", _("登记提议召集")
    MEETING_CONVENED = "governance.meeting_convened", _("召集会议")
    MEETING_OPENED = "governance.meeting_opened", _("开始签到")
    ATTENDEE_SIGNED = "governance.attendee_signed", _("签到")
    ITEM_DISCUSSED = "governance.item_discussed", _("记录议题讨论")
    RESOLUTION_DECIDED = "governance.resolution_decided", _("表决决议")
    MEETING_CLOSED = "governance.meeting_closed", _("会议结束")
    GROUP_SAVED = "governance.group_saved", _("登记小组")
    REPRESENTATIVE_ADDED = "governance.representative_added", _("登记代表")
    COMMITTEE_ELECTED = "governance.committee_elected", _("登记委员会届次")
    RELATION_DECLARED = "governance.relation_declared", _("申报近亲属关系")
    CHARTER_DRAFTED = "governance.charter_drafted", _("起草章程公约")
    CHARTER_ADVANCED = "governance.charter_advanced", _("章程公约进入下一步")
    CHARTER_COMMENTED = "governance.charter_commented", _("录入征求意见")
    RECALL_PROPOSED = "governance.recall_proposed", _("提议罢免")
    RECALL_VOTED = "governance.recall_voted", _("罢免投票")
    EVALUATION_OPENED = "governance.evaluation_opened", _("开始民主评议")
    EVALUATION_VOTED = "governance.evaluation_voted", _("评议投票")
    EVALUATION_CLOSED = "governance.evaluation_closed", _("民主评议计票")
    DISMISSAL_CONFIRMED = "governance.dismissal_confirmed", _("确认连续两次不称职终止职务")
    MEMBER_ENDED = "governance.member_ended", _("委员会成员离任")
    TERM_REMINDED = "governance.term_reminded", _("提醒任期将届满")
