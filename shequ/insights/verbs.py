from django.db import models
from django.utils.translation import gettext_lazy as _


class InsightsVerb(models.TextChoices):
    SCHEME_CREATED = "insights.scheme_created", _("创建考核方案")
    SHEET_COMPUTED = "insights.sheet_computed", _("计算考核评分")
    VALUE_ENTERED = "insights.value_entered", _("录入考核数值")
    SHEET_REVIEWED = "insights.sheet_reviewed", _("审核考核评分")
    OBJECTION_RAISED = "insights.objection_raised", _("提出考核异议")
    OBJECTION_DECIDED = "insights.objection_decided", _("处理考核异议")
    SHEET_APPROVED = "insights.sheet_approved", _("批准并冻结考核评分")
