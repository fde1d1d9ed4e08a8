"""The officers' dashboard: KPI tiles and charts of one unit's subtree for one year, read
from the rollups only (``RateRollup``, ``FigureRollup``), so its cost does not grow with
the number of cases. Every chart is one level down (prefecture → counties → townships →
communities) or by month; every bar links to the level below or to the records behind
it. ``officer_dashboard(user)`` is what the workbench home includes (with the partial
``insights/_officer_dashboard.html``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Sum
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from shequ.building.figures import FiscalLevel, FundSource
from shequ.insights.models import FigureRollup, RateRollup
from shequ.insights.rates import COUNTS, Rates
from shequ.insights.rollups import CHANNEL_PREFIX, FUNDS_PREFIX
from shequ.lib.xlsx import workbook_bytes
from shequ.orgs.access import scope_roots, units_for_user
from shequ.orgs.models import OrgUnit, UnitKind

DRILL_KINDS = (UnitKind.COUNTY, UnitKind.TOWNSHIP, UnitKind.COMMUNITY)
OFFICER_KINDS = (UnitKind.PREFECTURE, UnitKind.COUNTY, UnitKind.TOWNSHIP, UnitKind.COMMUNITY)
CHANNELS = {
    "window": gettext_lazy("窗口"),
    "hotline": gettext_lazy("服务热线"),
    "agency": gettext_lazy("代理站点"),
    "village_point": gettext_lazy("村级服务点"),
    "online": gettext_lazy("网上申请"),
    "patrol": gettext_lazy("网格员巡查"),
    "api": gettext_lazy("接口"),
}


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # "bar", "stack" or "line"
    categories: list[str]
    series: list[dict[str, Any]]
    links: list[str] = field(default_factory=list)
    unit: str = ""  # of the values, for the table
    percent: bool = False

    def as_option(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "categories": self.categories,
            "series": [
                {"name": s["name"], "data": [_num(v) for v in s["data"]]} for s in self.series
            ],
            "links": self.links,
            "percent": self.percent,
        }

    @property
    def rows(self) -> list[tuple[str, str, list[Any]]]:
        """For the table view: category, its link, one value per series."""
        return [
            (
                c,
                self.links[i] if i < len(self.links) else "",
                [_num(s["data"][i]) for s in self.series],
            )
            for i, c in enumerate(self.categories)
        ]

    @property
    def table(self) -> list[list[Any]]:
        return [
            [c, *(_num(s["data"][i]) for s in self.series)] for i, c in enumerate(self.categories)
        ]


def _num(v: Any) -> float | int | None:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return float(v)
    return v


def _ratio(a: Decimal | int, b: Decimal | int) -> float | None:
    return round(float(a) * 100 / float(b), 1) if b else None


@dataclass
class Dashboard:
    unit: OrgUnit
    year: int
    trail: list[OrgUnit]
    children: list[OrgUnit]
    kpis: list[tuple[str, str, str]]  # label, value, link
    charts: list[Chart]

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "year": self.year,
            "trail": self.trail,
            "children": self.children,
            "kpis": self.kpis,
            "charts": self.charts,
            "options": {c.id: c.as_option() for c in self.charts},
            "years": list(range(self.year - 3, self.year + 2)),
        }


def _months(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]


def _dash_url(unit: OrgUnit, year: int) -> str:
    return reverse("insights:dashboard") + "?" + urlencode({"unit": unit.pk, "year": year})


def _records_url(unit: OrgUnit, **params: Any) -> str:
    return reverse("insights:records") + "?" + urlencode({"unit": unit.pk, **params})


def build(user: Any, unit: OrgUnit, year: int) -> Dashboard:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 1)
    children = [
        c
        for c in unit.children()
        .filter(kind__in=DRILL_KINDS, active_to__isnull=True)
        .order_by("path")
    ]
    depth = len(unit.path) + OrgUnit.steplen
    in_year = {"unit__path__startswith": unit.path, "month__gte": first, "month__lte": last}

    # figures, by child and by month: one pass over the rollup rows, grouped by both (a
    # few hundred groups, whatever the number of rows)
    fig_child: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    fig_month: dict[dt.date, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    total: dict[str, Decimal] = defaultdict(Decimal)
    for row in (
        FigureRollup.objects.filter(**in_year)
        .annotate(prefix=Substr("unit__path", 1, depth))
        .values("prefix", "month", "key")
        .annotate(v=Sum("value"))
        .order_by()
    ):
        v = row["v"] or 0
        fig_child[row["prefix"]][row["key"]] += v
        fig_month[row["month"]][row["key"]] += v
        total[row["key"]] += v

    # the three rates, by child and by month (one pass as well)
    rate_child = {c.path: Rates(c) for c in children}
    rate_month = {m: Rates(unit) for m in _months(year)}
    own = Rates(unit)
    for rrow in (
        RateRollup.objects.filter(**in_year)
        .annotate(prefix=Substr("unit__path", 1, depth))
        .values("prefix", "month")
        .annotate(**{k: Sum(k) for k in COUNTS})
        .order_by()
    ):
        counts = _counts(rrow)
        if rrow["prefix"] in rate_child:
            rate_child[rrow["prefix"]].add(counts)
        rate_month[rrow["month"]].add(counts)
        own.add(counts)

    months = _months(year)
    # a date format, translated: 1月 … 12月 in Chinese, Jan … Dec in English
    month_format = pgettext("chart month label, a date format", "n月")
    labels = [date_format(m, month_format) for m in months]
    names = [c.name for c in children]

    def child_links(kind: str = "") -> list[str]:
        if unit.kind == UnitKind.TOWNSHIP:  # communities: their records
            if kind == "meetings":
                return [reverse("governance:community", args=[c.pk]) for c in children]
            if kind == "disclosure":
                return [reverse("governance:disclosure_community", args=[c.pk]) for c in children]
            if kind == "deliberation":
                return [
                    reverse("governance:deliberation_overview") + f"?unit={c.pk}&year={year}"
                    for c in children
                ]
            if kind == "mediation":
                return [reverse("mediation:figures") + f"?unit={c.pk}" for c in children]
            if kind == "jobs":
                return [reverse("jobs:figures") + f"?unit={c.pk}" for c in children]
            if kind == "standards":
                return [reverse("building:community", args=[c.pk]) for c in children]
            if kind == "overdue":
                return [_records_url(c, year=year, overdue=1) for c in children]
            return [_records_url(c, year=year) for c in children]
        return [_dash_url(c, year) for c in children]

    def cf(key: str) -> list[Decimal]:
        return [fig_child.get(c.path, {}).get(key, Decimal(0)) for c in children]

    def mf(key: str) -> list[Decimal]:
        return [fig_month.get(m, {}).get(key, Decimal(0)) for m in months]

    charts: list[Chart] = []
    channels = sorted({k[len(CHANNEL_PREFIX) :] for k in total if k.startswith(CHANNEL_PREFIX)})
    charts.append(
        Chart(
            "cases_month",
            _("按月、按渠道的办件"),
            "stack",
            labels,
            [
                {"name": str(CHANNELS.get(ch, ch)), "data": mf(CHANNEL_PREFIX + ch)}
                for ch in channels
            ],
            [_records_url(unit, month=f"{m:%Y-%m}") for m in months],
            _("件"),
        )
    )
    charts.append(
        Chart(
            "rates_month",
            _("三率与一刻钟达标率(按月)"),
            "line",
            labels,
            [
                {"name": _("响应率"), "data": [_pct(r.response_rate) for r in rate_month.values()]},
                {
                    "name": _("办结率"),
                    "data": [_pct(r.resolution_rate) for r in rate_month.values()],
                },
                {
                    "name": _("满意率"),
                    "data": [_pct(r.satisfaction_rate) for r in rate_month.values()],
                },
                {
                    "name": _("一刻钟达标率"),
                    "data": [
                        _ratio(a, b) for a, b in zip(mf("qh_met"), mf("qh_applies"), strict=True)
                    ],
                },
            ],
            [_records_url(unit, month=f"{m:%Y-%m}") for m in months],
            "%",
            True,
        )
    )
    if children:
        charts.append(
            Chart(
                "rates_child",
                _("下级单位三率综合得分"),
                "bar",
                names,
                [
                    {
                        "name": _("综合得分"),
                        "data": [_pct(rate_child[c.path].composite) for c in children],
                    }
                ],
                child_links(),
                "%",
                True,
            )
        )
        charts.append(
            Chart(
                "overdue_child",
                _("超期未办结(当前)"),
                "bar",
                names,
                [{"name": _("超期件"), "data": cf("overdue")}],
                child_links("overdue"),
                _("件"),
            )
        )
        charts.append(
            Chart(
                "meetings_child",
                _("召开会议与达到法定人数"),
                "bar",
                names,
                [
                    {"name": _("召开"), "data": cf("meetings_held")},
                    {"name": _("达法定人数"), "data": cf("meetings_quorate")},
                ],
                child_links("meetings"),
                _("次"),
            )
        )
        charts.append(
            Chart(
                "disclosure_child",
                _("居务公开按时公布"),
                "bar",
                names,
                [
                    {"name": _("应公开"), "data": cf("disclosures_due")},
                    {"name": _("按时公布"), "data": cf("disclosures_on_time")},
                ],
                child_links("disclosure"),
                _("项"),
            )
        )
        charts.append(
            Chart(
                "results_child",
                _("协商成果按期落实"),
                "bar",
                names,
                [
                    {"name": _("到期成果"), "data": cf("results_due")},
                    {"name": _("按期完成"), "data": cf("results_on_time")},
                ],
                child_links("deliberation"),
                _("项"),
            )
        )
        charts.append(
            Chart(
                "mediation_child",
                _("调解结果与成功率"),
                "bar",
                names,
                [
                    {"name": _("调解成功"), "data": cf("disputes_agreed")},
                    {"name": _("调解不成"), "data": cf("disputes_no_agreement")},
                ],
                child_links("mediation"),
                _("件"),
            )
        )
        charts.append(
            Chart(
                "jobs_child",
                _("空岗本地录用"),
                "bar",
                names,
                [
                    {"name": _("录用"), "data": cf("hired")},
                    {"name": _("其中本社区居民"), "data": cf("hired_local")},
                ],
                child_links("jobs"),
                _("人"),
            )
        )
        charts.append(
            Chart(
                "standards_child",
                _("城市、集镇社区建设达标"),
                "bar",
                names,
                [
                    {"name": _("达标"), "data": cf("standards_met")},
                    {"name": _("社区数"), "data": cf("standards_total")},
                ],
                child_links("standards"),
                _("个"),
            )
        )
    funds: dict[str, Decimal] = defaultdict(Decimal)
    levels: dict[str, Decimal] = defaultdict(Decimal)
    for key, value in total.items():
        if key.startswith(FUNDS_PREFIX):
            _p, source, level = key.split(":", 2)
            funds[source] += value
            levels[level] += value
    fund_keys = sorted(funds)
    charts.append(
        Chart(
            "funds_source",
            _("资金到位(按来源,万元)"),
            "bar",
            [str(FundSource(k).label) if k in FundSource.values else k for k in fund_keys],
            [
                {
                    "name": _("万元"),
                    "data": [(funds[k] / 10000).quantize(Decimal("0.01")) for k in fund_keys],
                }
            ],
            [
                reverse("building:ledger") + "?" + urlencode({"unit": unit.pk, "source": k})
                for k in fund_keys
            ],
            _("万元"),
        )
    )
    level_keys = [k for k in FiscalLevel.values if k in levels]
    charts.append(
        Chart(
            "funds_level",
            _("资金到位(按层级,万元)"),
            "bar",
            [str(FiscalLevel(k).label) for k in level_keys],
            [
                {
                    "name": _("万元"),
                    "data": [(levels[k] / 10000).quantize(Decimal("0.01")) for k in level_keys],
                }
            ],
            [
                reverse("building:ledger") + "?" + urlencode({"unit": unit.pk, "level": k})
                for k in level_keys
            ],
            _("万元"),
        )
    )
    if total.get("points_accepted") or total.get("points_commerce"):
        charts.append(
            Chart(
                "points_month",
                _("村级服务点:代办审批事项与商务服务"),
                "bar",
                labels,
                [
                    {"name": _("受理审批事项"), "data": mf("points_accepted")},
                    {"name": _("办结"), "data": mf("points_completed")},
                    {"name": _("商务服务"), "data": mf("points_commerce")},
                ],
                [
                    reverse("agency:figures")
                    + "?"
                    + urlencode(
                        {
                            "unit": unit.pk,
                            "first": f"{m:%Y-%m-%d}",
                            "last": f"{_month_end(m):%Y-%m-%d}",
                        }
                    )
                    for m in months
                ],
                _("件"),
            )
        )

    held, quorate = total.get("meetings_held", 0), total.get("meetings_quorate", 0)
    disclosed, disclosures = total.get("disclosures_on_time", 0), total.get("disclosures_due", 0)
    results_on_time, results = total.get("results_on_time", 0), total.get("results_due", 0)
    agreed, failed = total.get("disputes_agreed", 0), total.get("disputes_no_agreement", 0)
    hired, local = total.get("hired", 0), total.get("hired_local", 0)
    met, of = total.get("standards_met", 0), total.get("standards_total", 0)
    kpis = [
        (_("办件数"), str(own.cases), _records_url(unit, year=year)),
        (
            _("响应率"),
            _fmt(_pct(own.response_rate)),
            reverse("insights:rates") + f"?unit={unit.pk}",
        ),
        (
            _("办结率"),
            _fmt(_pct(own.resolution_rate)),
            reverse("insights:rates") + f"?unit={unit.pk}",
        ),
        (
            _("满意率"),
            _fmt(_pct(own.satisfaction_rate)),
            reverse("insights:rates") + f"?unit={unit.pk}",
        ),
        (
            _("一刻钟达标率"),
            _fmt(_ratio(total.get("qh_met", 0), total.get("qh_applies", 0))),
            _records_url(unit, year=year),
        ),
        (_("超期件"), str(int(total.get("overdue", 0))), _records_url(unit, year=year, overdue=1)),
        (_("会议 召开/达法定人数"), f"{int(held)}/{int(quorate)}", reverse("governance:home")),
        (
            _("居务公开按时率"),
            _fmt(_ratio(disclosed, disclosures)),
            reverse("governance:disclosure_township") + f"?unit={unit.pk}&year={year}",
        ),
        (
            _("协商成果按期率"),
            _fmt(_ratio(results_on_time, results)),
            reverse("governance:deliberation_overview") + f"?unit={unit.pk}&year={year}",
        ),
        (
            _("调解成功率"),
            _fmt(_ratio(agreed, agreed + failed)),
            reverse("mediation:figures") + f"?unit={unit.pk}",
        ),
        (
            _("本地录用占比"),
            _fmt(_ratio(local, hired)),
            reverse("jobs:figures") + f"?unit={unit.pk}",
        ),
        (
            _("社区建设达标"),
            f"{int(met)}/{int(of)}",
            reverse("building:compliance") + f"?unit={unit.pk}",
        ),
    ]
    trail = [a for a in unit.ancestors() if units_for_user(user).filter(pk=a.pk).exists()]
    return Dashboard(unit, year, [*trail, unit], children, kpis, charts)


def _month_end(m: dt.date) -> dt.date:
    return (m + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _pct(v: float | None) -> float | None:
    return None if v is None else round(v * 100, 1)


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


def home_unit(user: Any) -> OrgUnit | None:
    roots = [u for u in scope_roots(user) if u.kind in OFFICER_KINDS]
    return roots[0] if roots else None


def officer_dashboard(
    user: Any, unit: OrgUnit | None = None, year: int | None = None
) -> dict[str, Any]:
    """The dashboard context for the workbench home: ``{}`` for users who are not
    officers of a prefecture, county, township or community (include the partial
    ``insights/_officer_dashboard.html`` only when the dict is not empty)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    unit = unit or home_unit(user)
    if unit is None:
        return {}
    year = year or timezone.localdate().year
    return build(user, unit, year).as_dict()


def export_xlsx(dash: Dashboard) -> bytes:
    """Every chart's table, one sheet each, numbers as numbers."""
    sheets: list[tuple[str, list[list[Any]]]] = [
        (_("指标"), [[_("指标"), _("数值")], *([label, value] for label, value, _u in dash.kpis)])
    ]
    for chart in dash.charts:
        header: list[Any] = ["", *(s["name"] for s in chart.series)]
        sheets.append(
            (
                chart.title[:31],
                [[f"{dash.unit.name} {dash.year} {chart.title}"], header, *chart.table],
            )
        )
    return workbook_bytes(sheets)


def _counts(row: Any) -> dict[str, int]:
    return {k: int(row.get(k) or 0) for k in COUNTS}
