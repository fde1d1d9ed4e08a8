"""/api/v1/agency/: stations, authorisations (with the eligibility check), agency cases
with their handover receipts, village points with their remote matters and commercial
services. The same access helpers and actions as the agency pages; phones masked as
there. Scans (the signed form, a matter's materials) are sent as multipart files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status

from shequ.agency import access, actions
from shequ.agency.models import (
    AgencyCase,
    AgencyStation,
    Authorization,
    CommercialService,
    Handover,
    HandoverKind,
    RemoteMatter,
    VillagePoint,
)
from shequ.orgs import access as org_access
from shequ.orgs.access import MAX_PK, acting_user
from shequ.orgs.apiauth import IdempotencyKey, PageIn, answers, client_key, paginate
from shequ.people.access import get_resident_for_user
from shequ.services.models import Case, ServiceItem

router = Router()


def _invalid(field: str, message: str) -> Status[dict[str, Any]]:
    return Status(422, {"detail": _("输入有误。"), "errors": {field: [message]}})


def _items(codes: list[str], **flags: bool) -> list[ServiceItem] | None:
    """The active catalogue items named by ``codes``, or None if one is unknown."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = {i.code: i for i in ServiceItem.objects.filter(active=True, code__in=wanted, **flags)}
    if len(found) != len(wanted):
        return None
    return [found[c] for c in wanted]


# --- stations -------------------------------------------------------------------------


class StationOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    kind: str
    name: str
    address: str
    hotline: str
    active: bool
    agents: list[int] = Field(description="代办员岗位的人员编号")


class StationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[StationOut]


class StationParams(PageIn):
    kind: str = ""
    active: bool | None = None


def _station(s: AgencyStation) -> dict[str, Any]:
    return {
        "id": s.pk,
        "unit_id": s.unit_id,
        "unit_name": s.unit.name,
        "kind": s.kind,
        "name": s.name,
        "address": s.address,
        "hotline": s.hotline,
        "active": s.active,
        "agents": sorted({p.user_id for p in s.agents.all()}),
    }


@router.get("/stations", response=answers({200: StationPage}), summary="代理站点")
def list_stations(request: HttpRequest, params: Query[StationParams]) -> dict[str, Any]:
    stations = access.stations_for_user(request.user).prefetch_related("agents")
    if params.kind:
        stations = stations.filter(kind=params.kind)
    if params.active is not None:
        stations = stations.filter(active=params.active)
    return paginate(stations.order_by("unit__path", "kind", "name", "pk"), params, _station)


@router.get("/stations/{station_id}", response=answers({200: StationOut}), summary="代理站点")
def get_station(request: HttpRequest, station_id: int) -> dict[str, Any]:
    return _station(access.get_station_for_user(request.user, station_id))


# --- authorisations -------------------------------------------------------------------


class AuthorizationOut(Schema):
    id: int
    unit_id: int
    resident_id: int
    resident_name: str
    station_id: int
    agent_id: int
    agent_name: str
    channel: str
    all_items: bool
    items: list[str] = Field(description="委托事项编码(全部事项时为空)")
    valid_from: dt.date
    valid_until: dt.date
    categories: list[str] = Field(description="授权时的救助类别")
    family_name: str
    family_phone: str = Field(description="masked: 139****1234")
    status: str
    revoked_at: dt.datetime | None
    revoke_reason: str
    created_at: dt.datetime
    problem: str = Field(description="今天不能据此登记代理件的原因;可以时为空")


class AuthorizationPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AuthorizationOut]


class AuthorizationParams(PageIn):
    status: str = ""
    station: int | None = Field(None, ge=1, le=MAX_PK)
    resident: int | None = Field(None, ge=1, le=MAX_PK)
    agent: int | None = Field(None, ge=1, le=MAX_PK)


class AuthorizationIn(Schema):
    station_id: int = Field(ge=1, le=MAX_PK)
    resident_id: int = Field(ge=1, le=MAX_PK)
    agent_id: int = Field(ge=1, le=MAX_PK, description="本社区在岗代办员的人员编号")
    channel: str = Field(description="station 到站点登记 / hotline 服务热线登记")
    valid_until: dt.date
    all_items: bool = False
    items: list[str] = Field([], description="委托事项编码")
    family_name: str = Field("", max_length=50)
    family_phone: str = Field("", max_length=20)
    client_token: str | None = Field(None, max_length=64)


class EligibilityOut(Schema):
    resident_id: int
    station_id: int
    eligible: bool
    categories: list[str]
    problem: str


class AgencyReasonIn(Schema):
    reason: str = Field(max_length=200)


def _authorization(a: Authorization) -> dict[str, Any]:
    return {
        "id": a.pk,
        "unit_id": a.unit_id,
        "resident_id": a.resident_id,
        "resident_name": a.resident.name,
        "station_id": a.station_id,
        "agent_id": a.agent_id,
        "agent_name": a.agent.full_name or a.agent.username,
        "channel": a.channel,
        "all_items": a.all_items,
        "items": [] if a.all_items else sorted(i.code for i in a.items.all()),
        "valid_from": a.valid_from,
        "valid_until": a.valid_until,
        "categories": list(a.categories),
        "family_name": a.family_name,
        "family_phone": a.family_phone_masked,
        "status": a.status,
        "revoked_at": a.revoked_at,
        "revoke_reason": a.revoke_reason,
        "created_at": a.created_at,
        "problem": actions.authorization_problem(a, []),
    }


@router.get("/authorizations", response=answers({200: AuthorizationPage}), summary="授权委托")
def list_authorizations(request: HttpRequest, params: Query[AuthorizationParams]) -> dict[str, Any]:
    auths = access.authorizations_for_user(request.user).prefetch_related("items")
    if params.status:
        auths = auths.filter(status=params.status)
    if params.station is not None:
        auths = auths.filter(station_id=params.station)
    if params.resident is not None:
        auths = auths.filter(resident_id=params.resident)
    if params.agent is not None:
        auths = auths.filter(agent_id=params.agent)
    return paginate(auths.order_by("-created_at", "-pk"), params, _authorization)


@router.get(
    "/authorizations/{auth_id}", response=answers({200: AuthorizationOut}), summary="授权委托"
)
def get_authorization(request: HttpRequest, auth_id: int) -> dict[str, Any]:
    return _authorization(access.get_authorization_for_user(request.user, auth_id))


@router.get(
    "/stations/{station_id}/eligibility/{resident_id}",
    response=answers({200: EligibilityOut}),
    summary="可否登记授权(资格核对)",
)
def eligibility(request: HttpRequest, station_id: int, resident_id: int) -> dict[str, Any]:
    """The check the registration makes: a living resident of the station's community in
    an agency-eligible category (特困、残疾、孤寡老人 …) on today's register."""
    station = access.get_station_for_user(request.user, station_id)
    resident = get_resident_for_user(request.user, resident_id)
    problem = actions.eligibility_problem(resident, station.unit)
    return {
        "resident_id": resident.pk,
        "station_id": station.pk,
        "eligible": not problem,
        "categories": actions.eligible_categories(resident),
        "problem": problem,
    }


@router.post("/authorizations", response=answers({201: AuthorizationOut}), summary="登记授权委托")
def create_authorization(
    request: HttpRequest,
    payload: Form[AuthorizationIn],
    form_scan: File[UploadedFile],
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    """multipart/form-data with the signed form's scan (PDF, JPG or PNG) as ``form_scan``.
    Eligibility is checked against the registry now (see the eligibility operation)."""
    station = access.get_station_for_user(request.user, payload.station_id)
    resident = get_resident_for_user(request.user, payload.resident_id)
    agent = org_access.staff_for_user(request.user).filter(pk=payload.agent_id).first()
    if agent is None:
        return _invalid("agent_id", _("请选择本社区在岗的代办员。"))
    items = _items(payload.items)
    if items is None:
        return _invalid("items", _("没有这个事项。"))
    auth = actions.do_register_authorization(
        acting_user(request),
        station=station,
        resident=resident,
        agent=agent,
        channel=payload.channel,
        valid_until=payload.valid_until,
        form_scan=form_scan,
        items=items,
        all_items=payload.all_items,
        family_name=payload.family_name,
        family_phone=payload.family_phone,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _authorization(access.get_authorization_for_user(request.user, auth.pk)))


@router.post(
    "/authorizations/{auth_id}/revoke",
    response=answers({200: AuthorizationOut}),
    summary="撤销授权",
)
def revoke_authorization(
    request: HttpRequest, auth_id: int, payload: AgencyReasonIn
) -> dict[str, Any]:
    auth = access.get_authorization_for_user(request.user, auth_id)
    actions.do_revoke_authorization(acting_user(request), auth, reason=payload.reason)
    return _authorization(access.get_authorization_for_user(request.user, auth.pk))


# --- agency cases and handover receipts ----------------------------------------------


class AgencyItemOut(Schema):
    case_id: int
    number: str
    item: str
    status: str
    handling_unit_id: int
    due_at: dt.datetime | None
    completed_at: dt.datetime | None
    result: str


class HandoverOut(Schema):
    id: int
    receipt_number: str
    agency_case_id: int | None
    case_id: int | None
    kind: str
    from_party: str
    to_party: str
    documents: list[str]
    at: dt.datetime


class AgencyCaseOut(Schema):
    id: int
    unit_id: int
    authorization_id: int
    resident_id: int
    resident_name: str
    agent_id: int
    summary: str
    status: str
    created_at: dt.datetime
    completed_at: dt.datetime | None
    items: list[AgencyItemOut]


class AgencyCaseDetailOut(AgencyCaseOut):
    handovers: list[HandoverOut]


class AgencyCasePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[AgencyCaseOut]


class AgencyCaseParams(PageIn):
    status: str = ""
    mine: bool = Field(False, description="只列我代办的")
    authorization: int | None = Field(None, ge=1, le=MAX_PK)


class AgencyCaseIn(Schema):
    authorization_id: int = Field(ge=1, le=MAX_PK)
    items: list[str] = Field(description="代办事项编码")
    summary: str = Field("", max_length=2000)
    client_token: str | None = Field(None, max_length=64)


class HandoverIn(Schema):
    kind: str = Field(
        description="collect_materials / submit_materials / collect_result / return_result"
    )
    from_party: str = Field(max_length=100)
    to_party: str = Field(max_length=100)
    documents: list[str] = Field(description="交接材料")
    case_id: int | None = Field(None, ge=1, le=MAX_PK, description="所涉办件(可空)")
    client_token: str | None = Field(None, max_length=64)


class ResultIn(Schema):
    result: str = Field(max_length=2000)


def _case_item(c: Case) -> dict[str, Any]:
    return {
        "case_id": c.pk,
        "number": c.number or "",
        "item": c.item.code,
        "status": c.status,
        "handling_unit_id": c.handling_unit_id,
        "due_at": c.due_at,
        "completed_at": c.completed_at,
        "result": c.result,
    }


def _handover(h: Handover) -> dict[str, Any]:
    return {
        "id": h.pk,
        "receipt_number": h.receipt_number,
        "agency_case_id": h.agency_case_id,
        "case_id": h.case_id,
        "kind": h.kind,
        "from_party": h.from_party,
        "to_party": h.to_party,
        "documents": [str(d) for d in h.documents],
        "at": h.at,
    }


def _agency_case(ac: AgencyCase) -> dict[str, Any]:
    rows = sorted(ac.items.all(), key=lambda row: row.case_id)
    return {
        "id": ac.pk,
        "unit_id": ac.unit_id,
        "authorization_id": ac.authorization_id,
        "resident_id": ac.authorization.resident_id,
        "resident_name": ac.authorization.resident.name,
        "agent_id": ac.agent_id,
        "summary": ac.summary,
        "status": ac.status,
        "created_at": ac.created_at,
        "completed_at": ac.completed_at,
        "items": [_case_item(row.case) for row in rows],
    }


def _agency_case_detail(ac: AgencyCase) -> dict[str, Any]:
    return {
        **_agency_case(ac),
        "handovers": [_handover(h) for h in ac.handovers.order_by("at", "pk")],
    }


def _with_items(cases: Any) -> Any:
    return cases.prefetch_related("items__case__item")


@router.get("/cases", response=answers({200: AgencyCasePage}), summary="代理件")
def list_agency_cases(request: HttpRequest, params: Query[AgencyCaseParams]) -> dict[str, Any]:
    cases = _with_items(access.agency_cases_for_user(request.user))
    if params.status:
        cases = cases.filter(status=params.status)
    if params.mine:
        cases = cases.filter(agent_id=request.user.pk)
    if params.authorization is not None:
        cases = cases.filter(authorization_id=params.authorization)
    return paginate(cases.order_by("-created_at", "-pk"), params, _agency_case)


@router.get("/cases/{case_id}", response=answers({200: AgencyCaseDetailOut}), summary="代理件")
def get_agency_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _agency_case_detail(access.get_agency_case_for_user(request.user, case_id))


@router.post("/cases", response=answers({201: AgencyCaseDetailOut}), summary="登记代理件")
def create_agency_case(
    request: HttpRequest, payload: AgencyCaseIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """Each item becomes a services case on the agency channel, within the authorisation."""
    auth = access.get_authorization_for_user(request.user, payload.authorization_id)
    items = _items(payload.items, agency_allowed=True)
    if items is None:
        return _invalid("items", _("没有这个事项。"))
    ac = actions.do_open_agency_case(
        acting_user(request),
        authorization=auth,
        items=items,
        summary=payload.summary,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _agency_case_detail(access.get_agency_case_for_user(request.user, ac.pk)))


@router.post(
    "/cases/{case_id}/handovers",
    response=answers({201: HandoverOut}),
    summary="登记交接(生成回执)",
)
def record_handover(
    request: HttpRequest, case_id: int, payload: HandoverIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    ac = access.get_agency_case_for_user(request.user, case_id)
    case = None
    if payload.case_id is not None:
        case = Case.objects.filter(agency_item__agency_case=ac, pk=payload.case_id).first()
        if case is None:
            return _invalid("case_id", _("该办件不属于本代理件。"))
    handover = actions.do_record_handover(
        acting_user(request),
        ac,
        kind=payload.kind,
        from_party=payload.from_party,
        to_party=payload.to_party,
        documents=payload.documents,
        case=case,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _handover(handover))


@router.post(
    "/cases/{case_id}/items/{item_case_id}/complete",
    response=answers({200: AgencyCaseDetailOut}),
    summary="办结代理事项",
)
def complete_item(
    request: HttpRequest, case_id: int, item_case_id: int, payload: ResultIn
) -> dict[str, Any]:
    ac = access.get_agency_case_for_user(request.user, case_id)
    case = Case.objects.filter(agency_item__agency_case=ac, pk=org_access.parse_pk(item_case_id))
    found = case.select_related("item", "unit").first()
    if found is None:
        raise Http404
    actions.do_complete_agency_item(acting_user(request), ac, found, result=payload.result)
    return _agency_case_detail(access.get_agency_case_for_user(request.user, ac.pk))


# --- village points, remote matters, commercial services -----------------------------


class PointOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    name: str
    has_fibre: bool
    operator_post_id: int | None
    opening_hours: str
    fare_yuan: Decimal | None
    lost_work_yuan: Decimal | None
    opened_on: dt.date
    active: bool
    matters: int


class PointPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[PointOut]


class PointParams(PageIn):
    active: bool | None = None
    q: str = Field("", max_length=100, description="名称")


class MatterOut(Schema):
    id: int
    point_id: int
    case_id: int
    number: str
    item: str
    status: str
    applicant_name: str
    contact_phone: str = Field(description="masked: 139****1234")
    handling_unit_id: int
    received_at: dt.datetime
    completed_at: dt.datetime | None
    result: str
    handed_over_at: dt.datetime | None


class MatterPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[MatterOut]


class MatterParams(PageIn):
    status: str = ""
    waiting_hand_over: bool = Field(False, description="结果已返回、尚未交付")


class MatterIn(Schema):
    item: str = Field(max_length=20, description="事项编码(村级服务点可办)")
    villager_name: str = Field(max_length=50)
    villager_phone: str = Field("", max_length=20)
    summary: str = Field("", max_length=2000)
    client_token: str | None = Field(None, max_length=64)


class CommerceOut(Schema):
    id: int
    point_id: int
    kind: str
    amount_yuan: Decimal
    note: str
    at: dt.datetime


class CommercePage(Schema):
    count: int
    page: int
    page_size: int
    items: list[CommerceOut]


class CommerceParams(PageIn):
    kind: str = ""


class CommerceIn(Schema):
    kind: str = Field(description="payment / purchase / sale / parcel / other")
    amount_yuan: Decimal = Field(ge=0, lt=10**10, max_digits=12, decimal_places=2)
    note: str = Field("", max_length=200)
    client_token: str | None = Field(None, max_length=64)


def _point(p: VillagePoint) -> dict[str, Any]:
    return {
        "id": p.pk,
        "unit_id": p.unit_id,
        "unit_name": p.unit.name,
        "name": p.name,
        "has_fibre": p.has_fibre,
        "operator_post_id": p.operator_id,
        "opening_hours": p.opening_hours,
        "fare_yuan": p.fare_yuan,
        "lost_work_yuan": p.lost_work_yuan,
        "opened_on": p.opened_on,
        "active": p.active,
        "matters": getattr(p, "n_matters", None) or p.matters.count(),
    }


def _matter(m: RemoteMatter) -> dict[str, Any]:
    c = m.case
    return {
        "id": m.pk,
        "point_id": m.point_id,
        "case_id": c.pk,
        "number": c.number or "",
        "item": c.item.code,
        "status": c.status,
        "applicant_name": c.applicant_name,
        "contact_phone": c.contact_phone_masked,
        "handling_unit_id": c.handling_unit_id,
        "received_at": c.received_at,
        "completed_at": c.completed_at,
        "result": c.result,
        "handed_over_at": m.handed_over_at,
    }


def _commerce(s: CommercialService) -> dict[str, Any]:
    return {
        "id": s.pk,
        "point_id": s.point_id,
        "kind": s.kind,
        "amount_yuan": s.amount_yuan,
        "note": s.note,
        "at": s.at,
    }


@router.get("/points", response=answers({200: PointPage}), summary="村级服务点")
def list_points(request: HttpRequest, params: Query[PointParams]) -> dict[str, Any]:
    points = access.points_for_user(request.user).annotate(n_matters=Count("matters"))
    if params.active is not None:
        points = points.filter(active=params.active)
    if params.q.strip():
        points = points.filter(name__contains=params.q.strip())
    return paginate(points.order_by("unit__path", "pk"), params, _point)


@router.get("/points/{point_id}", response=answers({200: PointOut}), summary="村级服务点")
def get_point(request: HttpRequest, point_id: int) -> dict[str, Any]:
    return _point(access.get_point_for_user(request.user, point_id))


@router.get(
    "/points/{point_id}/matters", response=answers({200: MatterPage}), summary="远程审批事项"
)
def list_matters(
    request: HttpRequest, point_id: int, params: Query[MatterParams]
) -> dict[str, Any]:
    point = access.get_point_for_user(request.user, point_id)
    matters = RemoteMatter.objects.filter(point=point).select_related(
        "case__item", "case__resident"
    )
    if params.status:
        matters = matters.filter(case__status=params.status)
    if params.waiting_hand_over:
        matters = matters.filter(handed_over_at__isnull=True).exclude(
            case__completed_at__isnull=True
        )
    return paginate(matters.order_by("-pk"), params, _matter)


@router.get("/matters/{matter_id}", response=answers({200: MatterOut}), summary="远程审批事项")
def get_matter(request: HttpRequest, matter_id: int) -> dict[str, Any]:
    return _matter(access.get_matter_for_user(request.user, matter_id))


@router.post(
    "/points/{point_id}/matters",
    response=answers({201: MatterOut}),
    summary="服务点远程报送事项",
)
def file_matter(
    request: HttpRequest,
    point_id: int,
    payload: Form[MatterIn],
    scan: File[UploadedFile],
    idempotency_key: IdempotencyKey = None,
) -> Status[dict[str, Any]]:
    """multipart/form-data with the materials' scan as ``scan``: registered and accepted
    at the village and sent up to the township or county queue, as on the point page."""
    point = access.get_point_for_user(request.user, point_id)
    items = _items([payload.item], village_point_allowed=True)
    if not items:
        return _invalid("item", _("没有这个事项。"))
    matter = actions.do_file_remote_matter(
        acting_user(request),
        point,
        item=items[0],
        scan=scan,
        villager_name=payload.villager_name,
        villager_phone=payload.villager_phone,
        summary=payload.summary,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _matter(access.get_matter_for_user(request.user, matter.pk)))


@router.post(
    "/matters/{matter_id}/hand-over",
    response=answers({200: HandoverOut, 201: HandoverOut}),
    summary="交付办理结果(生成回执)",
)
def hand_over_matter(
    request: HttpRequest, matter_id: int, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """A result is handed over once: a retry (with or without the same key) answers 200
    with the first receipt."""
    matter = access.get_matter_for_user(request.user, matter_id)
    if matter.handed_over_at is not None:
        first = (
            Handover.objects.filter(case_id=matter.case_id, kind=HandoverKind.POINT_RESULT)
            .order_by("pk")
            .first()
        )
        if first is not None:
            return Status(200, _handover(first))
    handover = actions.do_hand_over_remote_result(acting_user(request), matter)
    return Status(201, _handover(handover))


@router.get(
    "/points/{point_id}/commerce", response=answers({200: CommercePage}), summary="商务服务"
)
def list_commerce(
    request: HttpRequest, point_id: int, params: Query[CommerceParams]
) -> dict[str, Any]:
    point = access.get_point_for_user(request.user, point_id)
    rows = CommercialService.objects.filter(point=point)
    if params.kind:
        rows = rows.filter(kind=params.kind)
    return paginate(rows.order_by("-at", "-pk"), params, _commerce)


@router.post(
    "/points/{point_id}/commerce", response=answers({201: CommerceOut}), summary="登记商务服务"
)
def record_commerce(
    request: HttpRequest, point_id: int, payload: CommerceIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    point = access.get_point_for_user(request.user, point_id)
    service = actions.do_record_commercial_service(
        acting_user(request),
        point,
        kind=payload.kind,
        amount_yuan=payload.amount_yuan,
        note=payload.note,
        client_token=client_key(idempotency_key, payload.client_token),
    )
    return Status(201, _commerce(service))
