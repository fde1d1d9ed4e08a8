"""The case lists staff work from: the case list's views and filters, and their counts.

A workbench tile counts exactly what the list behind it shows, because both build their
filter here (``CaseFilter.q``): the tile calls ``count_cases`` (one aggregate query for
all its tiles, whatever the number of cases), the list page ``parse`` and ``cases``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.orgs.access import AnyUser, active_posts, get_unit_for_user
from shequ.orgs.models import OrgUnit
from shequ.services.access import cases_for_user, halls_for_user, rectifications_for_user
from shequ.services.figures import resolvable_q, resolved_q, responded_q
from shequ.services.models import (
    GOOD_GRADE_MIN,
    OPEN_CASE_STATUSES,
    OPEN_RECTIFICATION_STATUSES,
    RUNNING_CASE_STATUSES,
    AppealStatus,
    Case,
    CaseExtension,
    CaseQuerySet,
    Channel,
    ExtensionStatus,
    HallWindow,
    RatingAppeal,
    RectificationQuerySet,
    ServiceHall,
    Ticket,
    TicketStatus,
)

# The list's views, in the order of its tabs, with their labels.
VIEWS: dict[str, Any] = {
    "mine": _("待本单位办理"),
    "open": _("在办"),
    "today": _("今日登记"),
    "quarter_hour": _("一刻钟计时中"),
    "due_today": _("今日到期"),
    "overdue": _("已超期"),
    "breach": _("一刻钟超时"),
    "extension": _("延期待审批"),
    "all": _("全部"),
}
# The cases behind each of the three rates (``figures`` says what each word means): the
# rate's denominator, the ones that count for it and those that count against it.
FIGURES: dict[str, Any] = {
    "received": _("受理的办件(响应率分母)"),
    "responded": _("已按时响应"),
    "not_responded": _("未按时响应"),
    "resolvable": _("到期办件(办结率分母)"),
    "resolved": _("按时办结"),
    "not_resolved": _("未按时办结"),
    "rated": _("已评价(满意率分母)"),
    "good_rated": _("好评"),
    "bad_rated": _("差评"),
}
RATING_FIGURES = ("rated", "good_rated", "bad_rated")
# For each rate, its (denominator, met, missed) figures.
RATE_FIGURES = {
    "response": ("received", "responded", "not_responded"),
    "resolution": ("resolvable", "resolved", "not_resolved"),
    "satisfaction": ("rated", "good_rated", "bad_rated"),
}


def _local_day(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(timezone.localdate(now), dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def _month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time.min, tzinfo=tz)
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return start, dt.datetime.combine(following, dt.time.min, tzinfo=tz)


def _view_q(view: str, user: AnyUser, now: dt.datetime) -> Q:
    open_q = Q(status__in=OPEN_CASE_STATUSES)
    if view == "mine":
        units = sorted({post.unit_id for post in active_posts(user)})
        return open_q & Q(handling_unit__in=units)
    if view == "today":
        start, end = _local_day(now)
        return Q(received_at__gte=start, received_at__lt=end)
    if view == "quarter_hour":
        return Q(quarter_hour_applies=True, quarter_hour_met__isnull=True)
    if view == "due_today":
        _start, end = _local_day(now)
        return Q(status__in=RUNNING_CASE_STATUSES, due_at__gte=now, due_at__lt=end)
    if view == "overdue":  # as CaseQuerySet.overdue, which the partial indexes serve
        return Q(status__in=RUNNING_CASE_STATUSES, due_at__lt=now)
    if view == "breach":
        return Q(quarter_hour_applies=True, quarter_hour_met=False)
    if view == "extension":
        pending = CaseExtension.objects.filter(case=OuterRef("pk"), status=ExtensionStatus.PENDING)
        return Q(Exists(pending))
    if view == "all":
        return Q()
    return open_q


def _figure_q(figure: str, now: dt.datetime) -> Q:
    good = Q(rating__counted=True, rating__grade__gte=GOOD_GRADE_MIN)
    return {
        "received": Q(),
        "responded": responded_q(),
        "not_responded": ~responded_q(),
        "resolvable": resolvable_q(now),
        "resolved": resolved_q(),
        "not_resolved": resolvable_q(now) & ~resolved_q(),
        "rated": Q(rating__counted=True),
        "good_rated": good,
        "bad_rated": Q(rating__counted=True) & ~good,
    }[figure]


@dataclass(frozen=True)
class CaseFilter:
    """One list of cases: a view, narrowed to a unit's subtree, a channel, a window's
    type, and (for the three rates) a month and a figure."""

    view: str = "open"
    unit: OrgUnit | None = None
    channel: str = ""
    window_type_id: int | None = None
    month: dt.date | None = None
    figure: str = ""

    def q(self, user: AnyUser, now: dt.datetime) -> Q:
        q = _view_q(self.view, user, now)
        if self.unit is not None:
            q &= Q(unit__path__startswith=self.unit.path)
        if self.channel:
            q &= Q(channel=self.channel)
        if self.window_type_id is not None:
            q &= Q(item__window_type_id=self.window_type_id)
        if self.figure:
            q &= _figure_q(self.figure, now)
        if self.month is not None:
            start, end = _month_bounds(self.month)
            if self.figure in RATING_FIGURES:  # a rating counts in the month it was given
                q &= Q(rating__rated_at__gte=start, rating__rated_at__lt=end)
            else:
                q &= Q(received_at__gte=start, received_at__lt=end)
        return q

    def params(self) -> dict[str, str]:
        found = {
            "view": self.view,
            "unit": str(self.unit.pk) if self.unit is not None else "",
            "channel": self.channel,
            "window_type": str(self.window_type_id or ""),
            "month": f"{self.month:%Y-%m}" if self.month else "",
            "figure": self.figure,
        }
        return {key: value for key, value in found.items() if value}

    @property
    def query(self) -> str:
        return urlencode(self.params())

    def url(self) -> str:
        return f"{reverse('services:cases')}?{self.query}"

    def with_(self, **changes: Any) -> CaseFilter:
        return replace(self, **changes)

    @property
    def channel_label(self) -> Any:
        return Channel(self.channel).label if self.channel else ""

    @property
    def label(self) -> Any:
        return FIGURES[self.figure] if self.figure else VIEWS[self.view]


def parse(params: Mapping[str, str], user: AnyUser) -> CaseFilter:
    """The filter a list page was asked for; unknown values fall back to the defaults, a
    unit out of the user's scope is a 404."""
    figure = params.get("figure", "")
    figure = figure if figure in FIGURES else ""
    view = params.get("view", "")
    view = view if view in VIEWS else ("all" if figure else "open")
    unit = get_unit_for_user(user, params["unit"]) if params.get("unit") else None
    channel = params.get("channel", "")
    channel = channel if channel in Channel.values else ""
    try:
        window_type_id: int | None = int(params.get("window_type", ""))
    except ValueError:
        window_type_id = None
    if window_type_id is not None and not 0 < window_type_id < 2**31:
        window_type_id = None
    month = None
    try:
        year, mon = (int(part) for part in params.get("month", "").split("-"))
        month = dt.date(year, mon, 1)
    except (ValueError, OverflowError):
        month = None
    if month is not None and not dt.date(2000, 1, 1) <= month <= dt.date(2100, 1, 1):
        month = None
    return CaseFilter(view, unit, channel, window_type_id, month, figure)


def cases(user: AnyUser, found: CaseFilter, now: dt.datetime | None = None) -> CaseQuerySet:
    return cases_for_user(user).filter(found.q(user, now or timezone.now()))


def count_cases(
    user: AnyUser, filters: Mapping[str, CaseFilter], now: dt.datetime | None = None
) -> dict[str, int]:
    """How many cases each filter lists, in one aggregate query."""
    if not filters:
        return {}
    now = now or timezone.now()
    return cases_for_user(user).aggregate(
        **{key: Count("pk", filter=f.q(user, now)) for key, f in filters.items()}
    )


def running_quarter_hours(user: AnyUser, unit: OrgUnit, limit: int = 5) -> list[Case]:
    """The cases under ``unit`` whose quarter hour is running, the soonest due first (for
    the live countdowns)."""
    return list(
        cases_for_user(user)
        .filter(CaseFilter("quarter_hour", unit).q(user, timezone.now()))
        .select_related("item")
        .order_by("quarter_hour_due_at", "pk")[:limit]
    )


# --- rectifications (整改) and the appeals against ratings ----------------------------

RECTIFICATION_VIEWS: dict[str, Any] = {
    "open": _("整改中"),
    "overdue": _("整改超期"),
    "appeal": _("申诉待裁决"),
    "all": _("全部"),
}


@dataclass(frozen=True)
class RectificationFilter:
    view: str = "open"
    unit: OrgUnit | None = None

    def q(self, now: dt.datetime) -> Q:
        if self.view == "open":
            q = Q(status__in=OPEN_RECTIFICATION_STATUSES)
        elif self.view == "overdue":
            q = Q(status__in=OPEN_RECTIFICATION_STATUSES, due_at__lt=now)
        elif self.view == "appeal":
            pending = RatingAppeal.objects.filter(
                rating=OuterRef("rating"), status=AppealStatus.PENDING
            )
            q = Q(Exists(pending))
        else:
            q = Q()
        if self.unit is not None:
            q &= Q(unit__path__startswith=self.unit.path) | Q(
                rating__unit__path__startswith=self.unit.path
            )
        return q

    @property
    def query(self) -> str:
        params = {"view": self.view, "unit": str(self.unit.pk) if self.unit else ""}
        return urlencode({k: v for k, v in params.items() if v})

    def url(self) -> str:
        return f"{reverse('services:rectifications')}?{self.query}"


def parse_rectifications(params: Mapping[str, str], user: AnyUser) -> RectificationFilter:
    view = params.get("view", "")
    unit = get_unit_for_user(user, params["unit"]) if params.get("unit") else None
    return RectificationFilter(view if view in RECTIFICATION_VIEWS else "open", unit)


def rectifications(
    user: AnyUser, found: RectificationFilter, now: dt.datetime | None = None
) -> RectificationQuerySet:
    return rectifications_for_user(user).filter(found.q(now or timezone.now()))


def count_rectifications(
    user: AnyUser, filters: Mapping[str, RectificationFilter], now: dt.datetime | None = None
) -> dict[str, int]:
    """How many rectifications each filter lists, in one aggregate query."""
    if not filters:
        return {}
    now = now or timezone.now()
    return rectifications_for_user(user).aggregate(
        **{key: Count("pk", filter=f.q(now)) for key, f in filters.items()}
    )


# --- the hall's queue ------------------------------------------------------------------


@dataclass(frozen=True)
class HallQueue:
    hall: ServiceHall
    waiting: int
    window: HallWindow | None = None
    at_window: int = 0


def hall_queue(user: AnyUser, unit: OrgUnit) -> HallQueue | None:
    """Today's waiting numbers in the hall of ``unit`` (a community), and at the window the
    user staffs there, if any (what ``hall.waiting_for`` would call): two queries."""
    hall = halls_for_user(user).filter(unit=unit).first()
    if hall is None:
        return None
    posts = [post.pk for post in active_posts(user)]
    window = (
        hall.windows.filter(active=True, post_id__in=posts)
        .select_related("window_type")
        .order_by("number")
        .first()
    )
    waiting = Q(status=TicketStatus.WAITING)
    mine = Q(pk__in=[])
    if window is not None:
        mine = waiting & (
            Q(window=window) | Q(window__isnull=True, window_type_id=window.window_type_id)
        )
    counts = Ticket.objects.filter(hall=hall, day=timezone.localdate()).aggregate(
        waiting=Count("pk", filter=waiting), at_window=Count("pk", filter=mine)
    )
    return HallQueue(hall, counts["waiting"], window, counts["at_window"])
