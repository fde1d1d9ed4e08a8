"""Communities as they stood on a day, and their compliance with the facility standards.

One function per question, shared by the pages, exports, figures and tests:
``communities_on`` (which units counted as communities on a day, with their type then),
``compliance`` (each community's state on a day: centre area, items present and
missing) and ``summary`` (the counts per child unit for a township, county or prefecture).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from shequ.building.models import (
    AreaCheck,
    AreaStandard,
    CommunityStanding,
    FacilityCheck,
    FacilityItem,
    ItemGroup,
)
from shequ.orgs.models import CommunityType, OrgUnit, UnitKind

SERVICE_HALL = "service_hall"  # the rural item that counts as "a service hall"
URBAN_TOWN = (CommunityType.URBAN, CommunityType.TOWN)


def communities_on(day: dt.date, within: OrgUnit | None = None) -> dict[int, str]:
    """``{unit id: community type}`` of the communities that counted on ``day``.

    A unit with standing rows counted only on the days a row covers, with that row's
    type; a unit without any takes the tree's own active period and type."""
    base = OrgUnit.objects.filter(kind=UnitKind.COMMUNITY)
    if within is not None:
        base = base.filter(path__startswith=within.path)
    standings = CommunityStanding.objects.filter(unit__in=base.values("pk"))
    result: dict[int, str] = dict(
        standings.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values_list("unit_id", "community_type")
    )
    unrecorded = base.active(day).exclude(pk__in=standings.values("unit_id"))
    result.update(unrecorded.values_list("pk", "community_type"))
    return result


def area_standard(day: dt.date) -> AreaStandard | None:
    return (
        AreaStandard.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )


@dataclass
class CommunityCompliance:
    unit_id: int
    community_type: str
    area_m2: Decimal | None = None
    area_ok: bool = False
    present: set[int] = field(default_factory=set)
    missing: list[FacilityItem] = field(default_factory=list)

    @property
    def urban_or_town(self) -> bool:
        return self.community_type in URBAN_TOWN

    @property
    def items_ok(self) -> bool:
        return not self.missing

    @property
    def meets_standard(self) -> bool:
        """Urban/town: the area and every "13个一" item; rural: every rural item."""
        if self.urban_or_town:
            return self.area_ok and self.items_ok
        return self.items_ok

    def has(self, item: FacilityItem) -> bool:
        return item.pk in self.present


def catalogue() -> dict[str, list[FacilityItem]]:
    items: dict[str, list[FacilityItem]] = {g: [] for g in ItemGroup.values}
    for item in FacilityItem.objects.filter(active=True).order_by("group", "sort", "pk"):
        items[item.group].append(item)
    return items


def compliance(
    day: dt.date, within: OrgUnit | None = None, *, units: dict[int, str] | None = None
) -> dict[int, CommunityCompliance]:
    """Each community's state on ``day`` (the latest check on or before it counts)."""
    units = communities_on(day, within) if units is None else units
    items = catalogue()
    standard = area_standard(day)
    result = {pk: CommunityCompliance(pk, kind) for pk, kind in units.items()}
    if not result:
        return result
    scope = Q(unit__path__startswith=within.path) if within is not None else Q()
    areas = (
        AreaCheck.objects.filter(scope, checked_on__lte=day)
        .order_by("unit_id", "checked_on", "pk")
        .values_list("unit_id", "area_m2")
    )
    for unit_id, area in areas:  # ascending: the last one seen is the latest
        if unit_id in result:
            result[unit_id].area_m2 = area
    latest: dict[tuple[int, int], bool] = {}
    checks = (
        FacilityCheck.objects.filter(scope, checked_on__lte=day, item__active=True)
        .order_by("unit_id", "item_id", "checked_on", "pk")
        .values_list("unit_id", "item_id", "present")
    )
    for unit_id, item_id, present in checks:
        latest[(unit_id, item_id)] = present
    present_by_unit: dict[int, set[int]] = defaultdict(set)
    for (unit_id, item_id), present in latest.items():
        if present:
            present_by_unit[unit_id].add(item_id)
    for row in result.values():
        row.present = present_by_unit.get(row.unit_id, set())
        if row.urban_or_town:
            row.area_ok = (
                standard is not None
                and row.area_m2 is not None
                and row.area_m2 >= standard.min_area_m2
            )
            wanted = items[ItemGroup.THIRTEEN_ONES]
        else:
            wanted = [i for i in items[ItemGroup.RURAL] if i.code != SERVICE_HALL]
        row.missing = [i for i in wanted if i.pk not in row.present]
    return result


def has_service_hall(row: CommunityCompliance, items: dict[str, list[FacilityItem]]) -> bool:
    return any(i.code == SERVICE_HALL and i.pk in row.present for i in items[ItemGroup.RURAL])


@dataclass
class Summary:
    unit: OrgUnit
    communities: int = 0
    urban: int = 0
    town: int = 0
    rural: int = 0
    area_ok: int = 0
    thirteen_ok: int = 0
    urban_town_met: int = 0
    rural_met: int = 0
    rural_with_hall: int = 0

    @property
    def urban_town(self) -> int:
        return self.urban + self.town

    @property
    def short(self) -> int:
        return self.urban_town - self.urban_town_met


def summarise(unit: OrgUnit, rows: list[CommunityCompliance], items: dict[str, list]) -> Summary:
    s = Summary(unit)
    for row in rows:
        s.communities += 1
        if row.community_type == CommunityType.URBAN:
            s.urban += 1
        elif row.community_type == CommunityType.TOWN:
            s.town += 1
        else:
            s.rural += 1
        if row.urban_or_town:
            s.area_ok += row.area_ok
            s.thirteen_ok += row.items_ok
            s.urban_town_met += row.meets_standard
        else:
            s.rural_met += row.meets_standard
            s.rural_with_hall += has_service_hall(row, items)
    return s


def summary(day: dt.date, unit: OrgUnit) -> tuple[Summary, list[Summary]]:
    """The counts for ``unit`` and for each of its children, on ``day``."""
    rows = compliance(day, unit)
    items = catalogue()
    paths = dict(OrgUnit.objects.filter(pk__in=rows.keys()).values_list("pk", "path"))
    children = list(unit.children().exclude(kind=UnitKind.GRID).order_by("path"))
    grouped: dict[int, list[CommunityCompliance]] = defaultdict(list)
    for row in rows.values():
        path = paths[row.unit_id]
        for child in children:
            if path.startswith(child.path):
                grouped[child.pk].append(row)
                break
    return summarise(unit, list(rows.values()), items), [
        summarise(child, grouped[child.pk], items) for child in children
    ]
