"""Texts of the messages agency sends. Placeholders are filled from the payload; texts
are rendered in Chinese whatever language the sender's browser uses (``notify.outbox``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Promise] = {
    "agency.authorized": _(
        "【%(unit)s】%(name)s已委托%(station)s全程代办,代办员%(agent)s,有效期至 %(until)s。"
    ),
    "agency.revoked": _("【%(unit)s】%(name)s对%(station)s的全程代办委托已撤销。"),
    "agency.filed": _("【%(unit)s】代办员%(agent)s已为%(name)s登记代办:%(items)s。"),
    "agency.handover": _(
        "【%(unit)s】%(name)s的代办材料已交接:%(step)s,%(from_party)s交%(to_party)s,"
        "回执 %(receipt)s。"
    ),
    "agency.item_completed": _("【%(unit)s】%(name)s的代办事项“%(item)s”已办结。"),
    "agency.item_refused": _(
        "【%(unit)s】%(name)s的代办事项“%(item)s”不予受理:%(reason)s。代办员将与您联系。"
    ),
    "agency.completed": _("【%(unit)s】%(name)s的全部代办事项已办结。"),
}
