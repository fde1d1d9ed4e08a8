"""/api/v1/notify/: the caller's own inbox (staff notices sent to them), as on /inbox/.
Nobody reads another person's inbox, superusers included."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from shequ.notify import access
from shequ.notify.models import Message
from shequ.orgs.apiauth import PageIn, answers, paginate

router = Router()


class MessageOut(Schema):
    id: int
    kind: str
    body: str
    unit_id: int
    unit_name: str
    created_at: dt.datetime
    sent_at: dt.datetime | None


class MessagePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[MessageOut]


class InboxParams(PageIn):
    kind: str = ""


def _message(m: Message) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": m.kind,
        "body": m.body,
        "unit_id": m.unit_id,
        "unit_name": m.unit.name,
        "created_at": m.created_at,
        "sent_at": m.sent_at,
    }


@router.get("/inbox", response=answers({200: MessagePage}), summary="我的消息")
def inbox(request: HttpRequest, params: Query[InboxParams]) -> dict[str, Any]:
    found = access.inbox_for_user(request.user).select_related("unit")
    if params.kind:
        found = found.filter(kind=params.kind)
    return paginate(found.order_by("-sent_at", "-pk"), params, _message)


@router.get("/inbox/{message_id}", response=answers({200: MessageOut}), summary="我的一条消息")
def inbox_message(request: HttpRequest, message_id: int) -> dict[str, Any]:
    return _message(access.get_inbox_message_for_user(request.user, message_id))
