"""What the audit log records of community building (``record_event`` verbs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildingVerb(models.TextChoices):
    ENTRY_RECORDED = "building.entry_recorded", _("登记资金流水")
    ENTRY_REVERSED = "building.entry_reversed", _("冲销资金流水")
    PROJECT_CREATED = "building.project_created", _("登记项目")
    PROJECT_APPLIED = "building.project_applied", _("一事一议项目申请")
    PROJECT_REVIEWED = "building.project_reviewed", _("乡镇审核项目")
    PROJECT_APPROVED = "building.project_approved", _("县市批准项目")
    PROJECT_REFUSED = "building.project_refused", _("项目未获批准")
    PROJECT_PROGRESS = "building.project_progress", _("登记项目进度")
    PROJECT_COMPLETED = "building.project_completed", _("项目竣工")
    SUBSIDY_PAID = "building.subsidy_paid", _("拨付项目补助")
    STANDING_RECORDED = "building.standing_recorded", _("登记社区认定")
    EVIDENCE_UPLOADED = "building.evidence_uploaded", _("上传设施佐证")
    FACILITY_CHECKED = "building.facility_checked", _("核查设施")
    AREA_CHECKED = "building.area_checked", _("核查服务中心面积")
    GROUP_CREATED = "building.group_created", _("成立领导小组")
    GROUP_MEMBER_ADDED = "building.group_member_added", _("增加小组成员")
    GROUP_MEMBER_ENDED = "building.group_member_ended", _("小组成员离任")
    DOCUMENT_FILED = "building.document_filed", _("登记政策文件")
    PLEDGE_MADE = "building.pledge_made", _("公布十件实事")
    PLEDGE_PROGRESS = "building.pledge_progress", _("登记实事进展")
    PLEDGE_COMPLETED = "building.pledge_completed", _("实事办结")
