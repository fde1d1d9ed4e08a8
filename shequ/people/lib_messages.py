"""The Django-free validators in ``shequ.lib`` (ID numbers, phones) speak Chinese; the
registry translates their messages when it shows them (``gettext(MSG_…)``). They are
listed here, as literals, only so ``makemessages`` keeps them in this app's catalogue —
it cannot see into ``shequ/lib``, and would otherwise mark them obsolete. A test checks
that this list and the validators agree."""

from __future__ import annotations

from django.utils.translation import gettext_noop as _

LIB_MESSAGES = [
    _("请填写身份证号。"),
    _("身份证号应为18位(旧15位号码也可以),当前为%(length)d位。"),
    _("身份证号前17位只能是数字,最后一位是数字或X。"),
    _("15位旧身份证号只能由数字组成。"),
    _("身份证号校验位不正确,请逐位核对(最后一位应为 %(expected)s)。"),
    _("身份证号中的出生日期 %(value)s 不存在。"),
    _("身份证号中的出生日期 %(value)s 不合理(早于1850年或晚于今天)。"),
    _("手机号应为11位数字,以1开头(如 13812345678)。"),
]
