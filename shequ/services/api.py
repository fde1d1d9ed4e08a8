"""/api/v1/services/: the catalogue (public, like the guide pages) and cases (signed
in, scoped like the pages: out of scope 404, a missing role 403, bad input or a lost race
422 with Chinese messages per field)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Avg, Count, F, Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from shequ.orgs.access import acting_user, get_unit_for_user
from shequ.orgs.apiauth import (
    IdempotencyKey,
    PageIn,
    answers,
    client_key,
    paginate,
)
from shequ.people.access import get_resident_for_user
from shequ.services import access, lifecycle
from shequ.services.actions import StepInput, do_case_step, do_receive_case
from shequ.services.hall import do_call_next_ticket, waiting_for
from shequ.services.lifecycle import Step
from shequ.services.models import (
    GOOD_GRADE_MIN,
    AppealStatus,
    Case,
    HallWindow,
    Rating,
    RatingAppeal,
    RatingChannel,
    Rectification,
    RectificationStatus,
    ServiceHall,
    ServiceItem,
    Ticket,
    TicketStatus,
)
from shequ.services.ratings import (
    do_appeal_rating,
    do_decide_rating_appeal,
    do_fix_rectification,
    do_follow_up_rectification,
    do_rate_case,
    do_reply_rectification,
    do_verify_rectification,
)

router = Router()


class MaterialOut(Schema):
    name: str
    requirement: str
    note: str


class ItemOut(Schema):
    code: str
    name: str
    category: str
    window_type: str
    handling_level: str
    handled_by: str
    kind: str
    legal_limit_days: int
    promised_limit_days: int
    fee_yuan: Decimal
    visits_needed: int
    agency_allowed: bool
    village_point_allowed: bool
    public: bool


class ItemDetailOut(ItemOut):
    legal_basis: str
    fee_note: str
    guide: str
    materials: list[MaterialOut]


def _out(item: ServiceItem) -> dict[str, object]:
    return {
        "code": item.code,
        "name": item.name,
        "category": item.category,
        "window_type": item.window_type.code,
        "handling_level": item.handling_level,
        "handled_by": item.handled_by,
        "kind": item.kind,
        "legal_limit_days": item.legal_limit_days,
        "promised_limit_days": item.promised_limit_days,
        "fee_yuan": item.fee_yuan,
        "visits_needed": item.visits_needed,
        "agency_allowed": item.agency_allowed,
        "village_point_allowed": item.village_point_allowed,
        "public": item.public,
    }


@router.get("/items/", response=list[ItemOut], auth=None, summary="服务事项目录")
def list_items(
    request: HttpRequest,
    window_type: str | None = None,
    kind: str | None = None,
    public: bool | None = None,
) -> list[dict[str, object]]:
    items = access.items_for_user(request.user).select_related("window_type")
    if window_type:
        items = items.filter(window_type__code=window_type)
    if kind:
        items = items.filter(kind=kind)
    if public is not None:
        items = items.filter(public=public)
    return [_out(item) for item in items]


@router.get("/items/{code}/", response=ItemDetailOut, auth=None, summary="办事指南")
def get_item(request: HttpRequest, code: str) -> dict[str, object]:
    item = access.get_item_for_user(request.user, code)
    return {
        **_out(item),
        "legal_basis": item.legal_basis,
        "fee_note": item.fee_note,
        "guide": item.guide,
        "materials": [
            {"name": m.name, "requirement": m.requirement, "note": m.note}
            for m in item.materials.all()
        ],
    }


# --- cases ----------------------------------------------------------------------------


class CaseOut(Schema):
    id: int
    number: str
    item: str
    channel: str
    status: str
    applicant_kind: str
    applicant_name: str
    unit_id: int
    handling_unit_id: int
    received_at: dt.datetime
    accepted_at: dt.datetime | None
    reply_due_at: dt.datetime | None
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    quarter_hour_due_at: dt.datetime
    quarter_hour_met: bool | None
    result: str
    deadline_provisional: bool = Field(description="时限超出已知节假日安排,待确认")
    steps: list[str] = Field(description="当前用户此刻可办理的环节")


class CaseEventOut(Schema):
    at: dt.datetime
    verb: str
    status: str
    note: str


class CaseDetailOut(CaseOut):
    events: list[CaseEventOut]


class CasePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CaseOut]


class CaseIn(Schema):
    unit_id: int
    item: str = Field(description="事项编码")
    channel: str = "api"
    applicant_kind: str
    resident_id: int | None = None
    org_name: str = ""
    org_credit_code: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    summary: str = ""
    client_token: str | None = Field(None, max_length=64)


class StepIn(Schema):
    note: str = ""
    result: str = ""
    reason: str = ""
    legal_basis: str = ""
    missing: list[str] = []
    deferred_materials: list[str] = []
    materials_due_on: dt.date | None = None
    to_unit_id: int | None = None
    days: int = Field(0, ge=0, le=30, description="extend: 延长工作日")


def _case_out(case: Case, user: Any) -> dict[str, Any]:
    return {
        "steps": [str(step) for step in lifecycle.allowed_steps(case, user)],
        "id": case.pk,
        "number": case.number or "",
        "item": case.item.code,
        "channel": case.channel,
        "status": case.status,
        "applicant_kind": case.applicant_kind,
        "applicant_name": case.applicant_name,
        "unit_id": case.unit_id,
        "handling_unit_id": case.handling_unit_id,
        "received_at": case.received_at,
        "accepted_at": case.accepted_at,
        "reply_due_at": case.reply_due_at,
        "due_at": case.due_at,
        "completed_at": case.completed_at,
        "quarter_hour_due_at": case.quarter_hour_due_at,
        "quarter_hour_met": case.quarter_hour_met,
        "result": case.result,
        "deadline_provisional": case.deadline_provisional,
    }


def _error(error: ValidationError) -> Status[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return Status(422, {"detail": _("输入有误。"), "errors": error.message_dict})
    return Status(422, {"detail": " ".join(error.messages), "errors": {}})


def _forbidden(error: PermissionDenied) -> Status[dict[str, Any]]:
    return Status(403, {"detail": str(error) or _("无权操作。"), "errors": {}})


class CaseParams(PageIn):
    status: str = ""
    overdue: bool = False
    item: str = Field("", max_length=20, description="事项编码")
    unit: int | None = Field(None, ge=1, le=2**63 - 1, description="此单位及其下级受理的")


@router.get("/cases/", response=answers({200: CasePage}), summary="办件列表")
def list_cases(request: HttpRequest, params: Query[CaseParams]) -> dict[str, Any]:
    cases = lifecycle.with_step_facts(access.cases_for_user(request.user)).select_related(
        "resident"
    )
    if params.overdue:
        cases = cases.overdue()
    if params.status:
        cases = cases.filter(status=params.status)
    if params.item:
        cases = cases.filter(item__code=params.item)
    if params.unit is not None:
        unit = get_unit_for_user(request.user, params.unit)
        cases = cases.filter(unit__path__startswith=unit.path)
    return paginate(
        cases.order_by("-received_at", "-pk"), params, lambda c: _case_out(c, request.user)
    )


@router.get("/cases/{case_id}/", response=answers({200: CaseDetailOut}), summary="办件详情")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = access.get_case_to_show(request.user, case_id)
    events = list(case.events.values("at", "verb", "status", "note"))
    return {**_case_out(case, request.user), "events": events}


@router.post("/cases/", response=answers({201: CaseOut}), summary="登记办件")
def create_case(
    request: HttpRequest, payload: CaseIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """A retry with the same ``Idempotency-Key`` header (or ``client_token``) returns the
    first case and creates nothing."""
    unit = access.receiving_unit(request.user, payload.unit_id)
    if unit is None:
        get_unit_for_user(request.user, payload.unit_id)  # out of scope: 404, not 403
        return _forbidden(PermissionDenied(_("您的岗位无权登记办件。")))
    item = (
        access.items_for_user(request.user).select_related("unit").filter(code=payload.item).first()
    )
    if item is None:
        return Status(422, {"detail": _("输入有误。"), "errors": {"item": [_("没有这个事项。")]}})
    resident = None
    if payload.resident_id is not None:
        resident = get_resident_for_user(request.user, payload.resident_id)
    try:
        case = do_receive_case(
            acting_user(request),
            unit=unit,
            item=item,
            channel=payload.channel,
            applicant_kind=payload.applicant_kind,
            resident=resident,
            org_name=payload.org_name,
            org_credit_code=payload.org_credit_code,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            summary=payload.summary,
            client_token=client_key(idempotency_key, payload.client_token),
        )
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        return _forbidden(error)
    return Status(201, _case_out(case, request.user))


@router.post(
    "/cases/{case_id}/steps/{step}/",
    response=answers({200: CaseOut}),
    summary="办件环节:accept / return / refuse / start / arrive / send_up / complete / close / extend",
)
def case_step(
    request: HttpRequest, case_id: int, step: str, payload: StepIn
) -> Status[dict[str, Any]]:
    """The same steps, states and roles as the case page (``services/lifecycle.py``)."""
    case = access.get_case_for_user(request.user, case_id)
    if step not in Step.values:
        return Status(404, {"detail": _("没有这个环节。"), "errors": {}})
    to_unit = None
    if payload.to_unit_id is not None:
        to_unit = access.send_up_units(case).filter(pk=payload.to_unit_id).first()
        if to_unit is None:
            return _error(ValidationError({"to_unit_id": _("请选择本社区所属的乡镇或县市。")}))
    try:
        case = do_case_step(
            acting_user(request),
            case,
            Step(step),
            StepInput(
                note=payload.note,
                result=payload.result,
                reason=payload.reason,
                legal_basis=payload.legal_basis,
                missing=payload.missing,
                deferred_materials=payload.deferred_materials,
                materials_due_on=payload.materials_due_on,
                to_unit=to_unit,
                days=payload.days,
            ),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "to_unit" in error.error_dict:
            error = ValidationError({"to_unit_id": error.error_dict["to_unit"]})
        return _error(error)
    except PermissionDenied as error:
        return _forbidden(error)
    return Status(200, _case_out(case, request.user))


# --- halls, windows, tickets ----------------------------------------------------------


class WindowOut(Schema):
    id: int
    number: int
    window_type: str
    window_type_name: str
    post_id: int | None
    staffed_by: str = Field(description="值守人员姓名")
    active: bool


class HallOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    name: str
    opening_hours: str


class HallStatsOut(Schema):
    taken: int
    waiting: int
    average_wait_seconds: int | None
    average_service_seconds: int | None


class HallDetailOut(HallOut):
    windows: list[WindowOut]
    today: HallStatsOut = Field(description="今日取号、等候与平均用时")


class HallPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[HallOut]


class TicketOut(Schema):
    id: int
    number: str
    seq: int
    day: dt.date
    status: str
    window_type: str
    window_id: int | None
    name: str
    resident_id: int | None
    case_id: int | None
    taken_at: dt.datetime
    called_at: dt.datetime | None
    finished_at: dt.datetime | None
    waiting_seconds: int | None


class WindowDetailOut(WindowOut):
    hall_id: int
    current: TicketOut | None
    waiting: int = Field(description="本窗口可叫的等候人数")


class CallOut(Schema):
    ticket: TicketOut | None = Field(description="叫到的号;没有等候的号时为空")


class TicketPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[TicketOut]


class TicketParams(PageIn):
    day: dt.date | None = Field(None, description="默认今天")
    status: str = ""


def _hall(hall: ServiceHall) -> dict[str, Any]:
    return {
        "id": hall.pk,
        "unit_id": hall.unit_id,
        "unit_name": hall.unit.name,
        "name": hall.name,
        "opening_hours": hall.opening_hours,
    }


def _window(w: HallWindow) -> dict[str, Any]:
    person = w.post.user if w.post is not None else None
    return {
        "id": w.pk,
        "number": w.number,
        "window_type": w.window_type.code,
        "window_type_name": w.window_type.name,
        "post_id": w.post_id,
        "staffed_by": (person.full_name or person.username) if person is not None else "",
        "active": w.active,
    }


def _ticket(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.pk,
        "number": t.display_number,
        "seq": t.seq,
        "day": t.day,
        "status": t.status,
        "window_type": t.window_type.code,
        "window_id": t.window_id,
        "name": t.name,
        "resident_id": t.resident_id,
        "case_id": t.case_id,
        "taken_at": t.taken_at,
        "called_at": t.called_at,
        "finished_at": t.finished_at,
        "waiting_seconds": t.waiting_seconds,
    }


def _seconds(value: dt.timedelta | None) -> int | None:
    return int(value.total_seconds()) if value is not None else None


@router.get("/halls/", response=answers({200: HallPage}), summary="便民服务大厅")
def list_halls(request: HttpRequest, params: Query[PageIn]) -> dict[str, Any]:
    halls = access.halls_for_user(request.user).select_related("unit")
    return paginate(halls.order_by("unit__path", "pk"), params, _hall)


@router.get("/halls/{hall_id}/", response=answers({200: HallDetailOut}), summary="大厅:窗口与今日")
def get_hall(request: HttpRequest, hall_id: int) -> dict[str, Any]:
    """The hall page without its device key (a secret of the hall's devices)."""
    hall = access.get_hall_for_user(request.user, hall_id)
    stats = Ticket.objects.filter(hall=hall, day=timezone.localdate()).aggregate(
        taken=Count("pk"),
        waiting=Count("pk", filter=Q(status=TicketStatus.WAITING)),
        wait=Avg(F("called_at") - F("taken_at"), filter=Q(called_at__isnull=False)),
        service=Avg(F("finished_at") - F("called_at"), filter=Q(finished_at__isnull=False)),
    )
    windows = hall.windows.select_related("window_type", "post__user").order_by("number", "pk")
    return {
        **_hall(hall),
        "windows": [_window(w) for w in windows],
        "today": {
            "taken": stats["taken"],
            "waiting": stats["waiting"],
            "average_wait_seconds": _seconds(stats["wait"]),
            "average_service_seconds": _seconds(stats["service"]),
        },
    }


def _window_detail(window: HallWindow) -> dict[str, Any]:
    current = (
        Ticket.objects.filter(window=window, status=TicketStatus.CALLED)
        .select_related("window_type")
        .first()
    )
    return {
        **_window(window),
        "hall_id": window.hall_id,
        "current": _ticket(current) if current is not None else None,
        "waiting": waiting_for(window).count(),
    }


@router.get(
    "/halls/{hall_id}/windows/{window_id}/",
    response=answers({200: WindowDetailOut}),
    summary="窗口:当前号与等候人数",
)
def get_window(request: HttpRequest, hall_id: int, window_id: int) -> dict[str, Any]:
    return _window_detail(access.get_window_for_user(request.user, hall_id, window_id))


@router.post(
    "/halls/{hall_id}/windows/{window_id}/call-next/",
    response=answers({200: CallOut}),
    summary="叫下一个号(本窗口工作人员)",
)
def call_next(request: HttpRequest, hall_id: int, window_id: int) -> dict[str, Any]:
    """As the window console's 叫号: the current number (if any) is finished first."""
    window = access.get_window_for_user(request.user, hall_id, window_id)
    ticket = do_call_next_ticket(acting_user(request), window)
    if ticket is None:
        return {"ticket": None}
    return {"ticket": _ticket(Ticket.objects.select_related("window_type").get(pk=ticket.pk))}


@router.get("/halls/{hall_id}/tickets/", response=answers({200: TicketPage}), summary="排队号")
def list_tickets(request: HttpRequest, hall_id: int, params: Query[TicketParams]) -> dict[str, Any]:
    hall = access.get_hall_for_user(request.user, hall_id)
    tickets = Ticket.objects.filter(hall=hall, day=params.day or timezone.localdate())
    if params.status:
        tickets = tickets.filter(status=params.status)
    rows = tickets.select_related("window_type").order_by("seq", "pk")
    return paginate(rows, params, _ticket)


# --- ratings, rectifications, appeals -------------------------------------------------


class RatingOut(Schema):
    id: int
    case_id: int
    case_number: str
    item: str
    unit_id: int
    handling_unit_id: int
    channel: str
    grade: int
    criteria: dict[str, int]
    comment: str
    rated_at: dt.datetime
    counted: bool = Field(description="申诉成立后不计入统计")
    rectification_id: int | None


class AppealOut(Schema):
    id: int
    rating_id: int
    reason: str
    status: str
    requested_by: str
    requested_at: dt.datetime
    decided_by: str
    decided_at: dt.datetime | None
    decision_note: str


class RatingDetailOut(RatingOut):
    appeals: list[AppealOut]


class RatingPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RatingOut]


class RatingParams(PageIn):
    grade: int | None = Field(None, ge=1, le=5)
    channel: str = ""
    counted: bool | None = None
    bad: bool = Field(False, description="只列差评(不满意、非常不满意)")


class RateIn(Schema):
    grade: int = Field(ge=1, le=5, description="5 非常满意 … 1 非常不满意")
    criteria: dict[str, int] = Field({}, description="分项评价:efficiency, service_level, attitude")
    comment: str = Field("", max_length=2000)
    client_token: str | None = Field(None, max_length=64)


class RectificationOut(Schema):
    id: int
    rating_id: int
    case_id: int
    case_number: str
    unit_id: int
    status: str
    opened_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    verified_at: dt.datetime | None
    verify_note: str
    fixed_at: dt.datetime | None
    fix_note: str
    replied_at: dt.datetime | None
    reply_note: str
    followed_up_at: dt.datetime | None
    follow_up_note: str
    second_grade: int | None
    next_step: str | None = Field(description="verify / fix / reply / follow_up")


class RectificationDetailOut(RectificationOut):
    rating: RatingOut
    appeals: list[AppealOut]


class RectificationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[RectificationOut]


class RectificationParams(PageIn):
    view: str = Field("open", pattern="^(open|overdue|all)$")


class RectStepIn(Schema):
    note: str = Field(max_length=2000)
    second_grade: int | None = Field(None, ge=2, le=4, description="follow_up: 回访评价 4/3/2")


class AppealIn(Schema):
    reason: str = Field(max_length=2000)


class DecisionIn(Schema):
    uphold: bool
    note: str = Field("", max_length=2000)


def _rating(r: Rating) -> dict[str, Any]:
    rect = getattr(r, "rectification", None) if hasattr(r, "rectification") else None
    return {
        "id": r.pk,
        "case_id": r.case_id,
        "case_number": r.case.number or "",
        "item": r.case.item.code,
        "unit_id": r.unit_id,
        "handling_unit_id": r.handling_unit_id,
        "channel": r.channel,
        "grade": r.grade,
        "criteria": r.criteria,
        "comment": r.comment,
        "rated_at": r.rated_at,
        "counted": r.counted,
        "rectification_id": rect.pk if rect is not None else None,
    }


def _name(user: Any) -> str:
    return (user.full_name or user.username) if user is not None else ""


def _appeal(a: RatingAppeal) -> dict[str, Any]:
    return {
        "id": a.pk,
        "rating_id": a.rating_id,
        "reason": a.reason,
        "status": a.status,
        "requested_by": _name(a.requested_by),
        "requested_at": a.requested_at,
        "decided_by": _name(a.decided_by),
        "decided_at": a.decided_at,
        "decision_note": a.decision_note,
    }


RECT_NEXT = {
    RectificationStatus.OPEN: "verify",
    RectificationStatus.VERIFIED: "fix",
    RectificationStatus.FIXED: "reply",
    RectificationStatus.REPLIED: "follow_up",
}


def _rect(r: Rectification) -> dict[str, Any]:
    return {
        "id": r.pk,
        "rating_id": r.rating_id,
        "case_id": r.rating.case_id,
        "case_number": r.rating.case.number or "",
        "unit_id": r.unit_id,
        "status": r.status,
        "opened_at": r.opened_at,
        "due_at": r.due_at,
        "overdue": r.status != RectificationStatus.DONE and r.due_at < timezone.now(),
        "verified_at": r.verified_at,
        "verify_note": r.verify_note,
        "fixed_at": r.fixed_at,
        "fix_note": r.fix_note,
        "replied_at": r.replied_at,
        "reply_note": r.reply_note,
        "followed_up_at": r.followed_up_at,
        "follow_up_note": r.follow_up_note,
        "second_grade": r.second_grade,
        "next_step": RECT_NEXT.get(RectificationStatus(r.status)),
    }


def _appeals(rating: Rating) -> list[dict[str, Any]]:
    rows = rating.appeals.select_related("requested_by", "decided_by").order_by(
        "requested_at", "pk"
    )
    return [_appeal(a) for a in rows]


@router.get("/ratings/", response=answers({200: RatingPage}), summary="评价(好差评)")
def list_ratings(request: HttpRequest, params: Query[RatingParams]) -> dict[str, Any]:
    ratings = access.ratings_for_user(request.user).select_related("case__item", "rectification")
    if params.grade is not None:
        ratings = ratings.filter(grade=params.grade)
    if params.bad:
        ratings = ratings.filter(grade__lt=GOOD_GRADE_MIN)
    if params.channel:
        ratings = ratings.filter(channel=params.channel)
    if params.counted is not None:
        ratings = ratings.filter(counted=params.counted)
    return paginate(ratings.order_by("-rated_at", "-pk"), params, _rating)


@router.get("/ratings/{rating_id}/", response=answers({200: RatingDetailOut}), summary="评价")
def get_rating(request: HttpRequest, rating_id: int) -> dict[str, Any]:
    rating = access.get_rating_for_user(request.user, rating_id)
    return {**_rating(rating), "appeals": _appeals(rating)}


@router.post(
    "/cases/{case_id}/rating/",
    response=answers({201: RatingOut}),
    summary="代录电话回访评价",
)
def rate_case(
    request: HttpRequest, case_id: int, payload: RateIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """The applicant's rating given on the phone, recorded by staff (电话回访), as on the
    case's rating page. One rating per case; a bad one opens a rectification."""
    case = access.get_case_for_user(request.user, case_id)
    rating = do_rate_case(
        acting_user(request),
        case,
        channel=RatingChannel.PHONE,
        grade=payload.grade,
        criteria=dict(payload.criteria),
        comment=payload.comment,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _rating(access.get_rating_for_user(request.user, rating.pk)))


@router.post(
    "/ratings/{rating_id}/appeals/",
    response=answers({200: AppealOut, 201: AppealOut}),
    summary="申诉误评",
)
def appeal_rating(
    request: HttpRequest, rating_id: int, payload: AppealIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """A rating has at most one pending appeal: a retry by the same person (with or
    without the same ``Idempotency-Key``) answers 200 with that appeal."""
    rating = access.get_rating_for_user(request.user, rating_id)
    actor = acting_user(request)
    pending = rating.appeals.filter(status=AppealStatus.PENDING, requested_by=actor).first()
    if pending is not None:
        return Status(200, _appeal(pending))
    appeal = do_appeal_rating(actor, rating, reason=payload.reason)
    return Status(201, _appeal(appeal))


@router.post(
    "/appeals/{appeal_id}/decision/",
    response=answers({200: AppealOut}),
    summary="裁决申诉",
)
def decide_appeal(request: HttpRequest, appeal_id: int, payload: DecisionIn) -> dict[str, Any]:
    appeal = access.get_appeal_for_user(request.user, appeal_id)
    appeal = do_decide_rating_appeal(
        acting_user(request), appeal, uphold=payload.uphold, note=payload.note
    )
    return _appeal(appeal)


@router.get("/rectifications/", response=answers({200: RectificationPage}), summary="整改(差评)")
def list_rectifications(request: HttpRequest, params: Query[RectificationParams]) -> dict[str, Any]:
    rects = access.rectifications_for_user(request.user).select_related("rating__case")
    if params.view == "overdue":
        rects = rects.overdue()
    elif params.view == "open":
        rects = rects.open()
    return paginate(rects.order_by("due_at", "pk"), params, _rect)


@router.get(
    "/rectifications/{rect_id}/",
    response=answers({200: RectificationDetailOut}),
    summary="整改",
)
def get_rectification(request: HttpRequest, rect_id: int) -> dict[str, Any]:
    rect = access.get_rectification_for_user(request.user, rect_id)
    return {**_rect(rect), "rating": _rating(rect.rating), "appeals": _appeals(rect.rating)}


@router.post(
    "/rectifications/{rect_id}/steps/{step}/",
    response=answers({200: RectificationOut}),
    summary="整改环节:verify / fix / reply / follow_up",
)
def rectification_step(
    request: HttpRequest, rect_id: int, step: str, payload: RectStepIn
) -> dict[str, Any]:
    rect = access.get_rectification_for_user(request.user, rect_id)
    actor = acting_user(request)
    if step == "verify":
        rect = do_verify_rectification(actor, rect, note=payload.note)
    elif step == "fix":
        rect = do_fix_rectification(actor, rect, note=payload.note)
    elif step == "reply":
        rect = do_reply_rectification(actor, rect, note=payload.note)
    elif step == "follow_up":
        rect = do_follow_up_rectification(
            actor, rect, note=payload.note, second_grade=payload.second_grade or 0
        )
    else:
        raise Http404
    return _rect(access.get_rectification_for_user(request.user, rect.pk))
