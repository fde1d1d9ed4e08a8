"""Delivering the outbox: claim a batch, send each message, record the outcome.

Claims are leases. A worker marks a row ``sending`` with its own token and a lease end;
a row whose lease has run out (its worker died) is claimed again by the next worker.
On PostgreSQL the batch is picked with ``SELECT … FOR UPDATE SKIP LOCKED``; on SQLite,
which has one writer at a time, each row is taken with a conditional UPDATE. Either way
every later write is conditional on the claim token, so a worker that lost its claim
cannot overwrite another's result.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import uuid

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from shequ.notify.backends import (
    Backend,
    DeliveryError,
    PermanentDeliveryError,
    backend_for,
)
from shequ.notify.models import Message, MessageStatus

log = logging.getLogger("shequ.notify")


class LostClaim(Exception):
    """Another worker owns the row now; this worker's result is discarded."""


def due_q(now: dt.datetime) -> Q:
    return Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, lease_until__lt=now
    )


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped."""
    base = settings.SHEQU_NOTIFY_RETRY_BASE_SECONDS
    seconds = min(base * 2 ** max(attempts - 1, 0), settings.SHEQU_NOTIFY_RETRY_MAX_SECONDS)
    return dt.timedelta(seconds=seconds)


def claim(worker: str, limit: int, now: dt.datetime | None = None) -> list[tuple[int, str]]:
    """Claim up to ``limit`` due messages; returns (id, token) pairs this worker now owns."""
    now = now or timezone.now()
    lease_until = now + dt.timedelta(seconds=settings.SHEQU_NOTIFY_LEASE_SECONDS)
    claimed: list[tuple[int, str]] = []
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(
                Message.objects.select_for_update(skip_locked=True)
                .filter(due_q(now))
                .order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)[:limit]
            )
            for pk in ids:
                token = uuid.uuid4().hex
                Message.objects.filter(pk=pk).update(
                    status=MessageStatus.SENDING,
                    claim_token=token,
                    claimed_by=worker,
                    lease_until=lease_until,
                    attempts=F("attempts") + 1,
                )
                claimed.append((pk, token))
        return claimed
    candidates = list(
        Message.objects.filter(due_q(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "status", "claim_token")[:limit]
    )
    for pk, status, old_token in candidates:
        token = uuid.uuid4().hex
        # The row is taken only if nobody took it since we looked: same status, same token.
        won = (
            Message.objects.filter(pk=pk, status=status, claim_token=old_token)
            .filter(due_q(now))
            .update(
                status=MessageStatus.SENDING,
                claim_token=token,
                claimed_by=worker,
                lease_until=lease_until,
                attempts=F("attempts") + 1,
            )
        )
        if won:
            claimed.append((pk, token))
    return claimed


def _owned(pk: int, token: str) -> Q:
    return Q(pk=pk, status=MessageStatus.SENDING, claim_token=token)


def deliver_one(pk: int, token: str, worker: str, backend: Backend | None = None) -> str:
    """Send one claimed message; returns the status it ended in (or "lost")."""
    now = timezone.now()
    lease_until = now + dt.timedelta(seconds=settings.SHEQU_NOTIFY_LEASE_SECONDS)
    # Renew the lease before sending: the batch may have waited on slow sends before this one.
    if not Message.objects.filter(_owned(pk, token)).update(lease_until=lease_until):
        return "lost"
    message = Message.objects.get(pk=pk)
    backend = backend or backend_for(message.channel)
    try:
        ref = backend.send(message)
    except DeliveryError as exc:
        return _record_failure(message, token, exc)
    try:
        with transaction.atomic():
            updated = Message.objects.filter(_owned(pk, token)).update(
                status=MessageStatus.SENT,
                sent_at=timezone.now(),
                provider_ref=ref,
                lease_until=None,
                last_error="",
            )
            if not updated:
                raise LostClaim
            backend.record(message, ref, worker)
    except LostClaim:
        log.warning("message %s was claimed by another worker while sending", pk)
        return "lost"
    return MessageStatus.SENT


def _record_failure(message: Message, token: str, exc: DeliveryError) -> str:
    give_up = isinstance(exc, PermanentDeliveryError) or (
        message.attempts >= settings.SHEQU_NOTIFY_MAX_ATTEMPTS
    )
    status = MessageStatus.FAILED if give_up else MessageStatus.PENDING
    Message.objects.filter(_owned(message.pk, token)).update(
        status=status,
        last_error=str(exc)[:2000],
        next_attempt_at=timezone.now() + retry_delay(message.attempts),
        lease_until=None,
    )
    log.warning("message %s attempt %s failed: %s", message.pk, message.attempts, exc)
    return status


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def deliver_outbox() -> int:
    """The worker task: deliver one batch; returns how many messages were handled."""
    worker = worker_name()
    claimed = claim(worker, settings.SHEQU_NOTIFY_BATCH)
    for pk, token in claimed:
        try:
            deliver_one(pk, token, worker)
        except Exception:
            # Unexpected errors (a bug, a database hiccup) leave the claim to expire.
            log.exception("delivering message %s failed unexpectedly", pk)
    return len(claimed)
