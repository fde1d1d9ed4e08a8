"""JSON API of deliberation (/api/v1/governance/…): topics and their steps, support,
comments, consultation records, results and milestones. The same access helpers and
actions as the pages; creates take an ``Idempotency-Key``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from shequ.governance import access
from shequ.governance import deliberation_access as daccess
from shequ.governance import deliberation_actions as da
from shequ.governance.api import _error, _forbidden
from shequ.governance.models import Consultation, Milestone, Result, Topic, TopicComment
from shequ.orgs.access import acting_user, scope_q
from shequ.orgs.apiauth import IdempotencyKey, PageIn, answers, client_key, paginate
from shequ.orgs.models import Post
from shequ.people.models import Resident, ResidentUnit

router = Router()
PK = Field(..., ge=1, le=2**63 - 1)
OPTIONAL_PK = Field(None, ge=1, le=2**63 - 1)


class TopicOut(Schema):
    id: int
    unit_id: int
    title: str
    description: str
    source: str
    proposer_name: str
    resident_unit_id: int | None
    concerned: str
    major: bool
    status: str
    proposed_at: dt.datetime
    decline_reason: str
    notice_on: dt.date | None
    notice_text: str
    outcome: str
    outcome_text: str
    referred_to: str
    decided_on: dt.date | None
    resolution_id: int | None
    feedback_text: str
    fed_back_on: dt.date | None
    supervision_text: str
    supervised_on: dt.date | None
    supports: int
    url: str


class TopicIn(Schema):
    unit_id: int = PK
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=5000)
    source: str
    proposer_name: str = Field(..., max_length=100)
    concerned: str = Field(..., max_length=5000)
    major: bool = False
    resident_unit_id: int | None = OPTIONAL_PK
    contact: str = Field("", max_length=20)
    client_token: str | None = Field(None, max_length=64)


class TopicStepIn(Schema):
    """One step of the procedure: ``accept``, ``decline`` (``text`` is the reason),
    ``notice``, ``decide`` (``outcome``), ``link`` (``resolution_id``), ``implement``,
    ``feedback`` or ``supervise``."""

    step: str = Field(..., max_length=12)
    text: str = Field("", max_length=5000)
    on: dt.date | None = None
    outcome: str = Field("", max_length=12)
    referred_to: str = Field("", max_length=100)
    resolution_id: int | None = OPTIONAL_PK


class ParticipantSchema(Schema):
    name: str = Field(..., max_length=50)
    capacity: str = Field(..., max_length=50)
    position: str = Field("", max_length=2000)


class ParticipantIn(ParticipantSchema):
    contact: str = Field("", max_length=20)


class ConsultationOut(Schema):
    id: int
    topic_id: int
    form: str
    held_on: dt.date
    place: str
    record: str
    participants: list[ParticipantSchema]


class ConsultationIn(Schema):
    form: str
    held_on: dt.date
    place: str = Field(..., max_length=200)
    record: str = Field(..., max_length=20000)
    participants: list[ParticipantIn] = Field(..., min_length=1, max_length=200)
    client_token: str | None = Field(None, max_length=64)


class DeliberationResultOut(Schema):
    id: int
    topic_id: int
    parent_id: int | None
    title: str
    responsible: str
    post_id: int | None
    due_on: dt.date
    progress: int
    completed_on: dt.date | None
    overdue: bool
    on_time: bool | None


class DeliberationResultIn(Schema):
    title: str = Field(..., max_length=200)
    responsible: str = Field(..., max_length=100)
    due_on: dt.date
    post_id: int | None = OPTIONAL_PK
    parent_id: int | None = OPTIONAL_PK
    client_token: str | None = Field(None, max_length=64)


class MilestoneOut(Schema):
    id: int
    result_id: int
    happened_on: dt.date
    text: str
    progress: int
    has_photo: bool


class MilestoneIn(Schema):
    happened_on: dt.date
    text: str = Field(..., max_length=5000)
    progress: int = Field(..., ge=0, le=100)
    client_token: str | None = Field(None, max_length=64)


class TopicCommentOut(Schema):
    id: int
    topic_id: int
    author_name: str
    text: str
    created_at: dt.datetime
    hidden: bool
    hidden_reason: str


class TopicCommentIn(Schema):
    author_name: str = Field(..., max_length=50)
    text: str = Field(..., max_length=2000)
    client_token: str | None = Field(None, max_length=64)


class HideIn(Schema):
    reason: str = Field(..., max_length=200)


class SupportIn(Schema):
    resident_id: int = PK


class SupportOut(Schema):
    topic_id: int
    supports: int
    new: bool


class TopicListParams(PageIn):
    unit: int | None = OPTIONAL_PK
    year: int | None = Field(None, ge=1900, le=2100)
    status: str | None = Field(None, max_length=16)


def _page_of(item: type[Schema], name: str) -> type[Schema]:
    return type(name, (Schema,), {"__annotations__": {"count": int, "page": int,
                                                        "page_size": int, "items": list[item]}})  # type: ignore[valid-type]  # fmt: skip


TopicPage = _page_of(TopicOut, "TopicPage")
ConsultationPage = _page_of(ConsultationOut, "ConsultationPage")
DeliberationResultPage = _page_of(DeliberationResultOut, "DeliberationResultPage")
MilestonePage = _page_of(MilestoneOut, "MilestonePage")
TopicCommentPage = _page_of(TopicCommentOut, "TopicCommentPage")


def _topic(t: Topic) -> dict[str, Any]:
    out = {f: getattr(t, f) for f in TopicOut.model_fields if hasattr(t, f)}
    out["supports"] = t.supports.count()
    out["url"] = t.get_absolute_url()
    return out


def _consultation(c: Consultation) -> dict[str, Any]:
    return {
        "id": c.pk,
        "topic_id": c.topic_id,
        "form": c.form,
        "held_on": c.held_on,
        "place": c.place,
        "record": c.record,
        "participants": [
            {"name": p.name, "capacity": p.capacity, "position": p.position}
            for p in c.participants.all()
        ],
    }


def _result(r: Result) -> dict[str, Any]:
    return {
        "id": r.pk,
        "topic_id": r.topic_id,
        "parent_id": r.parent_id,
        "title": r.title,
        "responsible": r.responsible,
        "post_id": r.post_id,
        "due_on": r.due_on,
        "progress": r.progress,
        "completed_on": r.completed_on,
        "overdue": r.is_overdue(),
        "on_time": r.on_time,
    }


def _milestone(m: Milestone) -> dict[str, Any]:
    return {
        "id": m.pk,
        "result_id": m.result_id,
        "happened_on": m.happened_on,
        "text": m.text,
        "progress": m.progress,
        "has_photo": bool(m.photo),
    }


def _comment(c: TopicComment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "topic_id": c.topic_id,
        "author_name": c.author_name,
        "text": c.text,
        "created_at": c.created_at,
        "hidden": c.hidden,
        "hidden_reason": c.hidden_reason,
    }


def _run(call: Any, render: Any, code: int = 200) -> Status[dict[str, Any]]:
    try:
        obj = call()
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(code, render(obj))


@router.get("/topics", response=answers({200: TopicPage}), summary="协商议题")
def list_topics(request: HttpRequest, params: Query[TopicListParams]) -> dict[str, Any]:
    """Newest first."""
    rows = daccess.topics_for_user(request.user)
    if params.unit:
        rows = rows.filter(unit=access.get_community_for_user(request.user, params.unit))
    if params.year:
        rows = rows.filter(proposed_at__year=params.year)
    if params.status:
        rows = rows.filter(status=params.status)
    return paginate(rows.order_by("-proposed_at", "-pk"), params, _topic)


@router.get("/topics/{topic_id}", response=answers({200: TopicOut}), summary="协商议题")
def get_topic(request: HttpRequest, topic_id: int) -> dict[str, Any]:
    return _topic(daccess.get_topic_for_user(request.user, topic_id))


@router.post("/topics", response=answers({201: TopicOut}), summary="登记协商议题")
def create_topic(
    request: HttpRequest, payload: TopicIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    unit = access.get_community_for_user(user, payload.unit_id)
    resident_unit = (
        ResidentUnit.objects.filter(pk=payload.resident_unit_id, community=unit).first()
        if payload.resident_unit_id
        else None
    )
    return _run(
        lambda: da.do_propose_topic(
            user,
            unit=unit,
            title=payload.title,
            description=payload.description,
            source=payload.source,
            proposer_name=payload.proposer_name,
            concerned=payload.concerned,
            major=payload.major,
            resident_unit=resident_unit,
            contact=payload.contact,
            client_token=client_key(idempotency_key, payload.client_token),
        ),
        _topic,
        201,
    )


@router.post("/topics/{topic_id}/step", response=answers({200: TopicOut}), summary="办理协商步骤")
def take_step(request: HttpRequest, topic_id: int, payload: TopicStepIn) -> Status[dict[str, Any]]:
    user = acting_user(request)
    topic = daccess.get_topic_for_user(user, topic_id, write=True)
    on = payload.on or dt.date.today()  # noqa: DTZ011 - the default is the local day
    steps: dict[str, Any] = {
        "accept": lambda: da.do_accept_topic(user, topic),
        "decline": lambda: da.do_decline_topic(user, topic, reason=payload.text),
        "notice": lambda: da.do_notice_topic(user, topic, text=payload.text, notice_on=on),
        "decide": lambda: da.do_decide_outcome(
            user,
            topic,
            outcome=payload.outcome,
            text=payload.text,
            decided_on=on,
            referred_to=payload.referred_to,
        ),
        "link": lambda: da.do_link_resolution(
            user, topic, access.get_resolution_for_user(user, payload.resolution_id)
        ),
        "implement": lambda: da.do_start_implementation(user, topic),
        "feedback": lambda: da.do_give_feedback(user, topic, text=payload.text, on=on),
        "supervise": lambda: da.do_supervise_topic(user, topic, text=payload.text, on=on),
    }
    if payload.step not in steps:
        return _error(ValidationError({"step": _("无效的步骤。")}))
    return _run(steps[payload.step], _topic)


@router.post(
    "/topics/{topic_id}/supports", response=answers({201: SupportOut}), summary="登记居民支持"
)
def support_topic(
    request: HttpRequest,
    topic_id: int,
    payload: SupportIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    """A resident's support recorded by staff (one per resident: a repeat adds nothing)."""
    user = acting_user(request)
    topic = daccess.get_topic_for_user(user, topic_id, write=True)
    resident = Resident.objects.filter(scope_q(user), pk=payload.resident_id).first()
    if resident is None:
        return _error(ValidationError({"resident_id": _("居民不存在或不在您的管辖范围内。")}))
    key = resident.phone_index or f"resident:{resident.pk}"
    return _run(
        lambda: da.do_support_topic(topic, supporter_key=key),
        lambda new: {"topic_id": topic.pk, "supports": topic.supports.count(), "new": new},
        201,
    )


@router.get(
    "/topics/{topic_id}/comments", response=answers({200: TopicCommentPage}), summary="议题评论"
)
def list_comments(request: HttpRequest, topic_id: int, params: Query[PageIn]) -> dict[str, Any]:
    topic = daccess.get_topic_for_user(request.user, topic_id)
    return paginate(topic.comments.order_by("created_at", "pk"), params, _comment)


@router.post(
    "/topics/{topic_id}/comments", response=answers({201: TopicCommentOut}), summary="录入评论"
)
def create_comment(
    request: HttpRequest,
    topic_id: int,
    payload: TopicCommentIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    topic = daccess.get_topic_for_user(user, topic_id, write=True)
    return _run(
        lambda: da.do_comment_topic(
            user,
            topic,
            author_name=payload.author_name,
            text=payload.text,
            client_token=client_key(idempotency_key, payload.client_token),
        ),
        _comment,
        201,
    )


@router.post(
    "/comments/{comment_id}/hide", response=answers({200: TopicCommentOut}), summary="隐藏评论"
)
def hide_comment(request: HttpRequest, comment_id: int, payload: HideIn) -> Status[dict[str, Any]]:
    user = acting_user(request)
    comment = daccess.get_comment_for_user(user, comment_id, write=True)
    return _run(lambda: da.do_hide_comment(user, comment, reason=payload.reason), _comment)


@router.get(
    "/topics/{topic_id}/consultations",
    response=answers({200: ConsultationPage}),
    summary="协商记录",
)
def list_consultations(
    request: HttpRequest, topic_id: int, params: Query[PageIn]
) -> dict[str, Any]:
    topic = daccess.get_topic_for_user(request.user, topic_id)
    rows = topic.consultations.prefetch_related("participants").order_by("held_on", "pk")
    return paginate(rows, params, _consultation)


@router.post(
    "/topics/{topic_id}/consultations",
    response=answers({201: ConsultationOut}),
    summary="登记协商记录",
)
def create_consultation(
    request: HttpRequest,
    topic_id: int,
    payload: ConsultationIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    topic = daccess.get_topic_for_user(user, topic_id, write=True)
    return _run(
        lambda: da.do_record_consultation(
            user,
            topic,
            form=payload.form,
            held_on=payload.held_on,
            place=payload.place,
            record=payload.record,
            participants=[
                da.ParticipantIn(p.name, p.capacity, p.position, p.contact)
                for p in payload.participants
            ],
            client_token=client_key(idempotency_key, payload.client_token),
        ),
        _consultation,
        201,
    )


@router.get("/results", response=answers({200: DeliberationResultPage}), summary="协商落实事项")
def list_results(request: HttpRequest, params: Query[TopicListParams]) -> dict[str, Any]:
    """By deadline; ``status=overdue`` lists those past their deadline and not done."""
    rows = daccess.results_for_user(request.user)
    if params.unit:
        rows = rows.filter(topic__unit=access.get_community_for_user(request.user, params.unit))
    if params.year:
        rows = rows.filter(due_on__year=params.year)
    if params.status == "overdue":
        rows = rows.filter(progress__lt=100, due_on__lt=dt.date.today())  # noqa: DTZ011
    return paginate(rows.order_by("due_on", "pk"), params, _result)


@router.post(
    "/topics/{topic_id}/results",
    response=answers({201: DeliberationResultOut}),
    summary="登记落实事项",
)
def create_result(
    request: HttpRequest,
    topic_id: int,
    payload: DeliberationResultIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    topic = daccess.get_topic_for_user(user, topic_id, write=True)
    parent = (
        Result.objects.filter(topic=topic, pk=payload.parent_id).first()
        if payload.parent_id
        else None
    )
    post = (
        Post.objects.filter(pk=payload.post_id, unit__path__startswith=topic.unit.path).first()
        if payload.post_id
        else None
    )
    return _run(
        lambda: da.do_add_result(
            user,
            topic,
            title=payload.title,
            responsible=payload.responsible,
            due_on=payload.due_on,
            post=post,
            parent=parent,
            client_token=client_key(idempotency_key, payload.client_token),
        ),
        _result,
        201,
    )


@router.get(
    "/results/{result_id}/milestones", response=answers({200: MilestonePage}), summary="进展节点"
)
def list_milestones(request: HttpRequest, result_id: int, params: Query[PageIn]) -> dict[str, Any]:
    result = daccess.get_result_for_user(request.user, result_id)
    return paginate(result.milestones.order_by("happened_on", "pk"), params, _milestone)


@router.post(
    "/results/{result_id}/milestones",
    response=answers({201: MilestoneOut}),
    summary="登记进展节点(照片请在页面上传)",
)
def create_milestone(
    request: HttpRequest,
    result_id: int,
    payload: MilestoneIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    result = daccess.get_result_for_user(user, result_id, write=True)
    return _run(
        lambda: da.do_record_milestone(
            user,
            result,
            happened_on=payload.happened_on,
            text=payload.text,
            progress=payload.progress,
            client_token=client_key(idempotency_key, payload.client_token),
        ),
        _milestone,
        201,
    )
