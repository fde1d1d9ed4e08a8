"""JSON API of affairs disclosure, mounted at /api/v1/governance/disclosure/: the
catalogue, a community's due calendar at a date, disclosures with their review and
publication, questions and answers. The same access helpers and actions as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from shequ.governance import access, disclosure_actions
from shequ.governance import disclosure_calendar as cal
from shequ.governance.models import (
    CommitteeMember,
    Disclosure,
    DisclosureDue,
    DisclosureItem,
    DisclosureQuestion,
    QuestionChannel,
)
from shequ.orgs.access import acting_user
from shequ.orgs.apiauth import IdempotencyKey, PageIn, answers, client_key, paginate

router = Router()
PK = Field(..., ge=1, le=2**63 - 1)


class DisclosureItemOut(Schema):
    id: int
    unit_id: int | None
    applies_to: str
    category: str
    code: str
    title: str
    cadence: str
    cadence_frequent: str
    due_day: int
    due_in_period: bool
    event_days: int
    roll_to_workday: bool
    trigger: str
    article: str
    confirmed: bool
    note: str


class DisclosureDueOut(Schema):
    id: int
    unit_id: int
    item_id: int
    item: str
    key: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    resolution_id: int | None
    state: str
    published_on: dt.date | None


class DisclosureOut(Schema):
    id: int
    unit_id: int
    item_id: int
    due_id: int | None
    title: str
    body: str
    table: list[list[str]]
    status: str
    reviewer_id: int | None
    reviewed_at: dt.datetime | None
    review_note: str
    published_at: dt.datetime | None
    url: str


class DisclosureQuestionOut(Schema):
    id: int
    unit_id: int
    disclosure_id: int
    asker: str
    channel: str
    text: str
    asked_at: dt.datetime
    answer_due_on: dt.date
    answer: str
    answered_at: dt.datetime | None
    overdue: bool


class DisclosureItemPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DisclosureItemOut]


class DisclosureDuePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DisclosureDueOut]


class DisclosurePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DisclosureOut]


class DisclosureQuestionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[DisclosureQuestionOut]


class CatalogueParams(PageIn):
    unit: int | None = Field(None, ge=1, le=2**63 - 1)


class CalendarParams(PageIn):
    at: dt.date | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    state: str | None = Field(None, pattern="^(on_time|late|overdue|open)$")


class DisclosureListParams(PageIn):
    unit: int | None = Field(None, ge=1, le=2**63 - 1)
    status: str | None = Field(None, max_length=10)


class QuestionParams(PageIn):
    unit: int | None = Field(None, ge=1, le=2**63 - 1)
    overdue: bool = False


class DisclosureIn(Schema):
    unit_id: int = PK
    item_id: int = PK
    due_id: int | None = Field(None, ge=1, le=2**63 - 1)
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=20000)
    table: list[list[str]] = Field([], max_length=200)
    client_token: str | None = Field(None, max_length=64)


class ReviewIn(Schema):
    reviewer_id: int = PK
    approve: bool
    note: str = Field("", max_length=500)


class DisclosureQuestionIn(Schema):
    asker: str = Field(..., max_length=50)
    text: str = Field(..., max_length=5000)
    client_token: str | None = Field(None, max_length=64)


class AnswerIn(Schema):
    answer: str = Field(..., max_length=5000)


def _error(error: ValidationError) -> Status[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        general = " ".join(error.message_dict.get("__all__", []))
        return Status(422, {"detail": general or _("输入有误。"), "errors": error.message_dict})
    return Status(422, {"detail": " ".join(error.messages), "errors": {}})


def _forbidden(error: PermissionDenied) -> Status[dict[str, Any]]:
    return Status(403, {"detail": str(error) or _("无权操作。"), "errors": {}})


def _disclosure(d: Disclosure) -> dict[str, Any]:
    return {
        "id": d.pk,
        "unit_id": d.unit_id,
        "item_id": d.item_id,
        "due_id": d.due_id,
        "title": d.title,
        "body": d.body,
        "table": d.table,
        "status": d.status,
        "reviewer_id": d.reviewer_id,
        "reviewed_at": d.reviewed_at,
        "review_note": d.review_note,
        "published_at": d.published_at,
        "url": d.get_absolute_url(),
    }


def _question(q: DisclosureQuestion, today: dt.date) -> dict[str, Any]:
    return {
        "id": q.pk,
        "unit_id": q.unit_id,
        "disclosure_id": q.disclosure_id,
        "asker": q.asker,
        "channel": q.channel,
        "text": q.text,
        "asked_at": q.asked_at,
        "answer_due_on": q.answer_due_on,
        "answer": q.answer,
        "answered_at": q.answered_at,
        "overdue": q.answered_at is None and q.answer_due_on < today,
    }


@router.get(
    "/catalogue",
    response=answers({200: DisclosureItemPage}),
    summary="公开目录(标准目录与社区自选事项)",
    operation_id="governance_disclosure_catalogue",
)
def catalogue(request: HttpRequest, params: Query[CatalogueParams]) -> dict[str, Any]:
    """The standard items, or a community's catalogue (its type's items and its own)."""
    if params.unit:
        unit = access.get_community_for_user(request.user, params.unit)
        rows = DisclosureItem.objects.filter(cal.catalogue_q(unit))
    else:
        rows = DisclosureItem.objects.filter(unit__isnull=True, active=True)
    return paginate(rows.order_by("applies_to", "category", "order", "pk"), params, lambda i: i)


@router.get(
    "/units/{unit_id}/calendar",
    response=answers({200: DisclosureDuePage}),
    summary="社区应公开日历及各期状态(按查看日期推算)",
    operation_id="governance_disclosure_calendar",
)
def calendar(request: HttpRequest, unit_id: int, params: Query[CalendarParams]) -> dict[str, Any]:
    """Ordered by due day, then id; ``state`` as things stood on ``at`` (today)."""
    user = acting_user(request)
    unit = access.get_community_for_user(user, unit_id)
    at = params.at or timezone.localdate()
    rows = access.disclosure_dues_for_user(user).filter(unit=unit)
    if params.year:
        rows = rows.filter(due_on__year=params.year)
    annotated = cal.dues_at(rows, at)
    if params.state:
        annotated = annotated.filter(**{"state": params.state})

    def out(d: DisclosureDue) -> dict[str, Any]:
        published = d.first_published  # type: ignore[attr-defined]
        return {
            "id": d.pk,
            "unit_id": d.unit_id,
            "item_id": d.item_id,
            "item": d.item.title,
            "key": d.key,
            "period_start": d.period_start,
            "period_end": d.period_end,
            "due_on": d.due_on,
            "resolution_id": d.resolution_id,
            "state": d.state,  # type: ignore[attr-defined]
            "published_on": published if published and published <= at else None,
        }

    return paginate(annotated.order_by("due_on", "pk"), params, out)


@router.get(
    "/disclosures",
    response=answers({200: DisclosurePage}),
    summary="公开",
    operation_id="governance_disclosure_list",
)
def list_disclosures(request: HttpRequest, params: Query[DisclosureListParams]) -> dict[str, Any]:
    """Newest first (by submission, then id)."""
    rows = access.disclosures_for_user(request.user)
    if params.unit:
        rows = rows.filter(unit=access.get_community_for_user(request.user, params.unit))
    if params.status:
        rows = rows.filter(status=params.status)
    return paginate(rows.order_by("-created_at", "-pk"), params, _disclosure)


@router.get(
    "/disclosures/{disclosure_id}",
    response=answers({200: DisclosureOut}),
    summary="公开详情",
    operation_id="governance_disclosure_get",
)
def get_disclosure(request: HttpRequest, disclosure_id: int) -> dict[str, Any]:
    return _disclosure(access.get_disclosure_for_user(request.user, disclosure_id))


@router.post(
    "/disclosures",
    response=answers({201: DisclosureOut}),
    summary="提交公开内容(待监督委员会审核)",
    operation_id="governance_disclosure_submit",
)
def submit_disclosure(
    request: HttpRequest, payload: DisclosureIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    unit = access.get_community_for_user(user, payload.unit_id)
    item = DisclosureItem.objects.filter(cal.catalogue_q(unit), pk=payload.item_id).first()
    if item is None:
        return Status(
            422, {"detail": _("输入有误。"), "errors": {"item_id": [_("不是本社区的公开事项。")]}}
        )
    due = None
    if payload.due_id:
        due = access.disclosure_dues_for_user(user).filter(unit=unit, pk=payload.due_id).first()
        if due is None:
            return Status(
                422, {"detail": _("输入有误。"), "errors": {"due_id": [_("期次不存在。")]}}
            )
    try:
        d = disclosure_actions.do_submit_disclosure(
            user,
            unit=unit,
            item=item,
            due=due,
            title=payload.title,
            body=payload.body,
            table=payload.table,
            client_token=client_key(idempotency_key, payload.client_token),
        )
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(201, _disclosure(d))


@router.post(
    "/disclosures/{disclosure_id}/review",
    response=answers({200: DisclosureOut}),
    summary="监督委员会审核(同意或退回)",
    operation_id="governance_disclosure_review",
)
def review(request: HttpRequest, disclosure_id: int, payload: ReviewIn) -> Status[dict[str, Any]]:
    user = acting_user(request)
    d = access.get_disclosure_for_user(user, disclosure_id)
    reviewer = CommitteeMember.objects.filter(
        pk=payload.reviewer_id, committee__unit=d.unit
    ).first()
    if reviewer is None:
        return Status(
            422,
            {
                "detail": _("输入有误。"),
                "errors": {"reviewer_id": [_("不是本社区监督委员会成员。")]},
            },
        )
    try:
        disclosure_actions.do_review_disclosure(
            user, d, reviewer=reviewer, approve=payload.approve, note=payload.note
        )
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(200, _disclosure(d))


@router.post(
    "/disclosures/{disclosure_id}/publish",
    response=answers({200: DisclosureOut}),
    summary="公布(审核通过后)",
    operation_id="governance_disclosure_publish",
)
def publish(request: HttpRequest, disclosure_id: int) -> Status[dict[str, Any]]:
    user = acting_user(request)
    d = access.get_disclosure_for_user(user, disclosure_id, write=True)
    try:
        disclosure_actions.do_publish_disclosure(user, d)
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(200, _disclosure(d))


@router.get(
    "/questions",
    response=answers({200: DisclosureQuestionPage}),
    summary="居民质询(可只看逾期未答复的)",
    operation_id="governance_disclosure_questions",
)
def list_questions(request: HttpRequest, params: Query[QuestionParams]) -> dict[str, Any]:
    """Oldest answer day first, then id."""
    today = timezone.localdate()
    rows = access.disclosure_questions_for_user(request.user)
    if params.unit:
        rows = rows.filter(unit=access.get_community_for_user(request.user, params.unit))
    if params.overdue:
        rows = rows.filter(Q(answered_at__isnull=True), answer_due_on__lt=today)
    return paginate(rows.order_by("answer_due_on", "pk"), params, lambda q: _question(q, today))


@router.post(
    "/disclosures/{disclosure_id}/questions",
    response=answers({201: DisclosureQuestionOut}),
    summary="登记书面或口头质询",
    operation_id="governance_disclosure_ask",
)
def ask(
    request: HttpRequest,
    disclosure_id: int,
    payload: DisclosureQuestionIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    d = access.get_disclosure_for_user(user, disclosure_id)
    try:
        q = disclosure_actions.do_ask_question(
            user,
            d,
            asker=payload.asker,
            text=payload.text,
            channel=QuestionChannel.PAPER,
            client_token=client_key(idempotency_key, payload.client_token),
        )
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(201, _question(q, timezone.localdate()))


@router.post(
    "/questions/{question_id}/answer",
    response=answers({200: DisclosureQuestionOut}),
    summary="答复质询",
    operation_id="governance_disclosure_answer",
)
def answer(request: HttpRequest, question_id: int, payload: AnswerIn) -> Status[dict[str, Any]]:
    user = acting_user(request)
    q = access.get_disclosure_question_for_user(user, question_id)
    try:
        disclosure_actions.do_answer_question(user, q, payload.answer)
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(200, _question(q, timezone.localdate()))
