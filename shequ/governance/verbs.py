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

    # affairs disclosure (居务公开)
    DISCLOSURE_SUBMITTED = "governance.disclosure_submitted", _("提交公开内容待审核")
    DISCLOSURE_REVIEWED = "governance.disclosure_reviewed", _("监督委员会审核公开内容")
    DISCLOSURE_PUBLISHED = "governance.disclosure_published", _("公布公开内容")
    DISCLOSURE_PHOTO_ADDED = "governance.disclosure_photo_added", _("上传公开栏张贴照片")
    DISCLOSURE_QUESTIONED = "governance.disclosure_questioned", _("居民质询公开内容")
    DISCLOSURE_ANSWERED = "governance.disclosure_answered", _("答复质询")
    DISCLOSURE_COMPLAINT_FILED = "governance.disclosure_complaint_filed", _("登记未公开举报")
    DISCLOSURE_COMPLAINT_CLOSED = "governance.disclosure_complaint_closed", _("办结未公开举报")
    DISCLOSURE_REMINDED = "governance.disclosure_reminded", _("提醒公开截止日")
    DISCLOSURE_ESCALATED = "governance.disclosure_escalated", _("告知乡镇逾期未公开")
    DISCLOSURE_SETTING_SAVED = "governance.disclosure_setting_saved", _("修改居务公开设置")


class DeliberationVerb(models.TextChoices):
    """Deliberation (协商议事): the steps of a topic, its results and moderation."""

    TOPIC_PROPOSED = "governance.topic_proposed", _("提出协商议题")
    TOPIC_ACCEPTED = "governance.topic_accepted", _("受理协商议题")
    TOPIC_DECLINED = "governance.topic_declined", _("不予受理协商议题")
    TOPIC_NOTICED = "governance.topic_noticed", _("发布协商预告")
    CONSULTATION_RECORDED = "governance.consultation_recorded", _("登记协商记录")
    OUTCOME_DECIDED = "governance.outcome_decided", _("形成协商结果")
    RESOLUTION_LINKED = "governance.resolution_linked", _("关联会议决议")
    IMPLEMENTATION_STARTED = "governance.implementation_started", _("开始组织实施")
    RESULT_ADDED = "governance.result_added", _("登记落实成果")
    MILESTONE_RECORDED = "governance.milestone_recorded", _("登记进展节点")
    FEEDBACK_GIVEN = "governance.feedback_given", _("向居民反馈")
    TOPIC_SUPERVISED = "governance.topic_supervised", _("监督评议")
    TOPIC_SUPPORTED = "governance.topic_supported", _("支持协商议题")
    COMMENT_POSTED = "governance.comment_posted", _("发表议题评论")
    COMMENT_HIDDEN = "governance.comment_hidden", _("隐藏议题评论")
