"""JSON API for self-governance (/api/v1/governance/).

The same access helpers and actions as the pages: out of scope is 404, a missing role
403, bad input 422 with Chinese messages per field. Creates accept an ``Idempotency-Key``
header (or ``client_token``): a retry returns the first result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from shequ.governance import access, actions, quorum
from shequ.governance.models import (
    AgendaItem,
    Attendance,
    Committee,
    ConveneRequest,
    Evaluation,
    Meeting,
    Resolution,
    Rule,
)
from shequ.orgs.access import acting_user, parse_pk
from shequ.orgs.apiauth import IdempotencyKey, PageIn, answers, client_key, paginate
from shequ.people.models import Resident, ResidentStatus

router = Router()
PK = Field(..., ge=1, le=2**63 - 1)


class RuleOut(Schema):
    id: int
    statute: str
    version: str
    meeting_type: str
    kind: str
    basis: str
    num: int
    den: int
    strict: bool
    article: str
    effective_from: dt.date
    effective_to: dt.date | None
    confirmed: bool
    note: str


class CheckOut(Schema):
    basis: str
    count: int
    base: int
    needed: int
    met: bool
    article: str
    confirmed: bool


class QuorumOut(Schema):
    statutory: bool
    quorate: bool
    present: int
    article: str
    checks: list[CheckOut]


class AgendaItemOut(Schema):
    id: int
    number: int
    title: str
    matter: str
    discussion: str
    resolution_id: int | None


class MeetingOut(Schema):
    id: int
    unit_id: int
    meeting_type: str
    title: str
    held_on: dt.date
    notice_on: dt.date
    place: str
    status: str
    quorate: bool | None
    adults_base: int
    households_base: int
    members_base: int
    agenda: list[AgendaItemOut]
    url: str


class MeetingDetailOut(MeetingOut):
    quorum: QuorumOut


class AgendaIn(Schema):
    title: str = Field(..., max_length=200)
    matter: str = "ordinary"


class MeetingIn(Schema):
    unit_id: int = PK
    meeting_type: str
    title: str = Field(..., max_length=200)
    held_on: dt.date
    notice_on: dt.date
    place: str = Field(..., max_length=200)
    convened_by: str = Field("", max_length=100)
    agenda: list[AgendaIn] = Field(..., max_length=30)
    group_id: int | None = Field(None, ge=1, le=2**63 - 1)
    authorised_by_id: int | None = Field(None, ge=1, le=2**63 - 1)
    request_id: int | None = Field(None, ge=1, le=2**63 - 1)
    client_token: str | None = Field(None, max_length=64)


class SignInIn(Schema):
    resident_id: int = PK
    for_household: bool = False


class AttendanceOut(Schema):
    id: int
    resident_id: int
    kind: str
    household_id: int | None
    adult: bool


class VoteIn(Schema):
    text: str = Field(..., max_length=5000)
    method: str = "hands"
    votes_for: int = Field(0, ge=0, le=1_000_000)
    votes_against: int = Field(0, ge=0, le=1_000_000)
    votes_abstain: int = Field(0, ge=0, le=1_000_000)
    roll_call: dict[int, str] = {}
    client_token: str | None = Field(None, max_length=64)


class ResolutionOut(Schema):
    id: int
    unit_id: int
    meeting_id: int
    number: str
    item: str
    matter: str
    text: str
    method: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    present: int
    result: str
    quorum_article: str
    majority_article: str
    url: str


class CloseIn(Schema):
    chair: str = Field(..., max_length=50)
    recorder: str = Field(..., max_length=50)
    minutes: str = Field("", max_length=20000)


class RequestIn(Schema):
    unit_id: int = PK
    meeting_type: str
    basis: str
    subject: str = Field(..., max_length=200)
    received_on: dt.date
    signatory_ids: list[int] = Field(..., max_length=5000)
    client_token: str | None = Field(None, max_length=64)


class RequestOut(Schema):
    id: int
    unit_id: int
    meeting_type: str
    basis: str
    subject: str
    received_on: dt.date
    signed: int
    base: int
    needed: int
    article: str
    status: str
    due_on: dt.date | None
    overdue: bool
    meeting_id: int | None


class GovernanceMemberOut(Schema):
    resident_id: int
    name: str
    post: str
    accounting_skill: bool
    started_on: dt.date
    ended_on: dt.date | None


class GovernanceCommitteeOut(Schema):
    id: int
    unit_id: int
    kind: str
    elected_on: dt.date
    term_to: dt.date
    ended_on: dt.date | None
    resolution_id: int | None
    members: list[GovernanceMemberOut]
    warnings: list[str]


class ResultOut(Schema):
    member_id: int
    name: str
    fit: int
    basic: int
    unfit: int
    rating: str
    dismissal_due: bool


class EvaluationOut(Schema):
    id: int
    unit_id: int
    year: int
    committee_id: int
    meeting_id: int
    status: str
    ballots: int
    attending: int
    results: list[ResultOut]


class ListParams(PageIn):
    unit: int | None = Field(None, ge=1, le=2**63 - 1)
    year: int | None = Field(None, ge=1900, le=2100)


class MeetingPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[MeetingOut]


class ResolutionPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ResolutionOut]


class ConveneRequestPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RequestOut]


class GovernanceCommitteePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[GovernanceCommitteeOut]


class EvaluationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[EvaluationOut]


class AttendancePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AttendanceOut]


class RulePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RuleOut]


def _error(error: ValidationError) -> Status[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        general = " ".join(error.message_dict.get("__all__", []))
        return Status(422, {"detail": general or _("输入有误。"), "errors": error.message_dict})
    return Status(422, {"detail": " ".join(error.messages), "errors": {}})


def _forbidden(error: PermissionDenied) -> Status[dict[str, Any]]:
    return Status(403, {"detail": str(error) or _("无权操作。"), "errors": {}})


def _meeting(m: Meeting, *, detail: bool = False) -> dict[str, Any]:
    decided = dict(Resolution.objects.filter(meeting=m).values_list("item_id", "pk"))
    out: dict[str, Any] = {
        "id": m.pk,
        "unit_id": m.unit_id,
        "meeting_type": m.meeting_type,
        "title": m.title,
        "held_on": m.held_on,
        "notice_on": m.notice_on,
        "place": m.place,
        "status": m.status,
        "quorate": m.quorate,
        "adults_base": m.adults_base,
        "households_base": m.households_base,
        "members_base": m.members_base,
        "agenda": [
            {
                "id": i.pk,
                "number": i.number,
                "title": i.title,
                "matter": i.matter,
                "discussion": i.discussion,
                "resolution_id": decided.get(i.pk),
            }
            for i in m.agenda.all()
        ],
        "url": m.get_absolute_url(),
    }
    if detail:
        q = quorum.quorum(m)
        out["quorum"] = {
            "statutory": q.statutory,
            "quorate": q.quorate,
            "present": q.present,
            "article": q.article,
            "checks": [
                {
                    "basis": c.rule.basis,
                    "count": c.count,
                    "base": c.base,
                    "needed": c.needed,
                    "met": c.met,
                    "article": c.rule.article,
                    "confirmed": c.rule.confirmed,
                }
                for c in q.checks
            ],
        }
    return out


def _resolution(r: Resolution) -> dict[str, Any]:
    return {
        "id": r.pk,
        "unit_id": r.unit_id,
        "meeting_id": r.meeting_id,
        "number": r.number,
        "item": r.item.title,
        "matter": r.matter,
        "text": r.text,
        "method": r.method,
        "votes_for": r.votes_for,
        "votes_against": r.votes_against,
        "votes_abstain": r.votes_abstain,
        "present": r.present,
        "result": r.result,
        "quorum_article": r.quorum_article,
        "majority_article": r.majority_article,
        "url": r.get_absolute_url(),
    }


def _request(r: ConveneRequest) -> dict[str, Any]:
    return {
        "id": r.pk,
        "unit_id": r.unit_id,
        "meeting_type": r.meeting_type,
        "basis": r.basis,
        "subject": r.subject,
        "received_on": r.received_on,
        "signed": r.signed,
        "base": r.base,
        "needed": r.needed,
        "article": r.article,
        "status": r.status,
        "due_on": r.due_on,
        "overdue": r.is_overdue(),
        "meeting_id": r.meeting_id,
    }


def _filter(rows: Any, request: HttpRequest, params: ListParams, date_field: str) -> Any:
    if params.unit:
        unit = access.get_community_for_user(request.user, params.unit)
        rows = rows.filter(unit=unit)
    if params.year:
        rows = rows.filter(**{f"{date_field}__year": params.year})
    return rows


@router.get("/rules", response=answers({200: RulePage}), summary="法定门槛(按法律版本与施行期间)")
def list_rules(request: HttpRequest, params: Query[PageIn]) -> dict[str, Any]:
    return paginate(
        Rule.objects.order_by("statute", "effective_from", "meeting_type", "kind", "pk"),
        params,
        lambda r: r,
    )


@router.get("/meetings", response=answers({200: MeetingPage}), summary="会议")
def list_meetings(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    """Newest first (by the day held, then id)."""
    rows = _filter(access.meetings_for_user(request.user), request, params, "held_on")
    return paginate(rows.prefetch_related("agenda").order_by("-held_on", "-pk"), params, _meeting)


@router.get(
    "/meetings/{meeting_id}", response=answers({200: MeetingDetailOut}), summary="会议及法定人数"
)
def get_meeting(request: HttpRequest, meeting_id: int) -> dict[str, Any]:
    return _meeting(access.get_meeting_for_user(request.user, meeting_id), detail=True)


@router.post(
    "/meetings",
    response=answers({201: MeetingDetailOut}),
    summary="召集会议(发出通知)",
)
def create_meeting(
    request: HttpRequest, payload: MeetingIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    unit = access.get_community_for_user(user, payload.unit_id)
    group = (
        actions.Group.objects.filter(unit=unit, pk=payload.group_id).first()
        if payload.group_id
        else None
    )
    authorised = (
        access.resolutions_for_user(user).filter(pk=payload.authorised_by_id).first()
        if payload.authorised_by_id
        else None
    )
    pending = (
        access.get_request_for_user(user, payload.request_id, write=True)
        if payload.request_id
        else None
    )
    try:
        m = actions.do_convene_meeting(
            user,
            unit=unit,
            meeting_type=payload.meeting_type,
            title=payload.title,
            held_on=payload.held_on,
            notice_on=payload.notice_on,
            place=payload.place,
            convened_by=payload.convened_by,
            agenda=[(a.title, a.matter) for a in payload.agenda],
            group=group,
            authorised_by=authorised,
            request=pending,
            client_token=client_key(idempotency_key, payload.client_token),
        )
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(201, _meeting(m, detail=True))


@router.post(
    "/meetings/{meeting_id}/open",
    response=answers({200: MeetingDetailOut}),
    summary="开始签到",
)
def open_meeting(request: HttpRequest, meeting_id: int) -> Status[dict[str, Any]]:
    m = access.get_meeting_for_user(request.user, meeting_id, write=True)
    try:
        actions.do_open_meeting(acting_user(request), m)
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(200, _meeting(m, detail=True))


@router.post(
    "/meetings/{meeting_id}/attendances",
    response=answers({201: AttendanceOut}),
    summary="签到",
)
def sign_in(
    request: HttpRequest, meeting_id: int, payload: SignInIn, idempotency_key: IdempotencyKey = None
) -> Status[Any]:
    m = access.get_meeting_for_user(request.user, meeting_id, write=True)
    resident = Resident.objects.filter(
        pk=payload.resident_id, community=m.unit, status=ResidentStatus.LIVING
    ).first()
    if resident is None:
        return Status(
            422,
            {"detail": _("输入有误。"), "errors": {"resident_id": [_("不是本社区(村)在册居民。")]}},
        )
    retried = (
        Attendance.objects.filter(meeting=m, resident=resident).first()
        if client_key(idempotency_key)
        else None
    )
    try:
        a = retried or actions.do_sign_in(
            acting_user(request), m, resident, for_household=payload.for_household
        )
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(
        201,
        {
            "id": a.pk,
            "resident_id": a.resident_id,
            "kind": a.kind,
            "household_id": a.household_id,
            "adult": a.adult,
        },
    )


@router.get(
    "/meetings/{meeting_id}/attendances",
    response=answers({200: AttendancePage}),
    summary="签到名单",
)
def list_attendances(
    request: HttpRequest, meeting_id: int, params: Query[PageIn]
) -> dict[str, Any]:
    """In the order of signing, then id."""
    m = access.get_meeting_for_user(request.user, meeting_id)
    rows = Attendance.objects.filter(meeting=m).order_by("signed_at", "pk")
    return paginate(rows, params, lambda a: a)


@router.post(
    "/meetings/{meeting_id}/items/{item_id}/resolution",
    response=answers({201: ResolutionOut}),
    summary="表决议题",
)
def decide(
    request: HttpRequest,
    meeting_id: int,
    item_id: int,
    payload: VoteIn,
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    m = access.get_meeting_for_user(request.user, meeting_id, write=True)
    item = AgendaItem.objects.filter(meeting=m, pk=parse_pk(item_id)).first()
    if item is None:
        raise Http404
    try:
        r = actions.do_decide_resolution(
            acting_user(request),
            item,
            text=payload.text,
            method=payload.method,
            votes_for=payload.votes_for,
            votes_against=payload.votes_against,
            votes_abstain=payload.votes_abstain,
            roll_call=payload.roll_call,
            client_token=client_key(idempotency_key, payload.client_token),
        )
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(201, _resolution(r))


@router.post(
    "/meetings/{meeting_id}/close",
    response=answers({200: MeetingDetailOut}),
    summary="结束会议",
)
def close_meeting(
    request: HttpRequest, meeting_id: int, payload: CloseIn
) -> Status[dict[str, Any]]:
    m = access.get_meeting_for_user(request.user, meeting_id, write=True)
    try:
        actions.do_close_meeting(
            acting_user(request),
            m,
            minutes=payload.minutes,
            chair=payload.chair,
            recorder=payload.recorder,
        )
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(200, _meeting(m, detail=True))


@router.get("/resolutions", response=answers({200: ResolutionPage}), summary="决议")
def list_resolutions(
    request: HttpRequest, params: Query[ListParams], matter: str = ""
) -> dict[str, Any]:
    """Newest first (by the time decided, then id)."""
    rows = _filter(access.resolutions_for_user(request.user), request, params, "meeting__held_on")
    if matter:
        rows = rows.filter(matter=matter)
    return paginate(rows.order_by("-decided_at", "-pk"), params, _resolution)


@router.get("/resolutions/{resolution_id}", response=answers({200: ResolutionOut}), summary="决议")
def get_resolution(request: HttpRequest, resolution_id: int) -> dict[str, Any]:
    return _resolution(access.get_resolution_for_user(request.user, resolution_id))


@router.get("/requests", response=answers({200: ConveneRequestPage}), summary="提议召集")
def list_requests(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    """Newest first (by the day received, then id)."""
    rows = _filter(access.requests_for_user(request.user), request, params, "received_on")
    return paginate(rows.order_by("-received_on", "-pk"), params, _request)


@router.post(
    "/requests",
    response=answers({201: RequestOut}),
    summary="登记提议召集",
)
def create_request(
    request: HttpRequest, payload: RequestIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    unit = access.get_community_for_user(user, payload.unit_id)
    ids = [i for i in payload.signatory_ids if 0 < i < 2**63]
    signers = list(Resident.objects.filter(pk__in=ids, community=unit))
    try:
        r = actions.do_file_request(
            user,
            unit=unit,
            meeting_type=payload.meeting_type,
            basis=payload.basis,
            subject=payload.subject,
            received_on=payload.received_on,
            signatories=signers,
            client_token=client_key(idempotency_key, payload.client_token),
        )
    except ValidationError as e:
        return _error(e)
    except PermissionDenied as e:
        return _forbidden(e)
    return Status(201, _request(r))


@router.get("/committees", response=answers({200: GovernanceCommitteePage}), summary="委员会届次")
def list_committees(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    """By unit, kind, the newest term first, then id."""
    rows = _filter(access.committees_for_user(request.user), request, params, "elected_on")
    rows = rows.prefetch_related("members__resident").order_by("unit", "kind", "-elected_on", "pk")
    return paginate(rows, params, _committee)


def _committee(c: Committee) -> dict[str, Any]:
    return {
        "id": c.pk,
        "unit_id": c.unit_id,
        "kind": c.kind,
        "elected_on": c.elected_on,
        "term_to": c.term_to,
        "ended_on": c.ended_on,
        "resolution_id": c.resolution_id,
        "members": [
            {
                "resident_id": m.resident_id,
                "name": m.resident.name,
                "post": m.post,
                "accounting_skill": m.accounting_skill,
                "started_on": m.started_on,
                "ended_on": m.ended_on,
            }
            for m in c.members.all()
        ],
        "warnings": actions.committee_warnings(c),
    }


@router.get("/evaluations", response=answers({200: EvaluationPage}), summary="民主评议")
def list_evaluations(request: HttpRequest, params: Query[ListParams]) -> dict[str, Any]:
    """Newest year first, then by unit and id."""
    rows = access.evaluations_for_user(request.user)
    if params.unit:
        rows = rows.filter(unit=access.get_community_for_user(request.user, params.unit))
    if params.year:
        rows = rows.filter(year=params.year)
    return paginate(rows.order_by("-year", "unit", "pk"), params, _evaluation)


def _evaluation(e: Evaluation) -> dict[str, Any]:
    return {
        "id": e.pk,
        "unit_id": e.unit_id,
        "year": e.year,
        "committee_id": e.committee_id,
        "meeting_id": e.meeting_id,
        "status": e.status,
        "ballots": e.ballots.count(),
        "attending": e.attending,
        "results": [
            {
                "member_id": r.member_id,
                "name": r.member.resident.name,
                "fit": r.fit,
                "basic": r.basic,
                "unfit": r.unfit,
                "rating": r.rating,
                "dismissal_due": r.dismissal_due,
            }
            for r in e.results.select_related("member__resident")
        ],
    }


# deliberation (协商议事): its own module, mounted on this router
from shequ.governance.deliberation_api import router as _deliberation  # noqa: E402

router.add_router("", _deliberation)


# --- affairs disclosure (居务公开): its own module, mounted under /disclosure -------------------
from shequ.governance.disclosure_api import router as _disclosure_router  # noqa: E402

router.add_router("/disclosure", _disclosure_router)
