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
    split_tags,
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


def _score(
    vacancy: Vacancy,
    wanted: list[str],
    have: list[str],
    wished_trades: list[str] | None,
    wishes: str,
    *,
    grouped: bool,
    zero_member: bool,
) -> tuple[int, list[str], bool, bool]:
    """The score, and what it came from: the skills in common, the trade and the post
    wished for (the one place the weights are applied)."""
    common = [s for s in wanted if any(s in h or h in s for h in have)]
    trade = vacancy.trade in (wished_trades or [])
    wish = bool(vacancy.post) and vacancy.post in (wishes or "")
    score = (
        SKILL_WEIGHT * len(common)
        + (TRADE_WEIGHT if trade else 0)
        + (WISH_WEIGHT if wish else 0)
        + (TARGET_WEIGHT if grouped else 0)
        + (ZERO_WEIGHT if zero_member else 0)
    )
    return score, common, trade, wish


def fit(
    vacancy: Vacancy,
    seeker: JobSeeker,
    *,
    targets: dict[int, str],
    zero_member: bool,
) -> tuple[int, list[str]]:
    """The score of a seeker for the vacancy and the reasons, in words."""
    groups = [targets[c.pk] for c in seeker.categories.all() if c.pk in targets]
    score, common, trade, wish = _score(
        vacancy,
        vacancy.skill_list(),
        seeker.skill_list(),
        seeker.wished_trades,
        seeker.wishes,
        grouped=bool(groups),
        zero_member=zero_member,
    )
    reasons = []
    if common:
        reasons.append(_("技能相符:%(skills)s") % {"skills": "、".join(common)})
    if trade:
        reasons.append(_("意向行业相符:%(trade)s") % {"trade": vacancy.get_trade_display()})
    if wish:
        reasons.append(_("求职意向含“%(post)s”") % {"post": vacancy.post})
    if groups:
        reasons.append(_("属于岗位面向人群:%(groups)s") % {"groups": "、".join(groups)})
    if zero_member:
        reasons.append(_("零就业家庭成员,优先安置"))
    return score, reasons


def suggest(vacancy: Vacancy, *, limit: int = 30, day: dt.date | None = None) -> list[Suggestion]:
    """Suggestions for ``vacancy``: own community first, then township, then county;
    within each, the best fit first, then the longest registered.

    Every candidate is ranked from a few columns; only the ``limit`` suggested are read
    as whole records and explained in words (a county has hundreds of job seekers, and
    the demo asks for a shortlist hundreds of times)."""
    county = level_path(vacancy.community, UnitKind.COUNTY)
    referred = Referral.objects.filter(vacancy=vacancy).values("seeker_id")
    candidates = list(
        JobSeeker.objects.filter(status=SeekerStatus.ACTIVE, community__path__startswith=county)
        .exclude(pk__in=referred)
        .order_by("registered_on", "pk")
        .values_list(
            "pk",
            "resident_id",
            "community_id",
            "community__path",
            "registered_on",
            "skills",
            "wishes",
            "wished_trades",
        )[:2000]
    )
    targets = {c.pk: c.name for c in vacancy.target_groups.all()}
    grouped: set[int] = set()
    if targets:
        grouped = set(
            JobSeeker.categories.through.objects.filter(
                jobseeker_id__in=[c[0] for c in candidates], difficultycategory_id__in=targets
            ).values_list("jobseeker_id", flat=True)
        )
    zero = zero_member_ids([c[1] for c in candidates])
    township = level_path(vacancy.community, UnitKind.TOWNSHIP)
    wanted = vacancy.skill_list()
    ranked: list[tuple[int, int, dt.date, int]] = []
    tier: int
    for pk, resident_id, community_id, path, registered_on, skills, wishes, trades in candidates:
        if community_id == vacancy.community_id:
            tier = Tier.COMMUNITY
        elif path.startswith(township):
            tier = Tier.TOWNSHIP
        else:
            tier = Tier.COUNTY
        score = _score(
            vacancy,
            wanted,
            split_tags(skills),
            trades,
            wishes,
            grouped=pk in grouped,
            zero_member=resident_id in zero,
        )[0]
        ranked.append((tier, -score, registered_on, pk))
    ranked.sort()
    chosen = ranked[:limit]
    seekers = (
        JobSeeker.objects.select_related("resident", "community")
        .prefetch_related("categories")
        .in_bulk([pk for *_, pk in chosen])
    )
    found: list[Suggestion] = []
    for tier, _minus, _registered, pk in chosen:
        seeker = seekers[pk]
        score, reasons = fit(
            vacancy, seeker, targets=targets, zero_member=seeker.resident_id in zero
        )
        found.append(Suggestion(seeker, tier, score, [str(TIER_REASONS[Tier(tier)]), *reasons]))
    return found


def explain(vacancy: Vacancy, seeker: JobSeeker) -> Suggestion | None:
    """The suggestion for one seeker (None when they live outside the county)."""
    tier = tier_of(vacancy.community, seeker.community)
    if tier is None:
        return None
    targets = {c.pk: c.name for c in vacancy.target_groups.all()}
    zero = seeker.resident_id in zero_member_ids([seeker.resident_id])
    score, reasons = fit(vacancy, seeker, targets=targets, zero_member=zero)
    return Suggestion(seeker, tier, score, [str(TIER_REASONS[Tier(tier)]), *reasons])
