"""Texts of the messages mediation sends. Placeholders are filled from the payload; texts
are rendered in Chinese whatever language the sender's browser uses (``notify.outbox``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

TEXTS: dict[str, Promise] = {
    "mediation.accepted": _(
        "【%(committee)s】您反映的纠纷(案号 %(number)s)已受理,调解员%(mediator)s将与您联系。"
        "人民调解不收费。"
    ),
    "mediation.confirmation_due": _(
        "【%(committee)s】案号 %(number)s 的调解协议可由双方当事人在 %(due)s 前共同向人民法院"
        "申请司法确认,确认后具有强制执行力。"
    ),
    "mediation.staff_confirmation_due": _(
        "纠纷 %(number)s 的调解协议申请司法确认截止 %(due)s,尚未申请,请提醒当事人。"
    ),
    "mediation.due_soon": _("纠纷 %(number)s(%(kind)s)调解期限 %(due)s 将到,请抓紧调解。"),
    "mediation.overdue": _("纠纷 %(number)s(%(kind)s)已超过调解期限 %(due)s,请督办。"),
    "mediation.transferred": _(
        "纠纷 %(number)s 已由%(from_body)s移交%(to_body)s,回执号 %(receipt)s,请接收。"
    ),
}
