"""Two years of case history across the prefecture, so the queues, timelines, the three
rates and later dashboards have substance: every community and village of 恩施市 and a
sample in each other county, all channels and kinds, refused, returned, sent up,
completed late, quarter-hour breaches, and a few open cases left overdue.

Bulk-inserted (the system seeding data, like ``hall.ensure_demo_history``), with a
timeline (``CaseEvent``) that matches each case's status and timestamps, due dates from
the working-day calendar table, deterministic (a fixed seed), and marked by a fixed
client-token prefix: a re-run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from shequ.demo.accounts import DEMO_COMMUNITY, DEMO_COUNTY
from shequ.demo.timeline import Calendar, Draft, insert, load_calendar, set_deadlines
from shequ.insights import rates
from shequ.insights.models import RollupCursor
from shequ.lib.workdays import WorkCalendar
from shequ.orgs.models import CommunityType, OrgUnit, UnitKind, User
from shequ.services.deadlines import quarter_hour
from shequ.services.models import (
    OPEN_CASE_STATUSES,
    QUARTER_HOUR_CHANNELS,
    Case,
    CaseEvent,
    CasePause,
    CaseStatus,
    Channel,
    HandlingLevel,
    ItemKind,
    ServiceItem,
)

TOKEN = "demo-years"  # noqa: S105 - a client-token prefix
SEED = 4228
MONTHS = 26  # the current month and the 25 before it
CASES = 6_000  # over the whole span: bulk inserts through the ORM take ~2 ms a case
SAMPLE_PER_COUNTY = 12  # communities and villages of each county other than 恩施市
# Cases a unit receives, relative: a city community is busier than a mountain village.
WEIGHT: dict[str, int] = {CommunityType.URBAN: 6, CommunityType.TOWN: 3, CommunityType.RURAL: 1}
CHANNELS = [
    (Channel.WINDOW, 46),
    (Channel.HOTLINE, 12),
    (Channel.AGENCY, 9),
    (Channel.VILLAGE_POINT, 9),
    (Channel.ONLINE, 14),
    (Channel.PATROL, 5),
    (Channel.API, 5),
]
NAMES = [
    "向桂英",
    "田大海",
    "谭德英",
    "黄春花",
    "杨光明",
    "冉小红",
    "覃志刚",
    "邓秀兰",
    "张建华",
    "李凤英",
    "彭玉兰",
    "龙再兴",
]
ORGS = ["恩施州中心医院", "恩施市第一中学", "舞阳坝农贸市场", "恩施硒都茶业有限公司"]
# Steps the community's clerk takes (the rest: the worker, or the unit a case went up to).
STAFF_VERBS = frozenset({"received", "accepted", "refused", "returned", "arrived", "started"})
STAFF_VERBS = STAFF_VERBS | {"sent_up", "closed"}
MISSING = ["户口簿复印件", "近期一寸免冠照片", "收入情况证明"]
DAY = dt.timedelta(days=1)


def _units() -> list[OrgUnit]:
    county = OrgUnit.objects.get(code=DEMO_COUNTY)
    kinds = [UnitKind.COMMUNITY, UnitKind.VILLAGE]
    units = list(
        OrgUnit.objects.filter(path__startswith=county.path, kind__in=kinds).order_by("path")
    )
    others = OrgUnit.objects.filter(kind=UnitKind.COUNTY).exclude(pk=county.pk).order_by("path")
    for other in others:
        found = list(
            OrgUnit.objects.filter(path__startswith=other.path, kind__in=kinds).order_by("path")
        )
        step = max(1, len(found) // SAMPLE_PER_COUNTY)
        units += found[::step][:SAMPLE_PER_COUNTY]
    return units


def _office_time(rng: random.Random, wc: WorkCalendar, day: dt.date) -> dt.datetime:
    """A moment in office hours on the first working day from ``day``."""
    day = wc.next_working_day(day)
    minute = rng.choice([rng.randint(510, 720), rng.randint(840, 1050)])  # 8:30-12, 14-17:30
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minute // 60, minute % 60)))


def _above(unit: OrgUnit, level: str, by_path: dict[str, OrgUnit]) -> OrgUnit | None:
    kind = UnitKind.TOWNSHIP if level == HandlingLevel.TOWNSHIP else UnitKind.COUNTY
    step = OrgUnit.steplen
    for i in range(len(unit.path) - step, 0, -step):
        up = by_path.get(unit.path[:i])
        if up is not None and up.kind == kind:
            return up
    return None


def _draft(
    n: int,
    rng: random.Random,
    cal: Calendar,
    unit: OrgUnit,
    item: ServiceItem,
    channel: str,
    received: dt.datetime,
    now: dt.datetime,
    up: OrgUnit | None,
    actor: User | None,
) -> Draft:
    minute = dt.timedelta(minutes=1)
    qh_applies = channel in QUARTER_HOUR_CHANNELS
    kind = rng.random()
    fields: dict[str, Any] = {"applicant_kind": "caller", "contact_name": rng.choice(NAMES)}
    if kind < 0.06:
        fields = {"applicant_kind": "resident_unit", "org_name": rng.choice(ORGS)}
    case = Case(
        unit=unit,
        handling_unit=unit,
        number=f"{timezone.localtime(received):%Y%m%d}L{n:07d}",
        channel=channel,
        item=item,
        status=CaseStatus.RECEIVED,
        received_at=received,
        quarter_hour_applies=qh_applies,
        quarter_hour_due_at=received + quarter_hour(),
        client_token=f"{TOKEN}-{n}",
        created_by=actor,
        summary=f"{item.name}。",
        **fields,
    )
    d = Draft(case)
    d.log(received, "received", CaseStatus.RECEIVED, case.summary, channel=channel)
    # The first step comes within the quarter hour, or (about one in sixteen) too late.
    breach = qh_applies and rng.random() < 0.0625
    first = received + (rng.randint(16, 90) if breach else rng.randint(1, 14)) * minute
    if not qh_applies:  # online and API filings are looked at within office hours
        first = max(first, _office_time(rng, cal.work, timezone.localtime(received).date()))
        first = max(first, received + rng.randint(20, 300) * minute)
    if breach:
        case.quarter_hour_met, case.quarter_hour_at = False, case.quarter_hour_due_at
        d.log(case.quarter_hour_due_at, "quarter_hour_breached", CaseStatus.RECEIVED)

    def settle(at: dt.datetime) -> None:
        if qh_applies and case.quarter_hour_met is None:
            case.quarter_hour_met, case.quarter_hour_at = at <= case.quarter_hour_due_at, at

    roll = rng.random()
    if roll < 0.03 and item.kind != ItemKind.ON_SITE:  # 不予受理
        case.status, case.result = CaseStatus.REFUSED, "申请人不符合该事项的申请条件"
        settle(first)
        d.log(first, "refused", case.status, case.result, legal_basis="该事项办事指南所列条件")
        if first + dt.timedelta(days=3) < now:
            case.status, case.closed_at = CaseStatus.CLOSED, first + dt.timedelta(days=3)
            d.log(case.closed_at, "closed", case.status)
        return d

    if item.kind == ItemKind.IMMEDIATE:  # done on the spot, within the quarter hour
        set_deadlines(case, cal, first)
        case.completed_at = first
        case.reply_due_at = None
        case.status, case.result = CaseStatus.COMPLETED, "已当场办结"
        settle(first)
        d.log(first, "completed", case.status, case.result)
        return _close(d, rng, now)

    # commitment and on-site items: accept, due dates from the calendar
    accepted = first if item.kind != ItemKind.ON_SITE else received + rng.randint(1, 5) * minute
    set_deadlines(case, cal, accepted)
    case.status = CaseStatus.ACCEPTED
    if item.kind != ItemKind.ON_SITE:
        settle(accepted)
    d.log(accepted, "accepted", case.status)
    if item.kind != ItemKind.ON_SITE and received > now - 3 * DAY and 0.05 <= roll < 0.25:
        return d  # accepted lately, work not started yet
    at = accepted
    if item.kind == ItemKind.ON_SITE:
        case.arrived_at = at = max(first, accepted + minute)
        case.status = CaseStatus.IN_PROGRESS
        settle(at)
        d.log(at, "arrived", case.status)
    if up is not None:
        at = at + dt.timedelta(hours=rng.randint(1, 30))
        if at > now:
            return d
        case.status, case.handling_unit = CaseStatus.SENT_UP, up
        d.log(at, "sent_up", case.status, "已核实,报上级审批", to_unit=up.pk)
    elif item.kind != ItemKind.ON_SITE:
        at = at + dt.timedelta(minutes=rng.randint(10, 600))
        if at > now:
            return d
        case.status = CaseStatus.IN_PROGRESS
        d.log(at, "started", case.status)
    due = case.due_at
    assert due is not None  # noqa: S101 - set_deadlines gave it one
    if roll > 0.985 and due < now:  # forgotten: left open and overdue
        return d
    if 0.03 <= roll < 0.05 and received > now - dt.timedelta(days=20):
        # waiting for the applicant's correction (补正): the clock stands
        pause_at = at + dt.timedelta(hours=2)
        if pause_at < now:
            case.status = CaseStatus.RETURNED
            names = rng.sample(MISSING, 2)
            d.pause = CasePause(started_at=pause_at, missing_materials=names)
            d.log(pause_at, "returned", case.status, missing=names)
            return d
    span = due - accepted
    late = rng.random() < 0.07
    done = due + dt.timedelta(hours=rng.randint(2, 96)) if late else accepted + span * rng.random()
    done = max(done, at + minute)
    if done > now:
        return d
    case.status, case.completed_at = CaseStatus.COMPLETED, done
    case.result = "已办结,结果已告知申请人"
    d.log(done, "completed", case.status, case.result)
    return _close(d, rng, now)


def _by_clerk(case: Case, verb: str) -> bool:
    return verb in STAFF_VERBS or (verb == "completed" and case.handling_unit_id == case.unit_id)


def _close(d: Draft, rng: random.Random, now: dt.datetime) -> Draft:
    case = d.case
    assert case.completed_at is not None  # noqa: S101 - called on completed cases
    closed = case.completed_at + dt.timedelta(days=rng.randint(1, 6))
    if closed < now:
        case.status, case.closed_at = CaseStatus.CLOSED, closed
        d.log(closed, "closed", case.status)
    return d


@transaction.atomic
def ensure_case_history(now: dt.datetime | None = None) -> int:
    """Insert the history; returns how many cases it added (0 on a re-run)."""
    if Case.objects.filter(client_token=f"{TOKEN}-0").exists():
        return 0
    now = now or timezone.now()
    rng = random.Random(SEED)
    cal = load_calendar()
    wc = cal.work
    units = _units()
    by_path = {
        u.path: u
        for u in OrgUnit.objects.filter(kind__in=[UnitKind.TOWNSHIP, UnitKind.COUNTY]).only(
            "pk", "path", "kind"
        )
    }
    items = list(ServiceItem.objects.filter(active=True).order_by("code"))
    weights = [WEIGHT.get(u.community_type or "", 1) for u in units]
    clerk = User.objects.filter(username="clerk").first()
    first_month = timezone.localdate(now).replace(day=1)
    for _ in range(MONTHS - 1):
        first_month = (first_month - dt.timedelta(days=1)).replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(first_month, dt.time.min))
    span_days = (timezone.localdate(now) - first_month).days
    drafts: list[Draft] = []
    for n in range(CASES):
        unit = rng.choices(units, weights)[0]
        channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        item = rng.choice(items)
        if channel == Channel.ONLINE and not item.public:
            channel = Channel.WINDOW
        if channel == Channel.VILLAGE_POINT and not item.village_point_allowed:
            channel = Channel.WINDOW
        if channel == Channel.AGENCY and not item.agency_allowed:
            channel = Channel.WINDOW
        if channel == Channel.PATROL and item.kind != ItemKind.ON_SITE:
            channel = Channel.HOTLINE
        day = first_month + dt.timedelta(days=rng.randrange(span_days + 1))
        if channel in (Channel.ONLINE, Channel.API):
            received = start + dt.timedelta(
                days=(day - first_month).days, seconds=rng.randrange(86400)
            )
        else:
            received = _office_time(rng, wc, day)
        if received > now - dt.timedelta(hours=2):
            received = now - dt.timedelta(hours=rng.randint(2, 24 * 20))
            received = min(received, _office_time(rng, wc, timezone.localdate(received)))
        up = _above(unit, item.handling_level, by_path) if item.sent_up else None
        actor = clerk if clerk is not None and unit.code == DEMO_COMMUNITY else None
        drafts.append(_draft(n, rng, cal, unit, item, channel, received, now, up, actor))
    for d in drafts:  # open past its due time: the worker has escalated it once
        case = d.case
        late = case.due_at is not None and case.due_at < now
        if late and case.status in OPEN_CASE_STATUSES and case.status != CaseStatus.RETURNED:
            assert case.due_at is not None  # noqa: S101 - for mypy
            case.escalated_for_due_at = case.due_at
            due = case.due_at.isoformat()
            d.log(case.due_at + dt.timedelta(minutes=1), "overdue", case.status, due_at=due)
    insert(drafts, actor_for=lambda case, verb: case.created_by if _by_clerk(case, verb) else None)
    # The rollups: recompute every month of the span (all communities), then move the
    # worker's cursor past the history so it does not read it all again.
    month = first_month
    while month <= timezone.localdate(now):
        rates.refresh_month(month, now=now)
        month = rates.next_month(month)
    last = CaseEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    RollupCursor.objects.update_or_create(name=rates.CURSOR, defaults={"last_event_id": last})
    return len(drafts)
