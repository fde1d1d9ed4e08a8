"""The rollup finds a case's community by unit kind, not by a fixed depth: the same code
holds for a tree with a province above the prefectures (communities one level deeper)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from shequ.insights import rates
from shequ.insights.models import RateRollup
from shequ.orgs.models import CommunityType, OrgUnit, UnitKind
from shequ.services.actions import do_receive_case
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import ServiceItem

pytestmark = pytest.mark.django_db


def _child(parent: OrgUnit, name: str, kind: str, **fields: str) -> OrgUnit:
    node: OrgUnit = OrgUnit.objects.add_child(
        OrgUnit.objects.get(pk=parent.pk), create_kwargs={"name": name, "kind": kind, **fields}
    )
    return node


def test_a_community_one_level_deeper_gets_its_grid_s_cases() -> None:
    ensure_catalogue()
    province = OrgUnit.objects.add_root(  # a level above the prefectures
        create_kwargs={"name": "某省", "kind": UnitKind.PREFECTURE}
    )
    prefecture = _child(province, "某州", UnitKind.PREFECTURE)
    county = _child(prefecture, "某县", UnitKind.COUNTY)
    township = _child(county, "某镇", UnitKind.TOWNSHIP)
    community = _child(township, "某社区", UnitKind.COMMUNITY, community_type=CommunityType.URBAN)
    grid = _child(community, "第1网格", UnitKind.GRID)
    assert community.depth == 5 and grid.depth == 6  # Enshi's communities are at depth 4
    item = ServiceItem.objects.get(code="LD-001")
    ServiceItem.objects.filter(pk=item.pk).update(unit=province)  # published for the tree
    item.refresh_from_db()
    do_receive_case(
        None, unit=grid, item=item, channel="window", applicant_kind="caller",
        contact_name="张三", contact_phone="13900000000",
    )  # fmt: skip
    month = rates.month_start(timezone.localdate())
    assert rates.refresh_month(month) >= 1
    row = RateRollup.objects.get(unit=community, month=month)
    assert row.cases == 1
    assert rates.communities_of([grid.path, township.path]) == {grid.path: community.path}
    assert rates.rates_for(province, month, month + dt.timedelta(days=1)).cases == 1
