"""Texts of the messages the portal sends. Placeholders are filled from the payload;
texts are rendered in Chinese whatever language the sender's browser uses."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Promise] = {
    "portal.code": _(
        "【社区服务】您的登录验证码是 %(code)s,%(minutes)s 分钟内有效。请勿告诉他人。"
    ),
    "portal.submitted": _(
        "【%(unit)s】您的网上申请“%(item)s”已提交,编号 %(number)s。受理后我们将告知答复时间。"
    ),
    "portal.new_request": _("新的网上申请:%(item)s,编号 %(number)s,请及时受理。"),
    "portal.callback": _("居民申请全程代办回电:%(name)s(%(for_whom)s),电话 %(phone)s。"),
    "portal.callback_done": _("【%(unit)s】代办员已就您的全程代办申请回电:%(note)s"),
    "portal.mediation": _("居民申请调解回电:%(name)s(%(for_whom)s),电话 %(phone)s。"),
    "portal.mediation_done": _("【%(unit)s】调解员已就您的调解申请回电:%(note)s"),
    "portal.appeal": _("居民不认可办件 %(number)s 的整改答复,申请复核:%(reason)s"),
}
