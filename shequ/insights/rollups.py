"""The figure rollup (``FigureRollup``): what the dashboards and the assessment read of
the domain apps, one row per unit, month and key, written only here and only from the
domain apps' ``figures`` functions.

* cases (per receiving community, from ``services.figures.channel_counts``): written by
  ``rates.refresh_month`` with the three-rates rows, so the case timeline cursor keeps
  both current;
* the other apps (``refresh_domain``): governance meetings, mediation outcomes, local
  hires, funds disbursed by source and level, standards met, village-point activity.
  The worker reads the kernel's audit log (``Event``) since its cursor and recomputes the
  subtrees of the communities (or higher units) the new events touched;
* ``rebuild()`` recomputes everything from scratch; a test checks that it gives the same
  rows as the incremental path.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shequ.agency import figures as agency_figures
from shequ.building import figures as building_figures
from shequ.governance import figures as governance_figures
from shequ.insights.models import FigureRollup, RollupCursor
from shequ.jobs import figures as jobs_figures
from shequ.mediation import figures as mediation_figures
from shequ.orgs.models import Event, OrgUnit, UnitKind

CASE_KEYS = ("qh_applies", "qh_met", "overdue")
CHANNEL_PREFIX = "cases:"
DOMAIN_KEYS = (
    "meetings_held",
    "meetings_quorate",
    "disputes",
    "disputes_agreed",
    "disputes_no_agreement",
    "hired",
    "hired_local",
    "standards_met",
    "standards_total",
    "points_accepted",
    "points_completed",
    "points_commerce",
    "disclosures_due",
    "disclosures_on_time",
    "results_due",
    "results_on_time",
)
FUNDS_PREFIX = "funds:"  # funds:<source>:<level>, yuan disbursed
DOMAIN_VERB_PREFIXES = ("governance.", "mediation.", "jobs.", "building.", "agency.")
# Events that only record a reminder or a notice sent: no figure changes with them, so
# they recompute nothing (the worker's disclosure reminders alone touch a hundred
# communities a round, and recomputing their every year held up the outbox behind it).
NOTICE_VERB_SUFFIXES = ("_reminded", "_escalated")
CURSOR = "domain_figures"


def first_year() -> int:
    return int(getattr(settings, "SHEQU_INSIGHTS_FIRST_YEAR", 2013))


def years() -> list[int]:
    return list(range(first_year(), timezone.localdate().year + 1))


def _domain_q() -> Q:
    return Q(key__in=DOMAIN_KEYS) | Q(key__startswith=FUNDS_PREFIX)


# --- cases (called from rates.refresh_month) -------------------------------------------


def write_case_figures(
    month: dt.date,
    community_of: dict[str, str],
    community_ids: dict[str, int],
    unit_paths: dict[int, str],
    counts: dict[tuple[int, str], dict[str, int]],
    paths: list[str] | None,
    now: dt.datetime,
) -> None:
    totals: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for (unit_id, channel), row in counts.items():
        community = community_of.get(unit_paths.get(unit_id, ""))
        if community is None or community not in community_ids:
            continue
        cid = community_ids[community]
        totals[(cid, CHANNEL_PREFIX + channel)] += row["cases"]
        for key in CASE_KEYS:
            totals[(cid, key)] += row[key]
    stale = FigureRollup.objects.filter(month=month).filter(
        Q(key__in=CASE_KEYS) | Q(key__startswith=CHANNEL_PREFIX)
    )
    if paths is not None:
        stale = stale.filter(unit__path__in=paths)
    stale.delete()
    FigureRollup.objects.bulk_create(
        [
            FigureRollup(unit_id=cid, month=month, key=key, value=value, updated_at=now)
            for (cid, key), value in totals.items()
            if value
        ],
        batch_size=500,
    )


# --- the other domain apps ------------------------------------------------------------


def _month(year: int, m: int) -> dt.date:
    return dt.date(year, m, 1)


def domain_rows(unit: OrgUnit, year: int, today: dt.date | None = None) -> dict[tuple, Decimal]:
    """``{(unit id, month, key): value}`` of ``unit``'s subtree for ``year``, from the
    domain apps' figures functions (a few grouped queries each)."""
    today = today or timezone.localdate()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out: dict[tuple, Decimal] = defaultdict(Decimal)
    for (unit_id, m), row in governance_figures.meetings_by_month([unit], year).items():
        out[(unit_id, _month(year, m), "meetings_held")] += row["held"]
        out[(unit_id, _month(year, m), "meetings_quorate")] += row["quorate"]
    for (unit_id, m), (due, on_time) in governance_figures.disclosures_by_community_month(
        unit, year, today
    ).items():
        out[(unit_id, _month(year, m), "disclosures_due")] += due
        out[(unit_id, _month(year, m), "disclosures_on_time")] += on_time
    for (unit_id, m), (due, on_time) in governance_figures.results_by_community_month(
        unit, year, today
    ).items():
        out[(unit_id, _month(year, m), "results_due")] += due
        out[(unit_id, _month(year, m), "results_on_time")] += on_time
    for (unit_id, m), row in mediation_figures.outcomes_by_unit_month(unit, first, last).items():
        out[(unit_id, _month(year, m), "disputes")] += row["total"]
        out[(unit_id, _month(year, m), "disputes_agreed")] += row["agreed"]
        out[(unit_id, _month(year, m), "disputes_no_agreement")] += row["no_agreement"]
    for (unit_id, m), (hired, local) in jobs_figures.hires_by_unit_month(unit, first, last).items():
        out[(unit_id, _month(year, m), "hired")] += hired
        out[(unit_id, _month(year, m), "hired_local")] += local
    for (unit_id, m), row in agency_figures.activity_by_unit_month(unit, first, last).items():
        out[(unit_id, _month(year, m), "points_accepted")] += row["accepted"]
        out[(unit_id, _month(year, m), "points_completed")] += row["completed"]
        out[(unit_id, _month(year, m), "points_commerce")] += row["commerce"]
    # Funds by month, up to this month's end (the months to come are not rolled up yet).
    this_month_end = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(
        days=1
    )
    if first <= this_month_end:
        for unit_id, month, source, level, amount in building_figures.disbursed_by_unit_month(
            unit, first, min(last, this_month_end)
        ):
            if amount:
                out[(unit_id, month, f"{FUNDS_PREFIX}{source}:{level}")] += amount
    # Standards: the state at the year's end (or today, for the current year).
    day = min(last, today)
    if day >= first:
        for unit_id, (urban_or_town, meets) in building_figures.standards_by_community(
            day, unit
        ).items():
            if urban_or_town:
                out[(unit_id, day.replace(day=1), "standards_total")] += 1
                if meets:
                    out[(unit_id, day.replace(day=1), "standards_met")] += 1
    return {k: v for k, v in out.items() if v}


def refresh_domain(units: Iterable[OrgUnit], year_list: Iterable[int] | None = None) -> int:
    """Recompute the domain rows of these units' subtrees for these years."""
    now = timezone.now()
    year_list = list(year_list) if year_list is not None else years()
    written = 0
    for unit in units:
        for year in year_list:
            rows = domain_rows(unit, year)
            with transaction.atomic():
                FigureRollup.objects.filter(
                    _domain_q(),
                    unit__path__startswith=unit.path,
                    month__gte=dt.date(year, 1, 1),
                    month__lte=dt.date(year, 12, 31),
                ).delete()
                FigureRollup.objects.bulk_create(
                    [
                        FigureRollup(unit_id=u, month=m, key=k, value=v, updated_at=now)
                        for (u, m, k), v in rows.items()
                    ],
                    batch_size=500,
                )
            written += len(rows)
    return written


def _lift(units: Iterable[OrgUnit]) -> list[OrgUnit]:
    """The communities of units below one (villages, grids), the units themselves above;
    nested ones dropped (a county covers its communities)."""
    result: dict[str, OrgUnit] = {}
    for unit in units:
        if unit.kind in (UnitKind.VILLAGE, UnitKind.GRID):
            found = unit.ancestors().filter(kind=UnitKind.COMMUNITY).first()
            unit = found or unit
        result[unit.path] = unit
    paths = sorted(result)
    kept = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    return [result[p] for p in kept]


def refresh_domain_rollups(limit: int = 5000) -> int:
    """The worker's task: read the audit log since the cursor; recompute the subtrees the
    domain events touched. Returns how many events it read."""
    cursor, _ = RollupCursor.objects.get_or_create(name=CURSOR)
    if cursor.last_event_id == 0:
        # never run: start from a full computation, then follow the log
        last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if not RollupCursor.objects.filter(pk=cursor.pk, last_event_id=0).update(
            last_event_id=last_event or -1
        ):
            return 0
        refresh_domain(list(OrgUnit.objects.filter(depth=1).order_by("path")))
        return 1
    events = list(
        Event.objects.filter(pk__gt=cursor.last_event_id)
        .order_by("pk")
        .values_list("pk", "verb", "unit_id")[:limit]
    )
    if not events:
        return 0
    unit_ids = {
        unit_id
        for _pk, verb, unit_id in events
        if unit_id is not None
        and verb.startswith(DOMAIN_VERB_PREFIXES)
        and not verb.endswith(NOTICE_VERB_SUFFIXES)
    }
    last = events[-1][0]
    if not RollupCursor.objects.filter(pk=cursor.pk, last_event_id=cursor.last_event_id).update(
        last_event_id=last
    ):
        return 0  # another worker took this batch
    if unit_ids:
        refresh_domain(_lift(OrgUnit.objects.filter(pk__in=unit_ids)))
    return len(events)


def rebuild() -> int:
    """Everything from scratch: the case months from the rates rollup's code, the domain
    figures for every year, and the cursors moved to the end of their logs."""
    from shequ.insights import rates

    FigureRollup.objects.all().delete()
    written = 0
    for year in years():
        for m in range(1, 13):
            month = dt.date(year, m, 1)
            if month > timezone.localdate():
                break
            written += rates.refresh_month(month)
    root = OrgUnit.objects.filter(depth=1).order_by("path")
    written += refresh_domain(list(root))
    last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    RollupCursor.objects.update_or_create(name=CURSOR, defaults={"last_event_id": last_event})
    return written
