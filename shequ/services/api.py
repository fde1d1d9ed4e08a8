"""/api/v1/services/: the catalogue (public, like the guide pages) and cases (signed
in, scoped like the pages: out of scope 404, a missing role 403, bad input or a lost race
422 with Chinese messages per field)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from shequ.orgs.access import acting_user, get_unit_for_user
from shequ.people.access import get_resident_for_user
from shequ.services import access, lifecycle
from shequ.services.actions import StepInput, do_case_step, do_receive_case
from shequ.services.lifecycle import Step
from shequ.services.models import Case, ServiceItem

router = Router()

# Pages beyond this would overflow the database's OFFSET; 50 rows a page.
MAX_PAGE = 100_000


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


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


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
    client_token: str | None = None


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


@router.get("/cases/", response=CasePage, summary="办件列表")
def list_cases(
    request: HttpRequest,
    status: str | None = None,
    overdue: bool = False,
    page: Annotated[int, Field(ge=1, le=MAX_PAGE)] = 1,
) -> dict[str, Any]:
    cases = lifecycle.with_step_facts(access.cases_for_user(request.user)).select_related(
        "resident"
    )
    if overdue:
        cases = cases.overdue()
    if status:
        cases = cases.filter(status=status)
    rows = list(cases.order_by("-received_at", "-pk")[(page - 1) * 50 : page * 50])
    return {
        "count": cases.count(),
        "page": page,
        "items": [_case_out(c, request.user) for c in rows],
    }


@router.get("/cases/{case_id}/", response=CaseDetailOut, summary="办件详情")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = access.get_case_for_user(request.user, case_id)
    events = [
        {"at": e.at, "verb": e.verb, "status": e.status, "note": e.note} for e in case.events.all()
    ]
    return {**_case_out(case, request.user), "events": events}


@router.post("/cases/", response={201: CaseOut, 403: ErrorOut, 422: ErrorOut}, summary="登记办件")
def create_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    """A retry with the same ``Idempotency-Key`` header (or ``client_token``) returns the
    first case and creates nothing."""
    unit = get_unit_for_user(request.user, payload.unit_id)
    item = access.items_for_user(request.user).filter(code=payload.item).first()
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
            client_token=request.headers.get("Idempotency-Key") or payload.client_token,
        )
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        return _forbidden(error)
    return Status(201, _case_out(case, request.user))


@router.post(
    "/cases/{case_id}/steps/{step}/",
    response={200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
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
