"""What others may read of community building: the seed's figures, the assessment hooks
(funds disbursed, standards met, pledges completed) and pledge progress. Every number
comes from ``ledger.totals`` and ``standards.compliance``, the functions the pages use;
insights calls these functions and imports no model of this app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from shequ.building import ledger, standards
from shequ.building.models import (
    EntryKind,
    FiscalLevel,
    FundSource,
    Pledge,
    PledgeMeasure,
    PledgeProgress,
)
from shequ.orgs.models import CommunityType, OrgUnit, UnitKind

# The seed report's day ("截止2015年6月") and the 12th five-year plan (2011–2015).
SEED_DAY = dt.date(2015, 6, 30)
PLAN_12 = (dt.date(2011, 1, 1), dt.date(2015, 12, 31))


def prefecture() -> OrgUnit:
    return OrgUnit.objects.get(kind=UnitKind.PREFECTURE)


@dataclass(frozen=True)
class SeedFigures:
    day: dt.date
    unit: OrgUnit
    urban: int
    town: int
    county_investment: Decimal
    plan_reward_subsidy: Decimal
    plan_central_provincial: Decimal
    plan_county_funds: Decimal
    rural_disbursed: Decimal
    rural_fiscal: Decimal
    rural_department_aid: Decimal
    rural_donations: Decimal
    rural_self_raised: Decimal
    centres_meeting_area: int
    min_area_m2: Decimal | None
    rural_with_hall: int

    @property
    def communities(self) -> int:
        return self.urban + self.town


def seed_figures(day: dt.date = SEED_DAY, unit: OrgUnit | None = None) -> SeedFigures:
    """The seven figures of the seed this app holds, on ``day``, for ``unit``'s subtree.
    Money in yuan (``ledger.to_wan`` for 万元)."""
    unit = unit or prefecture()
    units = standards.communities_on(day, unit)
    rows = standards.compliance(day, unit, units=units)
    items = standards.catalogue()
    rural = ledger.totals(
        by=("source",),
        within=unit,
        last=day,
        kind=EntryKind.DISBURSED,
        community_type=CommunityType.RURAL,
    )
    by_source = {row.key["source"]: row.amount for row in rural}
    first, last = PLAN_12
    standard = standards.area_standard(day)
    return SeedFigures(
        day=day,
        unit=unit,
        urban=sum(1 for t in units.values() if t == CommunityType.URBAN),
        town=sum(1 for t in units.values() if t == CommunityType.TOWN),
        county_investment=ledger.total(
            within=unit, last=day, level=FiscalLevel.COUNTY, kind=EntryKind.ALLOCATED
        ),
        plan_reward_subsidy=ledger.total(
            within=unit,
            first=first,
            last=last,
            source=FundSource.REWARD_SUBSIDY,
            kind=EntryKind.ALLOCATED,
        ),
        plan_central_provincial=ledger.total(
            within=unit,
            first=first,
            last=last,
            source=FundSource.PROJECT_SUBSIDY,
            level=[FiscalLevel.CENTRAL, FiscalLevel.PROVINCIAL],
            kind=EntryKind.ALLOCATED,
        ),
        plan_county_funds=ledger.total(
            within=unit,
            first=first,
            last=last,
            source=FundSource.COUNTY_FUND,
            level=FiscalLevel.COUNTY,
            kind=EntryKind.ALLOCATED,
        ),
        rural_disbursed=sum(by_source.values(), Decimal("0.00")),
        rural_fiscal=by_source.get(FundSource.RURAL_FISCAL, Decimal("0.00")),
        rural_department_aid=by_source.get(FundSource.DEPARTMENT_AID, Decimal("0.00")),
        rural_donations=by_source.get(FundSource.SOCIAL_DONATION, Decimal("0.00")),
        rural_self_raised=by_source.get(FundSource.CASE_SELF_RAISED, Decimal("0.00")),
        centres_meeting_area=sum(1 for r in rows.values() if r.urban_or_town and r.area_ok),
        min_area_m2=standard.min_area_m2 if standard else None,
        rural_with_hall=sum(
            1 for r in rows.values() if not r.urban_or_town and standards.has_service_hall(r, items)
        ),
    )


# --- assessment hooks (insights calls these) ------------------------------------------------


def funds_disbursed(unit: OrgUnit, first: dt.date, last: dt.date) -> Decimal:
    """Yuan disbursed to ``unit``'s subtree between ``first`` and ``last`` (both included)."""
    return ledger.total(within=unit, first=first, last=last, kind=EntryKind.DISBURSED)


def standards_met(unit: OrgUnit, day: dt.date) -> tuple[int, int]:
    """Urban and town communities of ``unit``'s subtree meeting the whole standard on
    ``day`` (centre area and every "13个一" item), and how many there are."""
    rows = [r for r in standards.compliance(day, unit).values() if r.urban_or_town]
    return sum(1 for r in rows if r.meets_standard), len(rows)


def rural_halls(unit: OrgUnit, day: dt.date) -> tuple[int, int]:
    """Rural communities of the subtree with a service hall on ``day``, and how many."""
    items = standards.catalogue()
    rows = [r for r in standards.compliance(day, unit).values() if not r.urban_or_town]
    return sum(1 for r in rows if standards.has_service_hall(r, items)), len(rows)


def pledges_completed(unit: OrgUnit, year: int) -> tuple[int, int]:
    """Pledges of ``year`` made by ``unit`` or below it: completed, and all."""
    pledges = Pledge.objects.filter(unit__path__startswith=unit.path, year=year)
    return pledges.filter(completed_on__isnull=False).count(), pledges.count()


def pledge_progress(
    pledge: Pledge, day: dt.date | None = None, *, within: OrgUnit | None = None
) -> Decimal:
    """How far a pledge has come on ``day`` (its year's end at most), in its measure's unit;
    ``within`` (a unit the pledge covers) counts only that part, for a measure the
    platform computes (an entered figure is the whole pledge's)."""
    first, last = pledge.period
    day = min(day or timezone.localdate(), last)
    unit = pledge.unit
    if within is not None and within.path.startswith(unit.path):
        unit = within
    if pledge.measure == PledgeMeasure.STANDARDS_MET:
        return Decimal(standards_met(unit, day)[0])
    if pledge.measure == PledgeMeasure.HALLS_OPENED:
        return Decimal(rural_halls(unit, day)[0])
    if pledge.measure == PledgeMeasure.FUNDS_DISBURSED:
        return ledger.to_wan(funds_disbursed(unit, first, day))
    report = (
        PledgeProgress.objects.filter(pledge=pledge, reported_on__lte=day)
        .order_by("-reported_on", "-pk")
        .first()
    )
    return report.value if report else Decimal("0.00")


def standards_by_community(day: dt.date, unit: OrgUnit) -> dict[int, tuple[bool, bool]]:
    """For insights' rollup: per community of the subtree on ``day``, (urban or town,
    meets the whole standard)."""
    return {
        pk: (r.urban_or_town, r.meets_standard) for pk, r in standards.compliance(day, unit).items()
    }


def disbursed_by_unit_month(
    unit: OrgUnit, first: dt.date, last: dt.date
) -> list[tuple[int, dt.date, str, str, Decimal]]:
    """For insights' rollup: (unit id, month, source, level, yuan) disbursed between
    ``first`` and ``last`` in the subtree, one row per ledger unit, month (its first
    day), source and level: a year's months in one query."""
    rows = ledger.totals(
        by=("unit", "month", "source", "level"),
        within=unit,
        first=first,
        last=last,
        kind=EntryKind.DISBURSED,
    )
    return [
        (r.key["unit"], r.key["month"], r.key["source"], r.key["level"], r.amount) for r in rows
    ]
