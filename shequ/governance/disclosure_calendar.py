"""The disclosure calendar: which disclosures each community owes, by when, and whether
each was published on time, late or not at all — at any chosen date.

Due dates are stored (``DisclosureDue``, written by ``ensure_dues`` from the catalogue,
the community's settings and the resolutions that call for a disclosure); every status
is a query at a date, so nothing flips when a day passes and an officer can ask "what did
this look like on 2026-04-21".

Due-day rule (a setting per catalogue item): a period's disclosure is due on ``due_day``
of the first month after the period (or of the period's own first month for a plan such
as the year's family-planning scheme), moved to the next working day when that day is a
weekend or holiday (the kernel's calendar, 调休 included). An "immediately" item is due
``event_days`` after the decision, moved the same way.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from shequ.governance import law
from shequ.governance.models import (
    ART24_MATTERS,
    Disclosure,
    DisclosureCadence,
    DisclosureDue,
    DisclosureItem,
    DisclosureSetting,
    DisclosureStatus,
    DisclosureTrigger,
    Matter,
    Resolution,
    ResolutionResult,
)
from shequ.lib.workdays import WorkCalendar
from shequ.orgs.calendar import calendar_between
from shequ.orgs.models import CommunityType, OrgUnit

MONTHS = {
    DisclosureCadence.MONTHLY: 1,
    DisclosureCadence.QUARTERLY: 3,
    DisclosureCadence.HALF_YEARLY: 6,
    DisclosureCadence.YEARLY: 12,
}
# The matters 第二十三/二十四条 reserve to the meeting, its work report and delegations.
ART23_24 = ART24_MATTERS | {Matter.WORK_REPORT, Matter.DELEGATION}


class DueState:
    ON_TIME = "on_time"
    LATE = "late"
    OVERDUE = "overdue"
    OPEN = "open"

    LABELS = {
        ON_TIME: _("按时公开"),
        LATE: _("逾期后公开"),
        OVERDUE: _("逾期未公开"),
        OPEN: _("未到期"),
    }


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.date
    end: dt.date


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _key(cadence: str, start: dt.date) -> str:
    if cadence == DisclosureCadence.MONTHLY:
        return f"{start:%Y-%m}"
    if cadence == DisclosureCadence.QUARTERLY:
        return f"{start.year}Q{(start.month - 1) // 3 + 1}"
    if cadence == DisclosureCadence.HALF_YEARLY:
        return f"{start.year}H{(start.month - 1) // 6 + 1}"
    return f"{start.year}"


def period_of(cadence: str, day: dt.date) -> Period:
    """The period of ``cadence`` that contains ``day``."""
    months = MONTHS[DisclosureCadence(cadence)]
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    end = _add_months(start, months) - dt.timedelta(days=1)
    return Period(_key(cadence, start), start, end)


def periods(cadence: str, first: dt.date, last: dt.date) -> list[Period]:
    """The periods of ``cadence`` from the one containing ``first`` to the one containing
    ``last``."""
    found: list[Period] = []
    if cadence == DisclosureCadence.EVENT or last < first:
        return found
    p = period_of(cadence, first)
    while p.start <= last:
        found.append(p)
        p = period_of(cadence, p.end + dt.timedelta(days=1))
    return found


def _on_working_day(day: dt.date, roll: bool, cal: WorkCalendar | None) -> dt.date:
    if not roll:
        return day
    cal = cal or calendar_between(day, day + dt.timedelta(days=40))
    return cal.add_working_days(day, 0)


def due_on(
    period: Period,
    *,
    due_day: int,
    in_period: bool = False,
    roll_to_workday: bool = True,
    cal: WorkCalendar | None = None,
) -> dt.date:
    """The day a period's disclosure is due: ``due_day`` of the month after the period
    (of its first month when ``in_period``), clipped to the month's length, moved to the
    next working day when ``roll_to_workday``."""
    month = period.start if in_period else period.end + dt.timedelta(days=1)
    last = pycalendar.monthrange(month.year, month.month)[1]
    return _on_working_day(month.replace(day=min(due_day, last)), roll_to_workday, cal)


def event_due_on(
    decided: dt.date, *, days: int, roll_to_workday: bool = True, cal: WorkCalendar | None = None
) -> dt.date:
    return _on_working_day(decided + dt.timedelta(days=days), roll_to_workday, cal)


def item_due_on(item: DisclosureItem, period: Period, cal: WorkCalendar | None = None) -> dt.date:
    return due_on(
        period,
        due_day=item.due_day,
        in_period=item.due_in_period,
        roll_to_workday=item.roll_to_workday,
        cal=cal,
    )


# --- the catalogue a community follows --------------------------------------------------------


def kind_of(unit: OrgUnit) -> str:
    return "rural" if unit.community_type == CommunityType.RURAL else "urban"


def catalogue_q(unit: OrgUnit) -> Q:
    return Q(active=True) & (
        Q(unit__isnull=True, applies_to__in=[kind_of(unit), "all"]) | Q(unit=unit)
    )


def catalogue_for(unit: OrgUnit) -> list[DisclosureItem]:
    """The standard items for the community's type and the items it chose (its "X")."""
    return list(
        DisclosureItem.objects.filter(catalogue_q(unit)).order_by("category", "order", "pk")
    )


def cadence_for(item: DisclosureItem, setting: DisclosureSetting | None) -> str:
    if setting is not None and setting.frequent_finance and item.cadence_frequent:
        return item.cadence_frequent
    return item.cadence


def _triggered(trigger: str, r: Resolution) -> bool:
    if trigger == DisclosureTrigger.ART24:
        return r.matter in ART23_24
    return r.meeting.meeting_type in law.PLENARY_TYPES | law.REPS_TYPES


def ensure_dues(
    settings: Iterable[DisclosureSetting], until: dt.date, *, since: dt.date | None = None
) -> int:
    """Store the dues of every period up to the one containing ``until`` (and of every
    passed resolution that calls for a disclosure) for the communities of ``settings``,
    from the day each joined the calendar (or from ``since``, the worker's window); rows
    already stored are kept. Returns how many rows were added."""
    settings = list(settings)
    if not settings:
        return 0
    units = [s.unit for s in settings]
    items = list(DisclosureItem.objects.filter(active=True).order_by("pk"))
    starts = {s.unit_id: max(s.adopted_on, since) if since else s.adopted_on for s in settings}
    first = min(starts.values())
    cal = calendar_between(first, until + dt.timedelta(days=430))
    decided: dict[int, list[Resolution]] = {}
    if any(i.cadence == DisclosureCadence.EVENT and i.trigger for i in items):
        for r in Resolution.objects.filter(
            unit__in=units,
            result=ResolutionResult.PASSED,
            meeting__held_on__gte=first,
            meeting__held_on__lte=until,
        ).select_related("meeting"):
            decided.setdefault(r.unit_id, []).append(r)
    rows: list[DisclosureDue] = []
    for setting in settings:
        unit = setting.unit
        kind = kind_of(unit)
        start = starts[unit.pk]
        for item in items:
            if item.unit_id is None and item.applies_to not in (kind, "all"):
                continue
            if item.unit_id is not None and item.unit_id != unit.pk:
                continue
            cadence = cadence_for(item, setting)
            if cadence == DisclosureCadence.EVENT:
                for r in decided.get(unit.pk, []):
                    held = r.meeting.held_on
                    if not item.trigger or held < start or not _triggered(item.trigger, r):
                        continue
                    due = event_due_on(
                        held, days=item.event_days, roll_to_workday=item.roll_to_workday, cal=cal
                    )
                    rows.append(
                        DisclosureDue(unit=unit, item=item, key=f"r{r.pk}", period_start=held,
                                      period_end=held, due_on=due, resolution=r)
                    )  # fmt: skip
                continue
            for p in periods(cadence, start, until):
                rows.append(
                    DisclosureDue(
                        unit=unit,
                        item=item,
                        key=p.key,
                        period_start=p.start,
                        period_end=p.end,
                        due_on=item_due_on(item, p, cal),
                    )
                )
    before = DisclosureDue.objects.filter(unit__in=units).count()
    DisclosureDue.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return DisclosureDue.objects.filter(unit__in=units).count() - before


# --- statuses at a date ----------------------------------------------------------------------------


def _first_published() -> Subquery:
    return Subquery(
        Disclosure.objects.filter(due=OuterRef("pk"), status=DisclosureStatus.PUBLISHED)
        .values("due")
        .annotate(first=Min("published_on"))
        .values("first")[:1],
        output_field=DateField(),
    )


def dues_at(rows: QuerySet[DisclosureDue], at: dt.date) -> QuerySet[Any]:
    """``rows`` with ``published`` (the first publication's day, if it came by ``at``)
    and ``state`` (``DueState``) as they stood on ``at``."""
    rows = rows.annotate(first_published=_first_published())
    published_by_then = Q(first_published__isnull=False, first_published__lte=at)
    return rows.annotate(
        state=Case(
            When(published_by_then & Q(first_published__lte=F("due_on")),
                 then=Value(DueState.ON_TIME)),
            When(published_by_then, then=Value(DueState.LATE)),
            When(due_on__lt=at, then=Value(DueState.OVERDUE)),
            default=Value(DueState.OPEN),
            output_field=CharField(),
        )
    )  # fmt: skip


def overdue_q(at: dt.date) -> Q:
    """Due before ``at`` and not published by then (a filter on ``dues_at`` rows)."""
    return Q(due_on__lt=at) & (Q(first_published__isnull=True) | Q(first_published__gt=at))


def state_label(state: str) -> str:
    return str(DueState.LABELS.get(state, state))


def settings_in(units: Iterable[OrgUnit]) -> QuerySet[DisclosureSetting]:
    return DisclosureSetting.objects.filter(unit__in=list(units)).select_related("unit")
