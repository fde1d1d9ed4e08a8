"""What the audit log records of mediation (``record_event`` verbs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediationVerb(models.TextChoices):
    COMMITTEE_CREATED = "mediation.committee_created", _("设立调解委员会")
    MEMBER_ADDED = "mediation.member_added", _("增补调解委员会委员")
    MEMBER_ENDED = "mediation.member_ended", _("调解委员会委员离任")
    ADVISOR_ASSIGNED = "mediation.advisor_assigned", _("聘任法律顾问")
    ADVISOR_ENDED = "mediation.advisor_ended", _("解聘法律顾问")
    ADVISOR_ACTIVITY = "mediation.advisor_activity", _("登记法律顾问服务")
    THIRD_PARTY_REGISTERED = "mediation.third_party_registered", _("登记第三方调解组织")
    DISPUTE_REGISTERED = "mediation.dispute_registered", _("登记纠纷")
    DISPUTE_ACCEPTED = "mediation.dispute_accepted", _("受理纠纷")
    DISPUTE_REFUSED = "mediation.dispute_refused", _("不予受理纠纷")
    DISPUTE_CASE_LINKED = "mediation.case_linked", _("关联求助办件")
    SESSION_RECORDED = "mediation.session_recorded", _("记录调解")
    DISPUTE_EXTENDED = "mediation.dispute_extended", _("延长调解期限")
    DISPUTE_OVERDUE = "mediation.dispute_overdue", _("调解超期")
    AGREEMENT_RECORDED = "mediation.agreement_recorded", _("达成调解协议")
    NO_AGREEMENT = "mediation.no_agreement", _("调解不成,终结调解")
    CONFIRMATION_APPLIED = "mediation.confirmation_applied", _("申请司法确认")
    CONFIRMATION_DECIDED = "mediation.confirmation_decided", _("法院司法确认裁定")
    CONFIRMATION_REMINDED = "mediation.confirmation_reminded", _("提醒申请司法确认")
    FOLLOW_UP = "mediation.follow_up", _("回访")
    DISPUTE_TRANSFERRED = "mediation.dispute_transferred", _("移交纠纷")
    TRANSFER_RECEIVED = "mediation.transfer_received", _("接收移交")
    DISPUTE_RETURNED = "mediation.dispute_returned", _("移交单位回转结果")
    RESULT_RETURNED = "mediation.result_returned", _("向移送单位反馈结果")
    DISPUTE_CLOSED = "mediation.dispute_closed", _("结案")
    DISPUTE_ARCHIVED = "mediation.dispute_archived", _("归档")
    PARTY_REVEALED = "mediation.party_revealed", _("查看当事人完整号码")
    EXPORTED = "mediation.exported", _("导出调解统计")
