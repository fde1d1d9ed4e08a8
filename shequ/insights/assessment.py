"""Quantified assessment (量化考核): the measures an indicator may be computed from, how an
indicator's value becomes points, and a sheet's total and grade.

A measure reads the rollups (``RateRollup``, ``FigureRollup``) or, for what is not
rolled up, the owning app's ``figures`` function; it returns a value in the unit its
label says (a percent, a count, 万元) or ``None`` when the unit has no data. Indicators
without a measure are entered with evidence.

Points of a leaf of weight W and target T (both data, with their source):

* scored, higher is better: W × min(value ÷ T, 1); lower is better (a share of overdue
  work): W while value ≤ T, falling linearly to 0 at 2T; no data: 0;
* bonus: W when value ≥ T (T empty: any value > 0), else 0;
* deduction: −min(W, value × (T or 1)) — T is the points per incident;
* veto (一票否决): value > 0 vetoes the sheet: its grade is 差 whatever the total.

The total is the scheme's base score plus the points; the grade follows the scheme's
thresholds (优 / 良 / 中 / 差).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from shequ.building import figures as building_figures
from shequ.governance import figures as governance_figures
from shequ.insights.models import FigureRollup, Indicator, IndicatorKind, Scheme
from shequ.insights.rates import rates_for
from shequ.insights.rollups import CHANNEL_PREFIX, FUNDS_PREFIX
from shequ.jobs import figures as jobs_figures
from shequ.orgs.models import OrgUnit, UnitKind

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _pct(a: Decimal | int, b: Decimal | int) -> Decimal | None:
    return q2(Decimal(a) * HUNDRED / Decimal(b)) if b else None


def _sum(unit: OrgUnit, year: int, key: str = "", prefix: str = "") -> Decimal:
    rows = FigureRollup.objects.filter(
        unit__path__startswith=unit.path,
        month__gte=dt.date(year, 1, 1),
        month__lte=dt.date(year, 12, 31),
    )
    rows = rows.filter(key__startswith=prefix) if prefix else rows.filter(key=key)
    return rows.aggregate(v=Sum("value"))["v"] or Decimal(0)


def _rate(name: str) -> Callable[[OrgUnit, int], Decimal | None]:
    def measure(unit: OrgUnit, year: int) -> Decimal | None:
        value = getattr(rates_for(unit, dt.date(year, 1, 1), dt.date(year, 12, 1)), name)
        return None if value is None else q2(Decimal(str(value)) * HUNDRED)

    return measure


def _ratio(top: str, bottom: str) -> Callable[[OrgUnit, int], Decimal | None]:
    def measure(unit: OrgUnit, year: int) -> Decimal | None:
        return _pct(_sum(unit, year, top), _sum(unit, year, bottom))

    return measure


def _overdue_share(unit: OrgUnit, year: int) -> Decimal | None:
    return _pct(_sum(unit, year, "overdue"), _sum(unit, year, prefix=CHANNEL_PREFIX))


def _mediation_success(unit: OrgUnit, year: int) -> Decimal | None:
    agreed = _sum(unit, year, "disputes_agreed")
    return _pct(agreed, agreed + _sum(unit, year, "disputes_no_agreement"))


def _meetings_held(unit: OrgUnit, year: int) -> Decimal | None:
    return _sum(unit, year, "meetings_held")


def _funds_wan(unit: OrgUnit, year: int) -> Decimal | None:
    return q2(_sum(unit, year, prefix=FUNDS_PREFIX) / Decimal(10000))


def _communities(unit: OrgUnit) -> list[OrgUnit]:
    if unit.kind == UnitKind.COMMUNITY:
        return [unit]
    return list(
        OrgUnit.objects.filter(
            path__startswith=unit.path, kind=UnitKind.COMMUNITY, active_to__isnull=True
        ).order_by("path")
    )


def _evaluations(unit: OrgUnit, year: int) -> Decimal | None:
    rows = governance_figures.township_rows(_communities(unit), year)
    return _pct(sum(1 for r in rows if r.evaluated), len(rows))


def _pledges(unit: OrgUnit, year: int) -> Decimal | None:
    done, total = building_figures.pledges_completed(unit, year)
    return _pct(done, total)


def _zero_cleared(unit: OrgUnit, year: int) -> Decimal | None:
    f = jobs_figures.jobs_figures(unit, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return f.zero_cleared_share


@dataclass(frozen=True)
class Measure:
    label: object
    source: str
    compute: Callable[[OrgUnit, int], Decimal | None]


MEASURES: dict[str, Measure] = {
    "response_rate": Measure(
        _("响应率(%)"), "insights.RateRollup ← services.figures.case_counts", _rate("response_rate")
    ),
    "resolution_rate": Measure(
        _("办结率(%)"),
        "insights.RateRollup ← services.figures.case_counts",
        _rate("resolution_rate"),
    ),
    "satisfaction_rate": Measure(
        _("满意率(%)"),
        "insights.RateRollup ← services.figures.rating_counts",
        _rate("satisfaction_rate"),
    ),
    "quarter_hour_rate": Measure(
        _("一刻钟达标率(%)"),
        "insights.FigureRollup qh_met ÷ qh_applies ← services.figures.channel_counts",
        _ratio("qh_met", "qh_applies"),
    ),
    "overdue_share": Measure(
        _("超期件占比(%)"),
        "insights.FigureRollup overdue ÷ cases ← services.figures.channel_counts",
        _overdue_share,
    ),
    "meetings_held": Measure(
        _("召开居(村)民会议次数"),
        "insights.FigureRollup ← governance.figures.meetings_by_month",
        _meetings_held,
    ),
    "meetings_quorate": Measure(
        _("会议达法定人数比例(%)"),
        "insights.FigureRollup ← governance.figures.meetings_by_month",
        _ratio("meetings_quorate", "meetings_held"),
    ),
    "evaluations_done": Measure(
        _("开展民主评议的社区比例(%)"), "governance.figures.township_rows", _evaluations
    ),
    "mediation_success": Measure(
        _("调解成功率(%)"),
        "insights.FigureRollup ← mediation.figures.outcomes_by_unit_month",
        _mediation_success,
    ),
    "standards_met": Measure(
        _("城市、集镇社区建设达标率(%)"),
        "insights.FigureRollup ← building.figures.standards_by_community",
        _ratio("standards_met", "standards_total"),
    ),
    "funds_disbursed": Measure(
        _("社区建设资金到位(万元)"),
        "insights.FigureRollup ← building.figures.disbursed_by_unit_month",
        _funds_wan,
    ),
    "pledges_completed": Measure(
        _("承诺事项完成率(%)"), "building.figures.pledges_completed", _pledges
    ),
    "local_hires": Measure(
        _("空岗本地录用占比(%)"),
        "insights.FigureRollup ← jobs.figures.hires_by_unit_month",
        _ratio("hired_local", "hired"),
    ),
    "zero_cleared": Measure(
        _("零就业家庭当季清零率(%)"), "jobs.figures.jobs_figures", _zero_cleared
    ),
}


def measure_value(indicator: Indicator, unit: OrgUnit, year: int) -> Decimal | None:
    m = MEASURES.get(indicator.measure)
    return None if m is None else m.compute(unit, year)


def points_for(indicator: Indicator, value: Decimal | None) -> Decimal:
    w = indicator.weight
    t = indicator.target
    if indicator.kind == IndicatorKind.VETO:
        return Decimal(0)
    if value is None:
        return Decimal(0)
    if indicator.kind == IndicatorKind.BONUS:
        met = value >= t if t is not None else value > 0
        return w if met else Decimal(0)
    if indicator.kind == IndicatorKind.DEDUCTION:
        return -min(w, q2(value * (t if t is not None else Decimal(1))))
    if not t:
        return Decimal(0)
    if indicator.lower_is_better:
        if value <= t:
            return w
        return q2(w * max(Decimal(0), (2 * t - value) / t))
    return q2(w * min(value / t, Decimal(1)))


def vetoes(indicator: Indicator, value: Decimal | None) -> bool:
    return indicator.kind == IndicatorKind.VETO and value is not None and value > 0


def assessed_units(scheme: Scheme) -> list[OrgUnit]:
    """The units one level down from the assessing unit."""
    return list(
        scheme.unit.children()
        .filter(
            kind__in=[UnitKind.COUNTY, UnitKind.TOWNSHIP, UnitKind.COMMUNITY],
            active_to__isnull=True,
        )
        .order_by("path")
    )


def leaves(scheme: Scheme) -> list[Indicator]:
    indicators = list(scheme.indicators.all())
    parents = {i.parent_id for i in indicators if i.parent_id}
    return [i for i in indicators if i.pk not in parents]
