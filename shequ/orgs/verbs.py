"""What the audit log (``orgs.Event``) records of the kernel's own changes.

Each app declares its verbs in its own ``verbs.py`` as ``TextChoices``; ``record_event``
accepts nothing else, so a verb is always one a reader can find with grep.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgVerb(models.TextChoices):
    UNIT_CREATED = "unit.created", _("设立单位")
    UNIT_RETIRED = "unit.retired", _("停用单位")
    UNIT_MOVED = "unit.moved", _("调整隶属")
    STAFF_CREATED = "staff.created", _("新建工作人员")
    POST_ASSIGNED = "post.assigned", _("任职")
    POST_ENDED = "post.ended", _("离任")
    API_TOKEN_CREATED = "api_token.created", _("新建接口令牌")
    API_TOKEN_REVOKED = "api_token.revoked", _("吊销接口令牌")
    ADMIN_ADDED = "admin.added", _("后台新增")
    ADMIN_CHANGED = "admin.changed", _("后台修改")
    ADMIN_DELETED = "admin.deleted", _("后台删除")
    CALENDAR_IMPORTED = "calendar.imported", _("导入节假日安排")
