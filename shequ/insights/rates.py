"""The three rates (三率) of any unit and period, the ranking of the units below it, the
monthly rollup the worker keeps, and the .xlsx export (the same report object feeds the
page and the export). The counts come from ``services.figures``, which says what each
one means:

* response rate (响应率): responded ÷ cases received;
* resolution rate (办结率): resolved ÷ resolvable (cases whose limit has come);
* satisfaction rate (满意率): good ratings (基本满意 or better) ÷ ratings, both counted
  after upheld appeals, by the month of the rating;
* composite: the weighted mean of the rates that exist (``SHEQU_RATE_WEIGHTS``); a unit
  without cases has no rates ("—"), never a division by zero.

A unit with fewer cases in the month than ``SHEQU_RATES_MIN_CASES`` is ranked after the
units with real volume (two cases on time are not the best record of the county), and the
current month is marked incomplete wherever it is shown.

Cases count for the community (and month) that received them; grids and villages count
for their community, found by unit kind (not by a depth in the tree, so the same code
holds for a province's tree).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from shequ.insights.models import RateRollup, RollupCursor
from shequ.insights.rollups import write_case_figures
from shequ.lib.xlsx import Formatted, workbook_bytes
from shequ.lib.xlsx import percent as xlsx_percent
from shequ.orgs.models import OrgUnit, UnitKind
from shequ.services import figures

COUNTS = figures.CASE_COUNTS + figures.RATING_COUNTS


def ancestor_paths(path: str) -> list[str]:
    """The path itself and every ancestor's (materialised paths are prefixes)."""
    step = OrgUnit.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def communities_of(paths: Iterable[str]) -> dict[str, str]:
    """For each unit path, the path of the community it belongs to (itself, or the one
    above its grid or village); units above or outside communities are left out."""
    paths = set(paths)
    prefixes = {prefix for path in paths for prefix in ancestor_paths(path)}
    communities = set(
        OrgUnit.objects.filter(path__in=prefixes, kind=UnitKind.COMMUNITY).values_list(
            "path", flat=True
        )
    )
    result: dict[str, str] = {}
    for path in paths:
        for prefix in ancestor_paths(path):
            if prefix in communities:
                result[path] = prefix
                break
    return result


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(next_month(month), dt.time.min, tzinfo=tz)


def local_month(value: dt.datetime) -> dt.date:
    return month_start(timezone.localtime(value).date())


# --- the rollup -----------------------------------------------------------------------


def refresh_month(
    month: dt.date, communities: Iterable[str] | None = None, now: dt.datetime | None = None
) -> int:
    """Recompute the rollup rows of ``month`` for the communities with these paths (all
    communities when ``None``). Returns how many rows were written."""
    now = now or timezone.now()
    month = month_start(month)
    paths = sorted(set(communities)) if communities is not None else None
    if paths is not None and not paths:
        return 0
    unit_q = Q()
    if paths is not None:
        for path in paths:
            unit_q |= Q(unit__path__startswith=path)
    start, end = month_bounds(month)
    by_unit: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, counts in figures.case_counts(start, end, unit_q, now).items():
        by_unit[unit_id].update(counts)
    for unit_id, counts in figures.rating_counts(start, end, unit_q).items():
        by_unit[unit_id].update(counts)
    channels = figures.channel_counts(start, end, unit_q, now)
    unit_paths = dict(
        OrgUnit.objects.filter(
            pk__in=list(by_unit) + [unit_id for unit_id, _ in channels]
        ).values_list("pk", "path")
    )
    community = communities_of(unit_paths.values())
    totals: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    by_unit_paths = {unit_id: unit_paths[unit_id] for unit_id in by_unit}
    for unit_id, counts in by_unit.items():
        found = community.get(by_unit_paths[unit_id])
        if found is None:
            continue
        total = totals[found]
        for key, value in counts.items():
            total[key] += value
    community_ids = dict(
        OrgUnit.objects.filter(path__in=list(totals), kind=UnitKind.COMMUNITY).values_list(
            "path", "pk"
        )
    )
    rows = [
        RateRollup(unit_id=community_ids[path], month=month, updated_at=now, **counts)
        for path, counts in totals.items()
        if path in community_ids
    ]
    with transaction.atomic():
        stale = RateRollup.objects.filter(month=month)
        if paths is not None:
            stale = stale.filter(unit__path__in=paths)
        stale.delete()
        RateRollup.objects.bulk_create(rows, batch_size=500)
        all_ids = dict(
            OrgUnit.objects.filter(
                path__in=set(community.values()), kind=UnitKind.COMMUNITY
            ).values_list("path", "pk")
        )
        write_case_figures(month, community, all_ids, unit_paths, channels, paths, now)
    return len(rows)


CURSOR = "three_rates"


def refresh_rate_rollups(limit: int = 2000) -> int:
    """The worker's task: read the case timeline since the cursor and recompute the
    (community, month) rows it touched. Returns how many timeline entries it read."""
    cursor, _ = RollupCursor.objects.get_or_create(name=CURSOR)
    events = figures.timeline_since(cursor.last_event_id, limit)
    if not events:
        return 0
    community = communities_of(e.unit_path for e in events)
    dirty: dict[dt.date, set[str]] = defaultdict(set)
    for e in events:
        path = community.get(e.unit_path)
        if path is None:
            continue
        dirty[local_month(e.received_at)].add(path)
        if e.rated_at is not None:
            dirty[local_month(e.rated_at)].add(path)
    last = events[-1].event_id
    try:
        with transaction.atomic():
            if not RollupCursor.objects.filter(
                pk=cursor.pk, last_event_id=cursor.last_event_id
            ).update(last_event_id=last):
                return 0  # another worker took this batch
            for month, paths in sorted(dirty.items()):
                refresh_month(month, paths)
    except IntegrityError:
        return 0  # a concurrent refresh of the same rows; the next loop catches up
    return len(events)


# --- rates, ranking, report -----------------------------------------------------------


@dataclass
class Rates:
    unit: OrgUnit
    cases: int = 0
    responded: int = 0
    resolvable: int = 0
    resolved: int = 0
    ratings: int = 0
    good_ratings: int = 0
    rank: int | None = None
    # fewer cases than the ranking threshold: ranked after the units with real volume
    small: bool = False

    def add(self, counts: dict[str, int]) -> None:
        for key in COUNTS:
            setattr(self, key, getattr(self, key) + (counts.get(key) or 0))

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.cases if self.cases else None

    @property
    def resolution_rate(self) -> float | None:
        return self.resolved / self.resolvable if self.resolvable else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.good_ratings / self.ratings if self.ratings else None

    @property
    def composite(self) -> float | None:
        pairs = [
            (w, r)
            for w, r in zip(
                settings.SHEQU_RATE_WEIGHTS,
                (self.response_rate, self.resolution_rate, self.satisfaction_rate),
                strict=True,
            )
            if r is not None
        ]
        weight = sum(w for w, _ in pairs)
        if not pairs or not weight:
            return None
        return sum(w * r for w, r in pairs) / weight


def rates_for(unit: OrgUnit, first: dt.date, last: dt.date | None = None) -> Rates:
    """The three rates of ``unit`` for the months ``first`` to ``last`` (inclusive)."""
    last = last or first
    counts = RateRollup.objects.filter(
        unit__path__startswith=unit.path, month__gte=month_start(first), month__lte=last
    ).aggregate(**{key: Sum(key) for key in COUNTS})
    rates = Rates(unit)
    rates.add(counts)
    return rates


def ranking(unit: OrgUnit, month: dt.date) -> list[Rates]:
    """The units directly below ``unit`` (communities of a township, townships of a
    county, counties of the prefecture) ranked by the composite of ``month``: first the
    units with at least ``SHEQU_RATES_MIN_CASES`` cases, then those with fewer (``small``);
    units with no figures come last, unranked. Reads only rollup rows."""
    children = list(
        unit.children().filter(
            kind__in=[UnitKind.COUNTY, UnitKind.TOWNSHIP, UnitKind.COMMUNITY],
            active_to__isnull=True,
        )
    )
    by_path = {child.path: Rates(child) for child in children}
    depth = len(unit.path) + OrgUnit.steplen
    rows = (
        RateRollup.objects.filter(unit__path__startswith=unit.path, month=month_start(month))
        .values("unit__path", *COUNTS)
        .order_by()
    )
    for row in rows:
        rates = by_path.get(row["unit__path"][:depth])
        if rates is not None:
            rates.add(row)
    minimum = settings.SHEQU_RATES_MIN_CASES
    for rates in by_path.values():
        rates.small = rates.composite is not None and rates.cases < minimum
    ordered = sorted(
        by_path.values(),
        key=lambda r: (r.composite is None, r.small, -(r.composite or 0), r.unit.path),
    )
    for i, rates in enumerate(r for r in ordered if r.composite is not None):
        rates.rank = i + 1
    return ordered


@dataclass
class Report:
    unit: OrgUnit
    month: dt.date
    own: Rates
    months: list[tuple[dt.date, Rates]] = field(default_factory=list)
    ranked: list[Rates] = field(default_factory=list)
    # the month has not ended: its figures are so far, not the month's
    incomplete: bool = False
    today: dt.date | None = None
    min_cases: int = 0

    def is_current(self, month: dt.date) -> bool:
        return self.today is not None and month_start(self.today) == month


def report(unit: OrgUnit, month: dt.date, history: int = 6) -> Report:
    month = month_start(month)
    months = [month]
    for _ in range(history - 1):
        months.append(month_start(months[-1] - dt.timedelta(days=1)))
    today = timezone.localdate()
    rep = Report(
        unit=unit,
        month=month,
        own=rates_for(unit, month),
        incomplete=month >= month_start(today),
        today=today,
        min_cases=settings.SHEQU_RATES_MIN_CASES,
    )
    rep.months = [(m, rates_for(unit, m)) for m in reversed(months)]
    if unit.kind in (UnitKind.PREFECTURE, UnitKind.COUNTY, UnitKind.TOWNSHIP):
        rep.ranked = ranking(unit, month)
    return rep


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def export_xlsx(rep: Report) -> bytes:
    """The report's three sheets; rates are numbers in percent format, the composite a
    number, and the current month says it is incomplete."""
    header: list[Any] = [
        "单位",
        "办件数",
        "响应率",
        "办结率",
        "评价数",
        "满意率",
        "综合得分",
        "排名",
        "说明",
    ]

    def row(r: Rates) -> list[Any]:
        return [
            r.unit.name,
            r.cases,
            xlsx_percent(r.response_rate),
            xlsx_percent(r.resolution_rate),
            r.ratings,
            xlsx_percent(r.satisfaction_rate),
            "—" if r.composite is None else Formatted(round(r.composite * 100, 1), "0.0"),
            r.rank if r.rank is not None else "—",
            f"办件少于{rep.min_cases}件,排在办件量足够的单位之后" if r.small else "",
        ]

    title = f"{rep.unit.name} {rep.month:%Y年%m月} 三率"
    if rep.incomplete and rep.today is not None:
        title += f"(本月未结束,截至{rep.today:%Y-%m-%d})"
    sheets: list[tuple[str, list[list[Any]]]] = [("三率", [[title], header[:7], row(rep.own)[:7]])]
    if rep.ranked:
        sheets.append(("排名", [header, *(row(r) for r in rep.ranked)]))
    sheets.append(
        (
            "逐月",
            [
                ["月份", *header[1:7], "说明"],
                *(
                    [f"{m:%Y-%m}", *row(r)[1:7], "本月未结束" if rep.is_current(m) else ""]
                    for m, r in rep.months
                ),
            ],
        )
    )
    return workbook_bytes(sheets)
