"""JSON API for residents, households, categories and resident units (/api/v1/people/).

The same access helpers and actions as the pages: out of scope is 404, a missing role
403, bad input 422 with Chinese messages per field. Creates accept an ``Idempotency-Key``
header (or ``client_token``): a retry returns the first result.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from shequ.orgs import access as org_access
from shequ.orgs.apiauth import IdempotencyKey, answers, client_key
from shequ.people import access, actions, masking
from shequ.people.models import Category, Household, HouseholdMember, Resident, ResidentUnit
from shequ.people.search import (
    exact_kind,
    search_resident_units,
    search_residents,
    unit_exact_kind,
)

router = Router()


class ResidentOut(Schema):
    id: int
    name: str
    gender: str
    birth_year: int | None = Field(
        description="the year only, null under one year: people.masking (issue 11)"
    )
    ethnicity: str
    id_number: str = Field(description="masked: 4228************19")
    phone: str = Field(description="masked: 138****5678")
    unit_id: int
    community_id: int
    address: str
    registration_type: str
    status: str
    status_on: dt.date | None
    household_id: int | None = None
    categories: list[str] = []


class ResidentPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ResidentOut]


class ResidentIn(Schema):
    unit_id: int
    name: str
    id_number: str = ""
    gender: str | None = None
    birth_date: dt.date | None = None
    ethnicity: str | None = None
    phone: str | None = None
    address: str = ""
    registration_type: str | None = None
    client_token: str | None = Field(None, max_length=64)


class RevealIn(Schema):
    field: str
    reason: str


class RevealOut(Schema):
    field: str
    value: str


class MemberOut(Schema):
    resident: ResidentOut
    relation: str


class HouseholdOut(Schema):
    id: int
    number: str
    address: str
    unit_id: int
    community_id: int
    members: list[MemberOut]


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    has_level: bool
    active: bool


class SearchParams(Schema):
    q: str = ""
    category: str = ""
    unit: int | None = Field(None, ge=1, le=2**63 - 1)
    status: str = ""
    registration_type: str = ""
    page: int = Field(1, ge=1, le=100_000)  # a bigger page overflows the OFFSET
    page_size: int = Field(50, ge=1, le=200)


class ResidentLookupIn(SearchParams):
    q: str = Field(..., max_length=40, description="完整身份证号或手机号")


def _out(r: Resident, *, categories: list[str] | None = None) -> dict[str, Any]:
    membership = getattr(r, "membership", None) if hasattr(r, "membership") else None
    return {
        "id": r.pk,
        "name": r.name,
        "gender": r.gender,
        "birth_year": masking.birth_year(r),
        "ethnicity": r.ethnicity,
        "id_number": r.id_number_masked,
        "phone": r.phone_masked,
        "unit_id": r.unit_id,
        "community_id": r.community_id,
        "address": r.address,
        "registration_type": r.registration_type,
        "status": r.status,
        "status_on": r.status_on,
        "household_id": membership.household_id if membership is not None else None,
        "categories": categories or [],
    }


def _error(error: ValidationError) -> Status[dict[str, Any]]:
    if hasattr(error, "error_dict"):
        return Status(422, {"detail": _("输入有误。"), "errors": error.message_dict})
    return Status(422, {"detail": " ".join(error.messages), "errors": {}})


def _forbidden(error: PermissionDenied) -> Status[dict[str, Any]]:
    return Status(403, {"detail": str(error) or _("无权操作。"), "errors": {}})


def _search(request: HttpRequest, params: SearchParams) -> dict[str, Any]:
    unit = org_access.get_unit_for_user(request.user, params.unit) if params.unit else None
    category = None
    if params.category:
        category = Category.objects.filter(code=params.category).first()
        if category is None:
            return {"count": 0, "page": params.page, "page_size": params.page_size, "items": []}
    qs = search_residents(
        request.user,
        q=params.q,
        category=category,
        unit=unit,
        status=params.status,
        registration_type=params.registration_type,
    )
    start = (params.page - 1) * params.page_size
    rows = list(qs.select_related("membership")[start : start + params.page_size])
    return {
        "count": qs.count(),
        "page": params.page,
        "page_size": params.page_size,
        "items": [_out(r) for r in rows],
    }


@router.get("/residents", response=answers({200: ResidentPage}))
def list_residents(
    request: HttpRequest, params: Query[SearchParams]
) -> dict[str, Any] | Status[dict[str, Any]]:
    """By name, pinyin initials, category, unit. A full ID number or mobile in ``q`` is
    refused (422): it would stay in the server's access log; ``POST residents/lookup``
    takes it in the body."""
    if exact_kind(params.q):
        message = _("身份证号和手机号请用 POST residents/lookup 在请求体中提交,不要写在网址里。")
        return Status(422, {"detail": message, "errors": {"q": [message]}})
    return _search(request, params)


@router.post("/residents/lookup", response=answers({200: ResidentPage}))
def lookup_residents(request: HttpRequest, payload: ResidentLookupIn) -> dict[str, Any]:
    """Find residents by a full ID number or mobile, sent in the body so that it never
    reaches a URL or an access log. Each exact lookup writes an event (who looked up
    whom, or that nothing matched) and counts against the caller's lookup limit (429
    past it); any other ``q`` searches as the list does."""
    return _search(request, payload)


@router.get("/residents/{resident_id}", response=answers({200: ResidentOut}))
def get_resident(request: HttpRequest, resident_id: int) -> dict[str, Any]:
    r = access.get_resident_for_user(request.user, resident_id)
    names = list(
        r.categories.valid_on(timezone.localdate()).values_list("category__code", flat=True)
    )
    return _out(r, categories=names)


@router.post("/residents", response=answers({201: ResidentOut}))
def create_resident(
    request: HttpRequest, payload: ResidentIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    unit = access.get_target_unit_for_user(request.user, payload.unit_id)
    token = client_key(idempotency_key, payload.client_token)
    try:
        r = actions.do_register_resident(
            org_access.acting_user(request),
            unit=unit,
            name=payload.name,
            id_number=payload.id_number,
            gender=payload.gender,
            birth_date=payload.birth_date,
            ethnicity=payload.ethnicity,
            phone=payload.phone,
            address=payload.address,
            registration_type=payload.registration_type,
            client_token=token,
        )
    except actions.DuplicateResident as error:
        response = _error(error)
        if error.existing is not None:
            response.value["errors"]["existing_id"] = [str(error.existing.pk)]
        return response
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        return _forbidden(error)
    return Status(201, _out(r))


@router.put("/residents/{resident_id}", response=answers({200: ResidentOut}))
def update_resident(
    request: HttpRequest, resident_id: int, payload: ResidentIn
) -> Status[dict[str, Any]]:
    r = access.get_resident_for_user(request.user, resident_id, write=True)
    unit = access.get_target_unit_for_user(request.user, payload.unit_id)
    try:
        r = actions.do_update_resident(
            org_access.acting_user(request),
            r,
            unit=unit,
            name=payload.name,
            id_number=payload.id_number,
            gender=payload.gender,
            birth_date=payload.birth_date,
            ethnicity=payload.ethnicity,
            phone=payload.phone,
            address=payload.address,
            registration_type=payload.registration_type,
        )
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        return _forbidden(error)
    return Status(200, _out(r))


@router.post("/residents/{resident_id}/reveal", response=answers({200: RevealOut}))
def reveal(request: HttpRequest, resident_id: int, payload: RevealIn) -> Status[dict[str, Any]]:
    r = access.get_resident_for_user(request.user, resident_id)
    try:
        value = actions.do_reveal_resident_field(
            org_access.acting_user(request),
            r,
            field=payload.field,
            reason=payload.reason,
        )
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        return _forbidden(error)
    return Status(200, {"field": payload.field, "value": value})


@router.get("/households/{household_id}", response=answers({200: HouseholdOut}))
def get_household(request: HttpRequest, household_id: int) -> dict[str, Any]:
    h: Household = access.get_household_for_user(request.user, household_id)
    members = HouseholdMember.objects.filter(household=h).select_related("resident")
    return {
        "id": h.pk,
        "number": h.number,
        "address": h.address,
        "unit_id": h.unit_id,
        "community_id": h.community_id,
        "members": [
            {"resident": _out(m.resident), "relation": m.relation} for m in members.order_by("pk")
        ],
    }


@router.get("/categories", response=answers({200: list[CategoryOut]}))
def list_categories(request: HttpRequest) -> list[Category]:
    return list(Category.objects.all())


# --- resident units (驻区单位) -------------------------------------------------------------


class ResidentUnitOut(Schema):
    id: int
    name: str
    credit_code: str
    registration_authority: str
    trade: str
    size: str
    unit_id: int
    community_id: int
    address: str
    contact_name: str
    contact_phone: str = Field(description="masked: 138****5678")
    co_building: bool
    status: str
    status_on: dt.date | None


class ResidentUnitPage(Schema):
    count: int
    page: int
    page_size: int
    items: list[ResidentUnitOut]


class ResidentUnitIn(Schema):
    unit_id: int
    name: str
    credit_code: str
    trade: str
    size: str
    address: str = ""
    contact_name: str = ""
    contact_phone: str = Field("", description="the full mobile; blank removes it on update")
    co_building: bool = False
    client_token: str | None = Field(None, max_length=64)


class ResidentUnitParams(Schema):
    q: str = Field("", description="名称、统一社会信用代码或联系人手机")
    unit: int | None = Field(None, ge=1, le=2**63 - 1)
    trade: str = ""
    status: str = ""
    co_building: bool = False
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class ResidentUnitLookupIn(ResidentUnitParams):
    q: str = Field(..., max_length=40, description="联系人完整手机号")


class ReasonIn(Schema):
    reason: str


def _unit_out(ru: ResidentUnit) -> dict[str, Any]:
    return {
        "id": ru.pk,
        "name": ru.name,
        "credit_code": ru.credit_code,
        "registration_authority": ru.registration_authority,
        "trade": ru.trade,
        "size": ru.size,
        "unit_id": ru.unit_id,
        "community_id": ru.community_id,
        "address": ru.address,
        "contact_name": ru.contact_name,
        "contact_phone": ru.contact_phone_masked,
        "co_building": ru.co_building,
        "status": ru.status,
        "status_on": ru.status_on,
    }


def _search_units(request: HttpRequest, params: ResidentUnitParams) -> dict[str, Any]:
    unit = org_access.get_unit_for_user(request.user, params.unit) if params.unit else None
    qs = search_resident_units(
        request.user,
        q=params.q,
        unit=unit,
        trade=params.trade,
        status=params.status,
        co_building=params.co_building,
    )
    start = (params.page - 1) * params.page_size
    rows = list(qs[start : start + params.page_size])
    return {
        "count": qs.count(),
        "page": params.page,
        "page_size": params.page_size,
        "items": [_unit_out(ru) for ru in rows],
    }


@router.get("/resident-units", response=answers({200: ResidentUnitPage}), summary="驻区单位列表")
def list_resident_units(
    request: HttpRequest, params: Query[ResidentUnitParams]
) -> dict[str, Any] | Status[dict[str, Any]]:
    """By name, credit code, unit, trade, status. A contact's full mobile in ``q`` is
    refused (422): it would stay in the server's access log; ``POST resident-units/lookup``
    takes it in the body."""
    if unit_exact_kind(params.q):
        message = _("手机号请用 POST resident-units/lookup 在请求体中提交,不要写在网址里。")
        return Status(422, {"detail": message, "errors": {"q": [message]}})
    return _search_units(request, params)


@router.post(
    "/resident-units/lookup",
    response=answers({200: ResidentUnitPage}),
    summary="按联系人手机号查找驻区单位(记录)",
)
def lookup_resident_units(request: HttpRequest, payload: ResidentUnitLookupIn) -> dict[str, Any]:
    """Find resident units by their contact's full mobile, sent in the body so that it
    never reaches a URL or an access log. Each such lookup writes an event (who found
    which units, or that nothing matched) and counts against the caller's lookup limit,
    shared with resident lookups (429 past it); any other ``q`` searches as the list does."""
    return _search_units(request, payload)


@router.get(
    "/resident-units/{resident_unit_id}",
    response=answers({200: ResidentUnitOut}),
    summary="驻区单位",
)
def get_resident_unit(request: HttpRequest, resident_unit_id: int) -> dict[str, Any]:
    return _unit_out(access.get_resident_unit_for_user(request.user, resident_unit_id))


@router.post(
    "/resident-units",
    response=answers({201: ResidentUnitOut}),
    summary="登记驻区单位",
)
def create_resident_unit(
    request: HttpRequest, payload: ResidentUnitIn, idempotency_key: IdempotencyKey = None
) -> Status[dict[str, Any]]:
    """A retry with the same ``Idempotency-Key`` header (or ``client_token``) returns the
    first unit and creates nothing."""
    unit = access.get_target_unit_for_user(request.user, payload.unit_id)
    try:
        ru = actions.do_register_resident_unit(
            org_access.acting_user(request),
            unit=unit,
            name=payload.name,
            credit_code=payload.credit_code,
            trade=payload.trade,
            size=payload.size,
            address=payload.address,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            co_building=payload.co_building,
            client_token=client_key(idempotency_key, payload.client_token),
        )
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        return _forbidden(error)
    return Status(201, _unit_out(ru))


@router.put(
    "/resident-units/{resident_unit_id}",
    response=answers({200: ResidentUnitOut}),
    summary="修改驻区单位",
)
def update_resident_unit(
    request: HttpRequest, resident_unit_id: int, payload: ResidentUnitIn
) -> Status[dict[str, Any]]:
    ru = access.get_resident_unit_for_user(request.user, resident_unit_id, write=True)
    unit = access.get_target_unit_for_user(request.user, payload.unit_id)
    try:
        ru = actions.do_update_resident_unit(
            org_access.acting_user(request),
            ru,
            unit=unit,
            name=payload.name,
            credit_code=payload.credit_code,
            trade=payload.trade,
            size=payload.size,
            address=payload.address,
            contact_name=payload.contact_name,
            contact_phone=payload.contact_phone,
            co_building=payload.co_building,
        )
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        return _forbidden(error)
    return Status(200, _unit_out(ru))


@router.post(
    "/resident-units/{resident_unit_id}/reveal",
    response=answers({200: RevealOut}),
    summary="查看驻区单位联系人完整手机号(记录)",
)
def reveal_resident_unit(
    request: HttpRequest, resident_unit_id: int, payload: ReasonIn
) -> Status[dict[str, Any]]:
    ru = access.get_resident_unit_for_user(request.user, resident_unit_id)
    try:
        value = actions.do_reveal_resident_unit_contact(
            org_access.acting_user(request), ru, reason=payload.reason
        )
    except ValidationError as error:
        return _error(error)
    except PermissionDenied as error:
        return _forbidden(error)
    return Status(200, {"field": "contact_phone", "value": value})
