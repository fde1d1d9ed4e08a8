"""Writing to the outbox. Actions call ``enqueue`` inside their own transaction, so a
message exists if and only if the change it reports was committed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shequ.lib.masking import mask_phone
from shequ.lib.phone import normalise_mobile
from shequ.notify.models import Channel, Message
from shequ.orgs.crypto import cipher
from shequ.orgs.models import OrgUnit

# The one text of notify's own: a test message an admin sends to check delivery. Every
# other text belongs to the app that sends it (``<app>/messages.py``).
TEST_TEXT = _("【社区服务】测试消息 %(n)s。")


def render(text: str | Promise, payload: dict[str, Any]) -> str:
    """The text in Chinese, whatever language the sender's browser uses: messages go to
    residents and staff, not back to the page."""
    with translation.override("zh-hans"):
        try:
            return str(text) % payload
        except KeyError as exc:
            raise ValueError(f"the message needs payload key {exc.args[0]!r}") from None


def enqueue(
    *,
    unit: OrgUnit,
    channel: str,
    recipient: str,
    kind: str,
    text: str | Promise,
    payload: dict[str, Any],
    dedupe_key: str = "",
    send_after: dt.datetime | None = None,
    link: str = "",
) -> Message:
    """Add a message to the outbox; with a ``dedupe_key`` already used, return that message.

    ``text`` (usually a lazy translation with ``%(name)s`` placeholders) is filled from
    ``payload``; ``kind`` names the message for filters and tests; ``link`` is the path of
    what the message is about (a staff notice links to it in the inbox). Must be called
    inside the caller's transaction (``transaction.atomic``).
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
    body = render(text, payload)
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
        "link": link[:300] if link.startswith("/") else "",
        "next_attempt_at": send_after or timezone.now(),
    }
    if not dedupe_key:
        return Message.objects.create(**fields)
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin must not spoil the caller
            return Message.objects.create(**fields)
    except IntegrityError:
        return Message.objects.get(dedupe_key=dedupe_key)
