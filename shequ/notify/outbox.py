"""Writing to the outbox. Actions call ``enqueue`` inside their own transaction, so a
message exists if and only if the change it reports was committed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from shequ.lib.masking import mask_phone
from shequ.lib.phone import normalise_mobile
from shequ.notify.models import Channel, Message
from shequ.orgs.models import OrgUnit
from shequ.people.crypto import cipher

# Message texts by kind. Placeholders are filled from the payload; texts to residents are
# rendered in Chinese whatever language the clerk's browser uses.
TEXTS: dict[str, Any] = {
    "notify.test": _("【社区服务】测试消息 %(n)s。"),
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
    "agency.completed": _("【%(unit)s】%(name)s的全部代办事项已办结。"),
}


def render(kind: str, payload: dict[str, Any]) -> str:
    try:
        text = TEXTS[kind]
    except KeyError:
        raise ValueError(f"unknown message kind {kind!r}") from None
    with translation.override("zh-hans"):
        try:
            return str(text) % payload
        except KeyError as exc:
            raise ValueError(f"message {kind!r} needs payload key {exc.args[0]!r}") from None


def enqueue(
    *,
    unit: OrgUnit,
    channel: str,
    recipient: str,
    kind: str,
    payload: dict[str, Any],
    dedupe_key: str = "",
    send_after: dt.datetime | None = None,
) -> Message:
    """Add a message to the outbox; with a ``dedupe_key`` already used, return that message.

    Must be called inside the caller's transaction (``transaction.atomic``).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("enqueue() must run inside the transaction of the change")
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    recipient = recipient.strip()
    if not recipient:
        raise ValueError("a message needs a recipient")
    recipient_enc = ""
    if channel == Channel.SMS:
        recipient = normalise_mobile(recipient)  # ValueError if it is not a mobile number
        recipient_enc = cipher().encrypt(recipient)
        recipient = mask_phone(recipient)
    body = render(kind, payload)
    if dedupe_key:
        existing = Message.objects.filter(dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    fields: dict[str, Any] = {
        "unit": unit,
        "channel": channel,
        "recipient": recipient,
        "recipient_enc": recipient_enc,
        "kind": kind,
        "payload": payload,
        "body": body,
        "dedupe_key": dedupe_key,
        "next_attempt_at": send_after or timezone.now(),
    }
    if not dedupe_key:
        return Message.objects.create(**fields)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin must not spoil the caller
            return Message.objects.create(**fields)
    except IntegrityError:
        return Message.objects.get(dedupe_key=dedupe_key)
