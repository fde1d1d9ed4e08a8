"""/api/v1/services/: the catalogue (public, like the guide pages)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from shequ.services import access
from shequ.services.models import ServiceItem

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
