"""The workbench: for each of a user's posts, tiles that count what waits for them, each
linking to the list behind it.

The counts come from the apps' own read functions (``services.worklists``,
``agency.figures``, ``insights.rates``), the same filters their list pages use, so a tile
and its list agree. Each post costs a fixed handful of aggregate queries, whatever the
number of cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.agency.figures import agent_workload
from shequ.insights import rates
from shequ.insights.dashboards import officer_dashboard
from shequ.orgs.access import COMMUNITY_LEAD_ROLES, OFFICER_ROLES, AnyUser, active_posts
from shequ.orgs.models import Post, Role
from shequ.services import worklists
from shequ.services.access import receiving_units
from shequ.services.models import Case
from shequ.services.worklists import CaseFilter, RectificationFilter


@dataclass
class Tile:
    key: str
    label: Any
    count: int
    url: str
    # "danger" when anything is late, "warning" when something is about to be
    alert: str = ""

    def __post_init__(self) -> None:
        if not self.count:
            self.alert = ""


@dataclass
class RateLine:
    """One unit's three rates this month, each linking to the cases behind it."""

    rates: rates.Rates
    links: dict[str, str]
    small: bool


@dataclass
class Panel:
    post: Post
    tiles: list[Tile] = field(default_factory=list)
    actions: list[tuple[Any, str]] = field(default_factory=list)
    countdowns: list[Case] = field(default_factory=list)
    hall: worklists.HallQueue | None = None
    rates: RateLine | None = None
    ranking: list[RateLine] = field(default_factory=list)
    month: dt.date | None = None


def _case_tiles(
    user: AnyUser, specs: list[tuple[str, Any, CaseFilter, str]], now: dt.datetime
) -> list[Tile]:
    counts = worklists.count_cases(user, {key: f for key, _l, f, _a in specs}, now)
    return [Tile(key, label, counts[key], f.url(), alert) for key, label, f, alert in specs]


def _clerk(panel: Panel, user: AnyUser, now: dt.datetime) -> None:
    unit = panel.post.unit
    hall = worklists.hall_queue(user, unit)
    specs = [
        ("mine", _("本社区待办"), CaseFilter("mine", unit), ""),
        ("today", _("今日登记"), CaseFilter("today", unit), ""),
        ("quarter_hour", _("一刻钟计时中"), CaseFilter("quarter_hour", unit), "warning"),
        ("due_today", _("今日到期"), CaseFilter("due_today", unit), "warning"),
        ("overdue", _("已超期"), CaseFilter("overdue", unit), "danger"),
    ]
    if hall is not None and hall.window is not None:
        mine = CaseFilter("mine", unit, window_type_id=hall.window.window_type_id)
        specs.insert(0, ("window", _("本窗口待办"), mine, ""))
    panel.tiles = _case_tiles(user, specs, now)
    panel.countdowns = worklists.running_quarter_hours(user, unit)
    panel.hall = hall
    if hall is not None:
        if hall.window is not None:
            url = reverse("services:hall_window", args=[hall.hall.pk, hall.window.pk])
            panel.tiles.append(Tile("hall_window", _("本窗口等候"), hall.at_window, url))
        url = reverse("services:hall", args=[hall.hall.pk])
        panel.tiles.append(Tile("hall", _("大厅等候"), hall.waiting, url))


def _agent(panel: Panel, user: AnyUser, now: dt.datetime) -> None:
    unit = panel.post.unit
    load = agent_workload(user, unit)
    mine = f"{reverse('agency:overview')}?view=mine"
    expiring = f"{reverse('agency:overview')}?auth=expiring"
    panel.tiles = [
        Tile("agency_cases", _("我的代理件"), load["cases"], mine),
        Tile("wait_resident", _("等居民补正"), load["correction"], mine),
        Tile("wait_community", _("等社区办理"), load["community"], mine),
        Tile("wait_above", _("等上级办理"), load["sent_up"], mine),
        Tile("wait_me", _("待我送还结果"), load["returning"], mine, "warning"),
        Tile("expiring", _("授权将到期"), load["expiring"], expiring, "warning"),
    ]
    panel.tiles += _case_tiles(
        user,
        [("agency_overdue", _("代理办件超期"), CaseFilter("overdue", unit, "agency"), "danger")],
        now,
    )
    panel.actions.append((_("登记授权委托"), reverse("agency:authorization_new")))


def _grid_worker(panel: Panel, user: AnyUser, now: dt.datetime) -> None:
    unit = panel.post.unit
    panel.tiles = _case_tiles(
        user,
        [
            ("quarter_hour", _("一刻钟内待响应"), CaseFilter("quarter_hour", unit), "warning"),
            ("patrol", _("巡查上报在办"), CaseFilter("open", unit, "patrol"), ""),
            ("patrol_today", _("今日巡查上报"), CaseFilter("today", unit, "patrol"), ""),
            ("overdue", _("网格内超期"), CaseFilter("overdue", unit), "danger"),
        ],
        now,
    )
    panel.countdowns = worklists.running_quarter_hours(user, unit)


def _lead(panel: Panel, user: AnyUser, now: dt.datetime) -> None:
    unit = panel.post.unit
    month = timezone.localdate(now).replace(day=1)
    panel.tiles = _case_tiles(
        user,
        [
            ("breach", _("本月一刻钟超时"), CaseFilter("breach", unit, month=month), "danger"),
            ("extension", _("延期待审批"), CaseFilter("extension", unit), "warning"),
            ("overdue", _("已超期"), CaseFilter("overdue", unit), "danger"),
        ],
        now,
    )
    rects = {
        "appeal": RectificationFilter("appeal", unit),
        "rect_open": RectificationFilter("open", unit),
        "rect_overdue": RectificationFilter("overdue", unit),
    }
    counts = worklists.count_rectifications(user, rects, now)
    for key, label, alert in (
        ("appeal", _("申诉待裁决"), "warning"),
        ("rect_open", _("差评整改中"), ""),
        ("rect_overdue", _("整改超期"), "danger"),
    ):
        panel.tiles.append(Tile(key, label, counts[key], rects[key].url(), alert))


def _rate_line(r: rates.Rates, month: dt.date, minimum: int) -> RateLine:
    links = {
        name: CaseFilter("all", r.unit, month=month, figure=figures[0]).url()
        for name, figures in worklists.RATE_FIGURES.items()
    }
    links["page"] = f"{reverse('insights:rates')}?unit={r.unit.pk}&month={month:%Y-%m}"
    return RateLine(r, links, r.cases < minimum)


def _officer(panel: Panel, user: AnyUser, now: dt.datetime) -> None:
    unit = panel.post.unit
    panel.tiles = _case_tiles(
        user,
        [
            ("mine", _("报送本级待办"), CaseFilter("mine", unit), ""),
            ("village", _("村级服务点事项"), CaseFilter("mine", unit, "village_point"), ""),
            ("extension", _("延期待审批"), CaseFilter("extension", unit), "warning"),
            ("overdue", _("辖区超期办件"), CaseFilter("overdue", unit), "danger"),
        ],
        now,
    )
    month = rates.month_start(timezone.localdate(now))
    minimum = settings.SHEQU_RATES_MIN_CASES
    panel.month = month
    panel.rates = _rate_line(rates.rates_for(unit, month), month, minimum)
    panel.ranking = [_rate_line(r, month, minimum) for r in rates.ranking(unit, month)]


BUILDERS = {
    Role.CLERK: _clerk,
    Role.AGENT: _agent,
    Role.GRID_WORKER: _grid_worker,
    Role.PARTY_SECRETARY: _lead,
    Role.DIRECTOR: _lead,
    Role.TOWNSHIP_OFFICER: _officer,
    Role.COUNTY_OFFICER: _officer,
    Role.PREFECTURE_OFFICER: _officer,
}


def workbench(user: AnyUser) -> dict[str, Any]:
    """The workbench page's context: a panel per post, and the officers' charts."""
    now = timezone.now()
    posts = active_posts(user)
    receiving = {u.pk for u in receiving_units(user)} if posts else set()
    panels = []
    for post in sorted(posts, key=lambda p: (p.unit.path, p.role)):
        panel = Panel(post)
        build = BUILDERS.get(Role(post.role))
        if build is not None:
            build(panel, user, now)
        if post.unit_id in receiving and post.role != Role.AGENT:
            panel.actions.insert(0, (_("登记办件"), reverse("services:case_new")))
        panels.append(panel)
    charts = {}
    if any(p.role in OFFICER_ROLES | COMMUNITY_LEAD_ROLES for p in posts):
        charts = officer_dashboard(user)
    return {"panels": panels, "dash": charts, "now": now}
