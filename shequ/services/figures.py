"""What the services app lets others read of its cases: counts behind the three rates and
the timeline entries since a cursor. ``insights`` reads these functions, never the
models, so the rules below (what "responded" or "resolved" means) stay in one place.

* responded (响应): met by the quarter-hour rule, or — outside the rule (online, API) —
  accepted or completed within ``SHEQU_RESPONSE_HOURS``;
* resolvable (应办结): completed, or open past its due time;
* resolved (按时办结): completed by its due time;
* ratings and good ratings (基本满意 or better), after upheld appeals, by rating time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q

from shequ.orgs.models import OrgUnit
from shequ.services.models import (
    GOOD_GRADE_MIN,
    OPEN_CASE_STATUSES,
    Case,
    CaseEvent,
    CaseQuerySet,
    CaseStatus,
    Channel,
    Rating,
)

CASE_COUNTS = ("cases", "responded", "resolvable", "resolved")
RATING_COUNTS = ("ratings", "good_ratings")


def _by_unit(rows: object) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = {}
    for row in rows:  # type: ignore[attr-defined]
        data: dict[str, int] = dict(row)
        result[data.pop("unit_id")] = data
    return result


def responded_q() -> Q:
    """Responded (响应): met by the quarter-hour rule, or outside it (online, API) accepted
    or completed within ``SHEQU_RESPONSE_HOURS`` of being received."""
    respond_within = dt.timedelta(hours=settings.SHEQU_RESPONSE_HOURS)
    return Q(quarter_hour_applies=True, quarter_hour_met=True) | Q(
        Q(accepted_at__lte=F("received_at") + respond_within)
        | Q(completed_at__lte=F("received_at") + respond_within),
        quarter_hour_applies=False,
    )


def resolvable_q(now: dt.datetime) -> Q:
    """Resolvable (应办结) at ``now``: completed, or open past its due time."""
    return Q(completed_at__isnull=False) | Q(status__in=OPEN_CASE_STATUSES, due_at__lt=now)


def resolved_q() -> Q:
    """Resolved (按时办结): completed by its due time."""
    return Q(completed_at__isnull=False) & (
        Q(due_at__isnull=True) | Q(completed_at__lte=F("due_at"))
    )


def case_counts(
    start: dt.datetime, end: dt.datetime, unit_q: Q, now: dt.datetime
) -> dict[int, dict[str, int]]:
    """Per receiving unit id: cases received in [start, end) and how they fared by ``now``.
    ``unit_q`` filters on ``unit`` (e.g. ``Q(unit__path__startswith=...)``)."""
    responded = responded_q()
    resolvable = resolvable_q(now)
    resolved = resolved_q()
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
    return _by_unit(rows)


def rating_counts(start: dt.datetime, end: dt.datetime, unit_q: Q) -> dict[int, dict[str, int]]:
    """Per rated unit id: counted ratings given in [start, end), and the good ones."""
    rows = (
        Rating.objects.filter(unit_q, counted=True, rated_at__gte=start, rated_at__lt=end)
        .values("unit_id")
        .annotate(
            ratings=Count("pk"), good_ratings=Count("pk", filter=Q(grade__gte=GOOD_GRADE_MIN))
        )
        .order_by()
    )
    return _by_unit(rows)


@dataclass(frozen=True)
class Touch:
    """A timeline entry, and when the case it belongs to counts: received and rated."""

    event_id: int
    unit_path: str
    received_at: dt.datetime
    rated_at: dt.datetime | None


def timeline_since(after_id: int, limit: int) -> list[Touch]:
    """Timeline entries after ``after_id``, oldest first: what changed since a reader's
    cursor (every state change of a case writes one)."""
    rows = (
        CaseEvent.objects.filter(pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", "case__unit__path", "case__received_at", "case__rating__rated_at")[
            :limit
        ]
    )
    return [Touch(*row) for row in rows]


# --- for insights' dashboards (read-only) ---------------------------------------------

CHANNEL_COUNTS = ("cases", "qh_applies", "qh_met", "overdue")


def channel_counts(
    start: dt.datetime, end: dt.datetime, unit_q: Q, now: dt.datetime
) -> dict[tuple[int, str], dict[str, int]]:
    """Per (receiving unit id, channel): cases received in [start, end), how many fall
    under the quarter-hour rule and met it, and how many are open past due at ``now``."""
    rows = (
        Case.objects.filter(unit_q, received_at__gte=start, received_at__lt=end)
        .values("unit_id", "channel")
        .annotate(
            cases=Count("pk"),
            qh_applies=Count("pk", filter=Q(quarter_hour_applies=True)),
            qh_met=Count("pk", filter=Q(quarter_hour_applies=True, quarter_hour_met=True)),
            overdue=Count("pk", filter=Q(status__in=OPEN_CASE_STATUSES, due_at__lt=now)),
        )
        .order_by()
    )
    result: dict[tuple[int, str], dict[str, int]] = {}
    for row in rows:
        data: dict[str, Any] = dict(row)
        key = (int(data.pop("unit_id")), str(data.pop("channel")))
        result[key] = data
    return result


def case_rows(
    user: object,
    unit_path: str,
    start: dt.datetime,
    end: dt.datetime,
    channel: str = "",
    overdue: bool = False,
    limit: int = 200,
) -> list[Case]:
    """The cases behind a dashboard figure, within ``user``'s scope: received in
    [start, end) by units under ``unit_path`` (optionally one channel, or only those
    open past due), newest first."""
    from shequ.services.access import cases_for_user

    cases = cases_for_user(user).filter(  # type: ignore[arg-type]
        unit__path__startswith=unit_path, received_at__gte=start, received_at__lt=end
    )
    if channel:
        cases = cases.filter(channel=channel)
    if overdue:
        cases = cases.overdue()
    return list(cases.select_related("item", "unit").order_by("-received_at", "-pk")[:limit])


def hall_windows() -> dict[int, int]:
    """Per community unit id with a one-stop hall: its active windows."""
    from shequ.services.models import HallWindow

    rows = (
        HallWindow.objects.filter(active=True)
        .values("hall__unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["hall__unit_id"]: r["n"] for r in rows}


def village_matters_waiting(township: OrgUnit) -> CaseQuerySet:
    """Village-point matters (办事不出村) waiting for ``township``: sent up to it and not
    yet completed, returned or refused; oldest first. For the township's home page."""
    return (
        Case.objects.filter(
            channel=Channel.VILLAGE_POINT, status=CaseStatus.SENT_UP, handling_unit=township
        )
        .select_related("item", "unit", "resident")
        .order_by("received_at", "pk")
    )
