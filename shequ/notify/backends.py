"""Delivery backends. ``send`` runs outside any transaction (it may wait on a network);
``record`` runs inside the transaction that marks the message sent."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from typing import Protocol

from django.conf import settings

from shequ.notify.models import Channel, Delivery, Message
from shequ.orgs.crypto import cipher

log = logging.getLogger("shequ.notify")


class DeliveryError(Exception):
    """Sending failed; the message is tried again later."""


class PermanentDeliveryError(DeliveryError):
    """Sending can never succeed (e.g. the gateway rejects the number); no retry."""


class Backend(Protocol):
    name: str

    def send(self, message: Message) -> str: ...

    def record(self, message: Message, ref: str, worker: str) -> None: ...


class LogBackend:
    """Writes each message to the log and to the Delivery table (exactly once per message)."""

    name = "log"

    def send(self, message: Message) -> str:
        delay = settings.SHEQU_NOTIFY_LOG_DELAY_MS
        if delay:
            time.sleep(delay / 1000)
        return f"log-{message.pk}"

    def record(self, message: Message, ref: str, worker: str) -> None:
        Delivery.objects.create(message=message, worker=worker)
        log.info("delivered %s %s to %s", message.channel, message.kind, message.masked_recipient)


class HttpSmsBackend:
    """POSTs JSON ``{"to", "text", "id"}`` to a generic SMS gateway with a bearer token.

    The message id also goes in an ``Idempotency-Key`` header: if a worker dies after the
    gateway accepted a message but before the outbox row was marked sent, the row is sent
    again after the lease, and a gateway that honours the key drops the repeat.
    """

    name = "http"

    def __init__(self, url: str, token: str, timeout: float) -> None:
        self.url = url
        self.token = token
        self.timeout = timeout

    def send(self, message: Message) -> str:
        data = json.dumps(
            {
                "to": cipher().decrypt(message.recipient_enc),
                "text": message.body,
                "id": f"shequ-{message.pk}",
            },
            ensure_ascii=False,
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is validated in settings
            self.url,
            data=data,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.token}",
                "Idempotency-Key": f"shequ-{message.pk}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(4096)
        except urllib.error.HTTPError as exc:
            detail = f"HTTP {exc.code} {exc.reason}"
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise PermanentDeliveryError(detail) from exc
            raise DeliveryError(detail) from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        try:
            answer = json.loads(raw or b"{}")
        except ValueError:
            answer = {}
        ref = answer.get("id") if isinstance(answer, dict) else None
        return str(ref or "")[:100]

    def record(self, message: Message, ref: str, worker: str) -> None:
        return None


def backend_for(channel: str) -> Backend:
    """Text messages go through the configured backend; staff notices stay in the database."""
    if channel == Channel.SMS and settings.SHEQU_NOTIFY_BACKEND == "http":
        return HttpSmsBackend(
            settings.SHEQU_SMS_GATEWAY_URL,
            settings.SHEQU_SMS_GATEWAY_TOKEN,
            settings.SHEQU_SMS_GATEWAY_TIMEOUT,
        )
    return LogBackend()
