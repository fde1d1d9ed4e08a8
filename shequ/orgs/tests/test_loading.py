from __future__ import annotations

import csv

import pytest

from conftest import assert_tree_consistent
from shequ.orgs.loading import DIVISIONS_FILE, load_divisions, short_name
from shequ.orgs.models import CommunityType, OrgUnit, TownshipKind, UnitKind

pytestmark = pytest.mark.django_db

COUNTIES = {
    "422801": "恩施市",
    "422802": "利川市",
    "422822": "建始县",
    "422823": "巴东县",
    "422825": "宣恩县",
    "422826": "咸丰县",
    "422827": "来凤县",
    "422828": "鹤峰县",
}


def rows(level: str) -> list[dict[str, str]]:
    with DIVISIONS_FILE.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["level"] == level]


def test_it_has_the_eight_county_level_units_under_the_prefecture() -> None:
    prefecture = OrgUnit.objects.get(kind=UnitKind.PREFECTURE)
    assert prefecture.code == "422800000000"
    counties = {c.short_code: c.name for c in prefecture.children()}
    assert counties == COUNTIES


def test_it_loads_every_township_and_village_of_the_file_under_its_parent() -> None:
    units = {u.code: u for u in OrgUnit.objects.exclude(code=None)}
    for row in rows("township") + rows("village"):
        unit = units[row["code"]]
        assert unit.official_name == row["name"]
        # the statistical parent is an ancestor (villages sit under their rural community)
        parent = units[row["parent_code"]]
        assert parent.contains(unit) and unit.depth > parent.depth
    assert OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).count() == len(rows("township"))


def test_it_puts_each_village_in_a_rural_community_of_its_own() -> None:
    village = OrgUnit.objects.get(code="422801002200")  # 谭家坝村委会
    assert village.kind == UnitKind.VILLAGE
    assert village.name == "谭家坝村"
    community = village.parent_unit()
    assert community is not None
    assert community.kind == UnitKind.COMMUNITY
    assert community.community_type == CommunityType.RURAL
    assert community.parent_unit().code == "422801002000"


def test_community_type_follows_the_township_kind() -> None:
    urban = OrgUnit.objects.get(code="422801001001")  # 官坡社区, in 舞阳坝街道
    assert (urban.name, urban.community_type) == ("官坡社区", CommunityType.URBAN)
    town = OrgUnit.objects.get(code="422822100001")  # 朝阳社区, in a town
    assert town.community_type == CommunityType.TOWN
    special = OrgUnit.objects.get(code="422826100400")  # 白水坝工业园区社区
    assert special.kind == UnitKind.COMMUNITY


def test_statistics_only_units_are_kept_and_flagged() -> None:
    flagged = OrgUnit.objects.filter(statistical_only=True)
    assert sorted(flagged.values_list("code", flat=True)) == [
        "422801400000",
        "422802401000",
        "422823401000",
        "422826400000",
    ]
    assert {u.township_kind for u in flagged} == {TownshipKind.MANAGEMENT_AREA}
    assert OrgUnit.objects.get(code="422801400001").parent_unit().code == "422801400000"


def test_civil_affairs_codes_are_kept_beside_the_statistical_ones() -> None:
    jinziba = OrgUnit.objects.get(code="422801005000")
    assert (jinziba.name, jinziba.mca_code) == ("金子坝街道", "422801004000")
    tielu = OrgUnit.objects.get(code="422828200000")
    assert (tielu.name, tielu.mca_name, tielu.mca_code) == ("铁炉乡", "铁炉白族乡", "422828201000")
    assert OrgUnit.objects.filter(kind=UnitKind.TOWNSHIP).exclude(mca_code="").count() == 90


def test_running_the_load_again_changes_nothing() -> None:
    before = list(OrgUnit.objects.order_by("pk").values())
    report = load_divisions()
    assert report.total_created == 0
    assert report.updated == 0
    assert list(OrgUnit.objects.order_by("pk").values()) == before
    assert_tree_consistent()


@pytest.mark.parametrize(
    ("official", "short"),
    [
        ("官坡社区居委会", "官坡社区"),
        ("前山村委会", "前山村"),
        ("纳水村民委员", "纳水村"),
        ("朝阳社区", "朝阳社区"),
        ("雀儿笼村", "雀儿笼村"),
        ("红岩居民委员会", "红岩社区"),
    ],
)
def test_short_names(official: str, short: str) -> None:
    assert short_name(official) == short
