"""State changes of outbox messages made by people (the worker's own are in delivery.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.notify.access import OUTBOX_ROLES
from shequ.notify.models import Message, MessageStatus
from shequ.notify.verbs import NotifyVerb
from shequ.orgs import access
from shequ.orgs.events import record_event, snapshot
from shequ.orgs.models import User

_FIELDS = ["status", "attempts", "next_attempt_at", "last_error"]


@transaction.atomic
def do_retry_message(actor: User, message: Message) -> Message:
    """Send a failed message again, with a fresh set of attempts."""
    if not access.may(actor, OUTBOX_ROLES, message.unit):
        raise PermissionDenied(_("您的岗位无权进行此操作。"))
    before = snapshot(message, _FIELDS)
    updated = Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("只有发送失败的消息可以重发。"))
    message.refresh_from_db()
    record_event(
        actor,
        NotifyVerb.MESSAGE_RETRIED,
        message,
        unit=message.unit,
        before=before,
        after=snapshot(message, _FIELDS),
    )
    return message
