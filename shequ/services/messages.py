"""Texts of the messages the services app sends. Placeholders are filled from the payload; texts
are rendered in Chinese whatever language the sender's browser uses (``notify.outbox``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Promise] = {
    "case.registered": _(
        "【%(unit)s】您办理的“%(item)s”已登记,办件编号 %(number)s,"
        "我们将于 %(reply_date)s 前答复您。"
    ),
    "case.accepted": _(
        "【%(unit)s】您办理的“%(item)s”已受理,办件编号 %(number)s,承诺 %(due_date)s 前办结。"
    ),
    "case.returned": _(
        "【%(unit)s】您办理的“%(item)s”(%(number)s)需补正材料:%(materials)s。"
        "请一次性补齐后再来,我们等您。"
    ),
    "case.refused": _(
        "【%(unit)s】您办理的“%(item)s”(%(number)s)不予受理:%(reason)s(依据:%(basis)s)。"
    ),
    "case.completed": _("【%(unit)s】您办理的“%(item)s”(%(number)s)已办结。"),
    "case.sent_up": _(
        "【%(unit)s】您办理的“%(item)s”(%(number)s)已报送%(to_unit)s办理,结果将及时告知您。"
    ),
    "case.extended": _(
        "【%(unit)s】您办理的“%(item)s”(%(number)s)经批准延期,将于 %(due_date)s 前办结。"
    ),
    "case.extension_requested": _("办件 %(number)s(%(item)s)申请延期 %(days)s 个工作日,请审批。"),
    "case.quarter_hour_breach": _(
        "办件 %(number)s(%(item)s)未在 %(minutes)s 分钟内办结或答复,请督办。"
    ),
    "case.due_soon": _("办件 %(number)s(%(item)s)将于 %(due_date)s 到期。"),
    "case.overdue": _("办件 %(number)s(%(item)s)已于 %(due_date)s 超期,请督办。"),
    "case.rate_invite": _("【%(unit)s】请对您办理的“%(item)s”(%(number)s)进行评价:%(link)s"),
    "rating.rectification_opened": _(
        "办件 %(number)s(%(item)s)收到“%(grade)s”评价,请于 %(due_date)s 前完成整改和回访。"
    ),
    "rating.rectification_overdue": _(
        "办件 %(number)s(%(item)s)的差评整改已于 %(due_date)s 超期,请督办。"
    ),
}
