"""What Open311 clients may see. Everything here is public (GET needs no key), so the
rules are narrow: a jurisdiction is an active county; services are the public items
its communities offer; requests are those filed through Open311 in that county."""

from __future__ import annotations

import re

from django.db.models import Max, QuerySet
from django.http import Http404

from shequ.lib import apikeys
from shequ.open311.models import PartnerKey, ServiceRequest
from shequ.orgs.models import OrgUnit, UnitKind
from shequ.services.models import ServiceItem

_SHORT_CODE = re.compile(r"^\d{6}$")
# Units a request can be placed in (where cases are registered), grids left out: their
# names ("第1网格") mean nothing to a caller.
PLACE_KINDS = (UnitKind.COMMUNITY, UnitKind.VILLAGE)


def get_jurisdiction(jurisdiction_id: str) -> OrgUnit:
    """The county named by its 6-digit short code (恩施市 → 422801)."""
    if not _SHORT_CODE.match(jurisdiction_id):
        raise Http404
    county = (
        OrgUnit.objects.active()
        .filter(kind=UnitKind.COUNTY, code=f"{jurisdiction_id}000000")
        .first()
    )
    if county is None:
        raise Http404
    return county


def _above_and_self(unit: OrgUnit) -> list[str]:
    step = OrgUnit.steplen
    return [unit.path[:i] for i in range(step, len(unit.path) + 1, step)]


def services_for(county: OrgUnit) -> QuerySet[ServiceItem]:
    """Items the public may file in ``county``: published for the whole county (by the
    prefecture or the county itself), active and marked 可网上申请."""
    return (
        ServiceItem.objects.filter(active=True, public=True, unit__path__in=_above_and_self(county))
        .select_related("window_type")
        .prefetch_related("materials")
        .order_by("sort_order", "code")
    )


def get_service_for(county: OrgUnit, code: str) -> ServiceItem:
    item = services_for(county).filter(code=code).first()
    if item is None:
        raise Http404
    return item


def places_in(county: OrgUnit) -> QuerySet[OrgUnit]:
    return (
        OrgUnit.objects.active()
        .filter(path__startswith=county.path, kind__in=PLACE_KINDS)
        .order_by("path")
    )


def place_key(unit: OrgUnit) -> str:
    """The ``address_id`` of a community or village: its statistical code, or ``u<id>``
    for the rural communities that have none."""
    return unit.code or f"u{unit.pk}"


def get_place(county: OrgUnit, key: str) -> OrgUnit | None:
    key = key.strip()
    places = places_in(county)
    if re.fullmatch(r"\d{12}", key):
        return places.filter(code=key).first()
    if re.fullmatch(r"u\d{1,12}", key):
        return places.filter(pk=int(key[1:]), code__isnull=True).first()
    return None


def requests_for(county: OrgUnit) -> QuerySet[ServiceRequest]:
    """Requests filed through Open311 in ``county``, with their last change."""
    return (
        ServiceRequest.objects.filter(case__unit__path__startswith=county.path)
        .select_related("case", "case__item", "case__unit", "case__handling_unit")
        .annotate(updated_at=Max("case__events__at"))
    )


def partner_for_key(api_key: str) -> PartnerKey | None:
    if not api_key:
        return None
    return PartnerKey.objects.filter(key_hash=apikeys.digest(api_key.strip()), active=True).first()
