"""The three rates (三率) of any unit and period, the ranking of the units below it, the
monthly rollup the worker keeps, and the .xlsx export (the same report object feeds the
page and the export).

* response rate (响应率): of the cases received, those met by the quarter-hour rule, or —
  outside the rule (online, API) — accepted or completed within ``SHEQU_RESPONSE_HOURS``;
* resolution rate (办结率): of the cases whose limit has come (completed, or open past
  their due time), those completed by their due time;
* satisfaction rate (满意率): good ratings (基本满意 or better) ÷ ratings, both counted
  after upheld appeals, by the month of the rating;
* composite: the weighted mean of the rates that exist (``SHEQU_RATE_WEIGHTS``); a unit
  without cases has no rates ("—"), never a division by zero.

Cases count for the community (and month) that received them; grids and villages count
for their community.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from shequ.orgs.models import OrgUnit, UnitKind
from shequ.services.models import (
    GOOD_GRADE_MIN,
    OPEN_CASE_STATUSES,
    Case,
    CaseEvent,
    RateRollup,
    Rating,
    RollupCursor,
)

COUNTS = ("cases", "responded", "resolvable", "resolved", "ratings", "good_ratings")
COMMUNITY_DEPTH = 4  # prefecture 1, county 2, township 3, community 4


def community_path(path: str) -> str:
    return path[: COMMUNITY_DEPTH * OrgUnit.steplen]


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


def _case_counts(month: dt.date, unit_q: Q, now: dt.datetime) -> dict[int, dict[str, int]]:
    start, end = month_bounds(month)
    respond_within = dt.timedelta(hours=settings.SHEQU_RESPONSE_HOURS)
    responded = Q(quarter_hour_applies=True, quarter_hour_met=True) | Q(
        Q(accepted_at__lte=F("received_at") + respond_within)
        | Q(completed_at__lte=F("received_at") + respond_within),
        quarter_hour_applies=False,
    )
    resolvable = Q(completed_at__isnull=False) | Q(status__in=OPEN_CASE_STATUSES, due_at__lt=now)
    resolved = Q(completed_at__isnull=False) & (
        Q(due_at__isnull=True) | Q(completed_at__lte=F("due_at"))
    )
    rows = (
        Case.objects.filter(unit_q, received_at__gte=start, received_at__lt=end)
        .values("unit_id")
        .annotate(
            cases=Count("pk"),
            responded=Count("pk", filter=responded),
            resolvable=Count("pk", filter=resolvable),
            resolved=Count("pk", filter=resolved),
        )
        .order_by()
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        data: dict[str, int] = dict(row)  # type: ignore[arg-type]
        result[data.pop("unit_id")] = data
    return result


def _rating_counts(month: dt.date, unit_q: Q) -> dict[int, dict[str, int]]:
    start, end = month_bounds(month)
    rows = (
        Rating.objects.filter(unit_q, counted=True, rated_at__gte=start, rated_at__lt=end)
        .values("unit_id")
        .annotate(
            ratings=Count("pk"), good_ratings=Count("pk", filter=Q(grade__gte=GOOD_GRADE_MIN))
        )
        .order_by()
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        data: dict[str, int] = dict(row)  # type: ignore[arg-type]
        result[data.pop("unit_id")] = data
    return result


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
    by_unit: dict[int, dict[str, int]] = defaultdict(dict)
    for unit_id, counts in _case_counts(month, unit_q, now).items():
        by_unit[unit_id].update(counts)
    for unit_id, counts in _rating_counts(month, unit_q).items():
        by_unit[unit_id].update(counts)
    unit_paths = dict(OrgUnit.objects.filter(pk__in=list(by_unit)).values_list("pk", "path"))
    totals: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTS, 0))
    for unit_id, counts in by_unit.items():
        total = totals[community_path(unit_paths[unit_id])]
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
    return len(rows)


CURSOR = "three_rates"


def refresh_rate_rollups(limit: int = 2000) -> int:
    """The worker's task: read the case timeline since the cursor and recompute the
    (community, month) rows it touched. Returns how many timeline entries it read."""
    cursor, _ = RollupCursor.objects.get_or_create(name=CURSOR)
    events = list(
        CaseEvent.objects.filter(pk__gt=cursor.last_event_id)
        .order_by("pk")
        .values_list("pk", "case__unit__path", "case__received_at", "case__rating__rated_at")[
            :limit
        ]
    )
    if not events:
        return 0
    dirty: dict[dt.date, set[str]] = defaultdict(set)
    for _pk, path, received_at, rated_at in events:
        dirty[local_month(received_at)].add(community_path(path))
        if rated_at is not None:
            dirty[local_month(rated_at)].add(community_path(path))
    last = events[-1][0]
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
    county, counties of the prefecture) ranked by the composite of ``month``; units with
    no figures come last, unranked. Reads only rollup rows."""
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
    ordered = sorted(
        by_path.values(),
        key=lambda r: (r.composite is None, -(r.composite or 0), r.unit.path),
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


def report(unit: OrgUnit, month: dt.date, history: int = 6) -> Report:
    month = month_start(month)
    months = [month]
    for _ in range(history - 1):
        months.append(month_start(months[-1] - dt.timedelta(days=1)))
    rep = Report(unit=unit, month=month, own=rates_for(unit, month))
    rep.months = [(m, rates_for(unit, m)) for m in reversed(months)]
    if unit.kind in (UnitKind.PREFECTURE, UnitKind.COUNTY, UnitKind.TOWNSHIP):
        rep.ranked = ranking(unit, month)
    return rep


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def export_xlsx(rep: Report) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    del wb[wb.sheetnames[0]]
    ws = wb.create_sheet("三率")
    ws.append([f"{rep.unit.name} {rep.month:%Y年%m月} 三率"])
    header = ["单位", "办件数", "响应率", "办结率", "评价数", "满意率", "综合得分", "排名"]
    ws.append(header)

    def row(r: Rates) -> list[object]:
        return [
            r.unit.name,
            r.cases,
            percent(r.response_rate),
            percent(r.resolution_rate),
            r.ratings,
            percent(r.satisfaction_rate),
            "—" if r.composite is None else round(r.composite * 100, 1),
            r.rank if r.rank is not None else "—",
        ]

    ws.append(row(rep.own))
    if rep.ranked:
        ranked = wb.create_sheet("排名")
        ranked.append(header)
        for r in rep.ranked:
            ranked.append(row(r))
    monthly = wb.create_sheet("逐月")
    monthly.append(["月份", *header[1:7]])
    for m, r in rep.months:
        monthly.append([f"{m:%Y-%m}", *row(r)[1:7]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
