"""What the audit log records of the registry (``record_event`` verbs)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeopleVerb(models.TextChoices):
    RESIDENT_REGISTERED = "resident.registered", _("登记居民")
    RESIDENT_UPDATED = "resident.updated", _("修改居民信息")
    RESIDENT_STATUS_CHANGED = "resident.status_changed", _("变更居民状态")
    RESIDENT_FLOATING_SET = "resident.floating_set", _("登记流动人口信息")
    RESIDENT_CATEGORY_GRANTED = "resident.category_granted", _("认定帮扶类别")
    RESIDENT_CATEGORY_ENDED = "resident.category_ended", _("终止帮扶类别")
    RESIDENT_REVEALED = "resident.revealed", _("查看完整号码")
    RESIDENT_IMPORTED = "resident.imported", _("批量导入居民")
    RESIDENT_EXPORTED = "resident.exported", _("导出居民")
    RESIDENT_LOOKED_UP = "resident.looked_up", _("按身份证号或手机号查找居民")
    HOUSEHOLD_CREATED = "household.created", _("建立户")
    HOUSEHOLD_MEMBER_ADDED = "household.member_added", _("增加户成员")
    HOUSEHOLD_MEMBER_REMOVED = "household.member_removed", _("移出户成员")
    HOUSEHOLD_HEAD_CHANGED = "household.head_changed", _("变更户主")
    CATEGORY_CREATED = "category.created", _("新增帮扶类别")
    RESIDENT_UNIT_REGISTERED = "resident_unit.registered", _("登记驻区单位")
    RESIDENT_UNIT_UPDATED = "resident_unit.updated", _("修改驻区单位信息")
    RESIDENT_UNIT_STATUS_CHANGED = "resident_unit.status_changed", _("变更驻区单位状态")
    RESIDENT_UNIT_REVEALED = "resident_unit.revealed", _("查看驻区单位联系人完整手机号")
    RESIDENT_UNIT_LOOKED_UP = "resident_unit.looked_up", _("按联系人手机号查找驻区单位")
