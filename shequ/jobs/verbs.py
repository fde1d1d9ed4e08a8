"""What the audit log records of the jobs app (``record_event`` verbs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobsVerb(models.TextChoices):
    VACANCIES_REPORTED = "jobs.vacancies_reported", _("报告空岗")
    VACANCY_CLOSED = "jobs.vacancy_closed", _("关闭岗位")
    UNIT_REMINDED = "jobs.unit_reminded", _("提醒单位报告空岗")
    SEEKER_REGISTERED = "jobs.seeker_registered", _("登记求职人员")
    SEEKER_UPDATED = "jobs.seeker_updated", _("修改求职人员信息")
    SEEKER_CONTACTED = "jobs.seeker_contacted", _("联系求职人员")
    SEEKER_ENDED = "jobs.seeker_ended", _("结束求职登记")
    ZERO_HOUSEHOLD_IDENTIFIED = "jobs.zero_household_identified", _("认定零就业家庭")
    ZERO_HOUSEHOLD_CLEARED = "jobs.zero_household_cleared", _("零就业家庭清零")
    ZERO_HOUSEHOLD_EXITED = "jobs.zero_household_exited", _("零就业家庭退出援助")
    REFERRAL_MADE = "jobs.referral_made", _("推荐求职人员")
    REFERRAL_CONCLUDED = "jobs.referral_concluded", _("确认推荐结果")
    PLACEMENT_RECORDED = "jobs.placement_recorded", _("登记就业")
    TRAINING_CREATED = "jobs.training_created", _("开设培训班")
    TRAINING_ENROLLED = "jobs.training_enrolled", _("报名培训")
    TRAINING_ATTENDANCE = "jobs.training_attendance", _("登记培训考勤")
    TRAINING_COMPLETED = "jobs.training_completed", _("培训结业")
    TRAINING_FOLLOWED_UP = "jobs.training_followed_up", _("培训后就业回访")
    ACTIVITY_RECORDED = "jobs.activity_recorded", _("登记流动人口服务活动")
    SCHOOL_HELP_OPENED = "jobs.school_help_opened", _("登记随迁子女入学协助")
