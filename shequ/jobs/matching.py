"""Local first (本地居民优先): which job seekers to suggest for a vacancy, and why.

Candidates are the county's active job seekers (the public employment service is the
county's, 《就业促进法》第三十五条), grouped by how near they live to the unit: its own
community first, then its township's, then the county's. Within a tier, by fit: skills
the post asks for, the trade they wish for, the post's target groups, and members of a
zero-employment household. Every suggestion carries its reasons in words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shequ.jobs.models import (
    JobSeeker,
    Referral,
    SeekerStatus,
    Tier,
    Vacancy,
    ZeroHousehold,
    ZeroStatus,
)
from shequ.orgs.models import OrgUnit, UnitKind
from shequ.people.models import HouseholdMember

# Weights of each kind of fit; the tier always comes first.
SKILL_WEIGHT = 3
TRADE_WEIGHT = 2
TARGET_WEIGHT = 2
ZERO_WEIGHT = 2
WISH_WEIGHT = 1


@dataclass
class Suggestion:
    seeker: JobSeeker
    tier: int
    score: int
    reasons: list[str] = field(default_factory=list)

    @property
    def local(self) -> bool:
        return self.tier == Tier.COMMUNITY


def level_path(community: OrgUnit, kind: str) -> str:
    """The tree path of the community's ancestor of ``kind`` (township, county)."""
    found = community.ancestors().filter(kind=kind).values_list("path", flat=True).first()
    return found or community.path


def tier_of(vacancy_community: OrgUnit, seeker_community: OrgUnit) -> int | None:
    if seeker_community.pk == vacancy_community.pk:
        return Tier.COMMUNITY
    if seeker_community.path.startswith(level_path(vacancy_community, UnitKind.TOWNSHIP)):
        return Tier.TOWNSHIP
    if seeker_community.path.startswith(level_path(vacancy_community, UnitKind.COUNTY)):
        return Tier.COUNTY
    return None


def zero_member_ids(resident_ids: list[int]) -> set[int]:
    """Which of these residents belong to a household being helped as 零就业家庭."""
    households = ZeroHousehold.objects.filter(status=ZeroStatus.ASSISTING).values("household_id")
    return set(
        HouseholdMember.objects.filter(
            resident_id__in=resident_ids, household_id__in=households
        ).values_list("resident_id", flat=True)
    )


TIER_REASONS = {
    Tier.COMMUNITY: gettext_lazy("本社区居民,优先推荐"),
    Tier.TOWNSHIP: gettext_lazy("同街道(乡镇)居民"),
    Tier.COUNTY: gettext_lazy("同县市居民"),
}


def fit(
    vacancy: Vacancy,
    seeker: JobSeeker,
    *,
    targets: dict[int, str],
    zero_member: bool,
) -> tuple[int, list[str]]:
    """The score of a seeker for the vacancy and the reasons, in words."""
    score, reasons = 0, []
    wanted = vacancy.skill_list()
    have = seeker.skill_list()
    common = [s for s in wanted if any(s in h or h in s for h in have)]
    if common:
        score += SKILL_WEIGHT * len(common)
        reasons.append(_("技能相符:%(skills)s") % {"skills": "、".join(common)})
    if vacancy.trade in (seeker.wished_trades or []):
        score += TRADE_WEIGHT
        reasons.append(_("意向行业相符:%(trade)s") % {"trade": vacancy.get_trade_display()})
    if vacancy.post and vacancy.post in (seeker.wishes or ""):
        score += WISH_WEIGHT
        reasons.append(_("求职意向含“%(post)s”") % {"post": vacancy.post})
    groups = [targets[c.pk] for c in seeker.categories.all() if c.pk in targets]
    if groups:
        score += TARGET_WEIGHT
        reasons.append(_("属于岗位面向人群:%(groups)s") % {"groups": "、".join(groups)})
    if zero_member:
        score += ZERO_WEIGHT
        reasons.append(_("零就业家庭成员,优先安置"))
    return score, reasons


def suggest(vacancy: Vacancy, *, limit: int = 30, day: dt.date | None = None) -> list[Suggestion]:
    """Suggestions for ``vacancy``: own community first, then township, then county;
    within each, the best fit first, then the longest registered."""
    county = level_path(vacancy.community, UnitKind.COUNTY)
    referred = Referral.objects.filter(vacancy=vacancy).values("seeker_id")
    seekers = list(
        JobSeeker.objects.filter(status=SeekerStatus.ACTIVE, community__path__startswith=county)
        .exclude(pk__in=referred)
        .select_related("resident", "community")
        .prefetch_related("categories")
        .order_by("registered_on", "pk")[:2000]
    )
    targets = {c.pk: c.name for c in vacancy.target_groups.all()}
    zero = zero_member_ids([s.resident_id for s in seekers])
    township = level_path(vacancy.community, UnitKind.TOWNSHIP)
    found: list[Suggestion] = []
    for seeker in seekers:
        if seeker.community_id == vacancy.community_id:
            tier = Tier.COMMUNITY
        elif seeker.community.path.startswith(township):
            tier = Tier.TOWNSHIP
        else:
            tier = Tier.COUNTY
        score, reasons = fit(
            vacancy, seeker, targets=targets, zero_member=seeker.resident_id in zero
        )
        found.append(Suggestion(seeker, tier, score, [str(TIER_REASONS[Tier(tier)]), *reasons]))
    found.sort(key=lambda s: (s.tier, -s.score, s.seeker.registered_on, s.seeker.pk))
    return found[:limit]


def explain(vacancy: Vacancy, seeker: JobSeeker) -> Suggestion | None:
    """The suggestion for one seeker (None when they live outside the county)."""
    tier = tier_of(vacancy.community, seeker.community)
    if tier is None:
        return None
    targets = {c.pk: c.name for c in vacancy.target_groups.all()}
    zero = seeker.resident_id in zero_member_ids([seeker.resident_id])
    score, reasons = fit(vacancy, seeker, targets=targets, zero_member=zero)
    return Suggestion(seeker, tier, score, [str(TIER_REASONS[Tier(tier)]), *reasons])
