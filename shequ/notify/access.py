"""Who may see the outbox: officers and community leads, for the units below their posts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from shequ.notify.models import Channel, Message, MessageStatus
from shequ.orgs import access
from shequ.orgs.access import AnyUser

# The roles that watch delivery problems (the same as those who read the event log).
OUTBOX_ROLES = access.AUDIT_ROLES


def messages_for_user(user: AnyUser) -> QuerySet[Message]:
    if not user.is_authenticated:
        return Message.objects.none()
    if user.is_superuser:
        return Message.objects.all()
    paths = sorted(
        {post.unit.path for post in access.active_posts(user) if post.role in OUTBOX_ROLES}
    )
    if not paths:
        return Message.objects.none()
    q = Q()
    for path in paths:
        q |= Q(unit__path__startswith=path)
    return Message.objects.filter(q)


def get_message_for_user(user: AnyUser, message_id: Any) -> Message:
    try:
        return messages_for_user(user).select_related("unit").get(pk=access.parse_pk(message_id))
    except (Message.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def inbox_for_user(user: AnyUser) -> QuerySet[Message]:
    """Staff notices addressed to the user (quarter-hour breaches, due dates)."""
    if not user.is_authenticated:
        return Message.objects.none()
    return Message.objects.filter(
        channel=Channel.STAFF, recipient=user.get_username(), status=MessageStatus.SENT
    )


def get_inbox_message_for_user(user: AnyUser, message_id: Any) -> Message:
    """One message of the user's own inbox; anyone else's is a 404."""
    try:
        return inbox_for_user(user).select_related("unit").get(pk=access.parse_pk(message_id))
    except (Message.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
