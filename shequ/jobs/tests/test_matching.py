"""Local first: the unit's own community, then its township, then its county; within a
tier, by fit; every suggestion explained."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import DUTING, ENSHI_CITY, WUYANGBA, Personas, unit
from shequ.jobs.matching import suggest
from shequ.jobs.models import Tier
from shequ.jobs.tests.conftest import MakeSeeker, MakeVacancy
from shequ.orgs.models import OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


def county_community(personas: Personas) -> OrgUnit:
    """A community of 恩施市 outside 舞阳坝街道."""
    township, county = unit(WUYANGBA), unit(ENSHI_CITY)
    return (
        OrgUnit.objects.filter(path__startswith=county.path, kind=UnitKind.COMMUNITY)
        .exclude(path__startswith=township.path)
        .order_by("path")
        .first()
    ) or county


def test_with_equal_fit_the_units_own_community_comes_first(
    personas: Personas, make_vacancy: MakeVacancy, make_seeker: MakeSeeker, other_community: OrgUnit
) -> None:
    vacancy = make_vacancy(skills="制茶")
    # registered earlier, so they would come first on seniority alone
    far = make_seeker(county_community(personas), name="远方", skills="制茶",
                      registered_on=dt.date(2025, 1, 1))  # fmt: skip
    near = make_seeker(other_community, name="邻近", skills="制茶",
                       registered_on=dt.date(2025, 6, 1))  # fmt: skip
    own = make_seeker(name="本地", skills="制茶", registered_on=dt.date(2026, 1, 1))
    outside = make_seeker(unit(DUTING).children().first(), name="利川", skills="制茶")
    found = suggest(vacancy)
    assert [s.seeker for s in found] == [own, near, far]
    assert outside not in [s.seeker for s in found]
    assert [s.tier for s in found] == [Tier.COMMUNITY, Tier.TOWNSHIP, Tier.COUNTY]
    assert found[0].local and found[0].reasons[0] == "本社区居民,优先推荐"
    assert "技能相符:制茶" in found[0].reasons


def test_within_a_tier_the_better_fit_comes_first(
    personas: Personas, make_vacancy: MakeVacancy, make_seeker: MakeSeeker
) -> None:
    vacancy = make_vacancy(skills="制茶、包装")
    plain = make_seeker(name="甲", skills="驾驶", registered_on=dt.date(2025, 1, 1))
    skilled = make_seeker(name="乙", skills="制茶", wished_trades=["C"])
    found = suggest(vacancy)
    assert [s.seeker for s in found] == [skilled, plain]
    assert "意向行业相符:制造业" in found[0].reasons
    assert found[0].score > found[1].score


def test_target_groups_count_as_fit(
    personas: Personas, make_vacancy: MakeVacancy, make_seeker: MakeSeeker
) -> None:
    vacancy = make_vacancy(skills="", target_groups=["disabled"])
    other = make_seeker(name="甲", registered_on=dt.date(2025, 1, 1))
    helped = make_seeker(name="乙", categories=["disabled"])
    found = suggest(vacancy)
    assert [s.seeker for s in found] == [helped, other]
    assert "属于岗位面向人群:残疾人" in found[0].reasons
