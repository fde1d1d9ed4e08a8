"""The demo's one-stop hall at 官坡社区, and a few months of history in 恩施市 so the
three-rates ranking says something: queue numbers, cases, ratings (mostly good, some
bad), rectifications (done, overdue, one appealed and upheld).

The live part (the hall, its windows, two ratings of the demo cases) goes through the
actions. The history is bulk-inserted (the system seeding data, like ``residents.py``),
deterministic, and marked by a fixed client token: a re-run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from shequ.demo.accounts import DEMO_COMMUNITY, DEMO_COUNTY, DEMO_TOWNSHIP
from shequ.demo.timeline import Draft, add_timeline, insert, load_calendar, set_deadlines
from shequ.insights import rates
from shequ.orgs.models import CommunityType, OrgUnit, UnitKind, User
from shequ.services.deadlines import quarter_hour
from shequ.services.hall import do_add_hall_window, do_create_service_hall
from shequ.services.models import (
    AppealStatus,
    Case,
    CaseStatus,
    Grade,
    Rating,
    RatingAppeal,
    Rectification,
    RectificationStatus,
    ServiceHall,
    ServiceItem,
    Ticket,
    TicketStatus,
    WindowType,
)
from shequ.services.ratings import do_rate_case, rectification_due_at
from shequ.services.verbs import CaseVerb

HISTORY_TOKEN = "demo-history"  # noqa: S105 - a client-token prefix
MONTHS = 4  # the current month and the three before it
CASES_PER_MONTH = 250  # in the county, spread over its urban and town communities
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
]


# The offices printed on the demo's papers (address, phone, hours); blank fields only.
OFFICES = {
    DEMO_COMMUNITY: (
        "恩施市舞阳坝街道官坡社区党群服务中心一楼便民服务大厅",
        "0718-8221433",
        "周一至周五 8:30-12:00 14:00-17:30(周六上午值班)",
    ),
    DEMO_TOWNSHIP: (
        "恩施市舞阳大道 89 号舞阳坝街道办事处政务服务中心",
        "0718-8236110",
        "周一至周五 8:30-12:00 14:30-17:30",
    ),
}


def ensure_demo_offices() -> int:
    """Fill the demo offices' contacts where they are blank; returns units changed."""
    changed = 0
    for code, (address, phone, hours) in OFFICES.items():
        unit = OrgUnit.objects.get(code=code)
        fields = []
        for name, value in (
            ("office_address", address),
            ("office_phone", phone),
            ("office_hours", hours),
        ):
            if not getattr(unit, name):
                setattr(unit, name, value)
                fields.append(name)
        if fields:
            unit.save(update_fields=fields)
            changed += 1
    return changed


def ensure_demo_hall() -> ServiceHall:
    """官坡社区's hall with the seed's ten windows (劳动就业, 信访接待, 计生, 民政, 民事调解,
    维权咨询, 社区事务, 综合服务 and the two more every Enshi hall runs), one per window
    type, so every catalogue item has a queue."""
    ensure_demo_offices()
    community = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    director = User.objects.get(username="director")
    hall = do_create_service_hall(director, community)
    types = list(WindowType.objects.filter(active=True).order_by("sort_order", "code"))
    served = set(hall.windows.values_list("window_type_id", flat=True))
    number = max(hall.windows.values_list("number", flat=True), default=0)
    for window_type in types:
        if window_type.pk in served:
            continue
        number += 1
        do_add_hall_window(director, hall, number=number, window_type=window_type)
    return hall


def ensure_demo_ratings() -> int:
    """Ratings of the demo cases: one good at the pad, one bad (its rectification is live)."""
    clerk = User.objects.get(username="clerk")
    made = 0
    for token, grade, comment in (
        ("demo-case-1", Grade.VERY_SATISFIED, "办得很快"),
        ("demo-case-10", Grade.DISSATISFIED, "等候时间太长,没有人引导"),
    ):
        case = Case.objects.filter(client_token=token).first()
        if case is None or Rating.objects.filter(case=case).exists():
            continue
        if case.status not in (CaseStatus.COMPLETED, CaseStatus.CLOSED):
            continue
        do_rate_case(
            clerk if grade < 3 else None,
            case,
            channel="phone" if grade < 3 else "pad",
            grade=grade,
            comment=comment,
        )
        made += 1
    return made


def _months(today: dt.date) -> list[dt.date]:
    months = [rates.month_start(today)]
    for _ in range(MONTHS - 1):
        months.append(rates.month_start(months[-1] - dt.timedelta(days=1)))
    return sorted(months)


@transaction.atomic
def ensure_demo_history(hall: ServiceHall) -> int:
    """Bulk history for 恩施市; returns how many cases it added (0 on a re-run)."""
    if Case.objects.filter(client_token=f"{HISTORY_TOKEN}-0").exists():
        return 0
    rng = random.Random(433)
    county = OrgUnit.objects.get(code=DEMO_COUNTY)
    communities = list(
        OrgUnit.objects.filter(
            path__startswith=county.path,
            kind=UnitKind.COMMUNITY,
            community_type__in=[CommunityType.URBAN, CommunityType.TOWN],
        ).order_by("path")
    )
    # some communities do well, some badly: a per-community quality
    quality = {c.pk: rng.uniform(0.55, 0.98) for c in communities}
    items = list(
        ServiceItem.objects.filter(active=True, handling_level="community").order_by("code")
    )
    now = timezone.now()
    cal = load_calendar()
    minute = dt.timedelta(minutes=1)
    drafts: list[Draft] = []
    n = 0
    for month in _months(timezone.localdate()):
        start, end = rates.month_bounds(month)
        end = min(end, now - dt.timedelta(hours=1))
        if end <= start:
            continue
        span = (end - start).total_seconds()
        for _ in range(CASES_PER_MONTH):
            where = rng.choice(communities)
            q = quality[where.pk]
            item = rng.choice(items)
            received = start + dt.timedelta(seconds=rng.uniform(0, span))
            online = item.public and rng.random() < 0.2
            met = rng.random() < q
            case = Case(
                unit=where,
                handling_unit=where,
                number=f"{timezone.localtime(received):%Y%m%d}H{n:07d}",
                channel="online" if online else "window",
                item=item,
                applicant_kind="caller",
                contact_name=rng.choice(NAMES),
                received_at=received,
                quarter_hour_applies=not online,
                quarter_hour_due_at=received + quarter_hour(),
                client_token=f"{HISTORY_TOKEN}-{n}",
            )
            d = Draft(case)
            d.log(received, "received", CaseStatus.RECEIVED, channel=case.channel)
            accepted = received + (5 if met else 40) * minute
            if not online:
                # the first step met the quarter hour, or the worker marked the breach
                case.quarter_hour_met = met
                case.quarter_hour_at = accepted if met else case.quarter_hour_due_at
                if not met:
                    d.log(case.quarter_hour_due_at, "quarter_hour_breached", CaseStatus.RECEIVED)
            set_deadlines(case, cal, accepted)
            case.status = CaseStatus.ACCEPTED
            d.log(accepted, "accepted", case.status)
            case.status = CaseStatus.IN_PROGRESS
            d.log(accepted + minute, "started", case.status)
            assert case.due_at is not None  # noqa: S101 - set_deadlines gave it one
            allowed = max(case.due_at - accepted, 10 * minute)
            done_in = allowed * (rng.uniform(0.2, 0.9) if rng.random() < q else 1.3)
            completed = accepted + minute + done_in
            if completed < now:
                case.status, case.completed_at, case.result = (
                    CaseStatus.COMPLETED,
                    completed,
                    "已办结",
                )
                d.log(completed, "completed", case.status, case.result)
                case.status, case.closed_at = CaseStatus.CLOSED, completed + minute
                d.log(case.closed_at, "closed", case.status)
            drafts.append(d)
            n += 1
    insert(drafts)
    cases = [d.case for d in drafts]
    ratings: list[Rating] = []
    for case in cases:
        if case.status != CaseStatus.CLOSED or rng.random() > 0.6 or case.completed_at is None:
            continue
        q = quality[case.unit_id]
        roll = rng.random()
        if roll < q * 0.6:
            grade = Grade.VERY_SATISFIED
        elif roll < q:
            grade = rng.choice([Grade.SATISFIED, Grade.BASICALLY_SATISFIED])
        else:
            grade = rng.choice([Grade.DISSATISFIED, Grade.VERY_DISSATISFIED])
        rated = min(case.completed_at + dt.timedelta(minutes=rng.randint(1, 600)), now)
        ratings.append(
            Rating(
                case=case,
                unit=case.unit,
                handling_unit=case.handling_unit,
                channel="link" if case.channel == "online" else "pad",
                grade=grade,
                criteria={"overall": int(grade)},
                rated_at=rated,
            )
        )
    Rating.objects.bulk_create(ratings, batch_size=500)
    add_timeline(
        (
            r.case,
            [
                (
                    r.rated_at,
                    CaseVerb.RATED,
                    r.case.status,
                    "",
                    {"grade": r.grade, "channel": r.channel},
                )
            ],
        )
        for r in ratings
    )
    bad = list(
        Rating.objects.filter(case__client_token__startswith=f"{HISTORY_TOKEN}-", grade__lt=3)
        .select_related("case")
        .order_by("rated_at")
    )
    rects: list[Rectification] = []
    for i, rating in enumerate(bad):
        due = rectification_due_at(rating.rated_at)
        rect = Rectification(
            rating=rating, unit=rating.handling_unit, opened_at=rating.rated_at, due_at=due
        )
        if due < now and i % 5 != 0:  # most past ones done; every fifth left overdue
            t = rating.rated_at
            rect.status = RectificationStatus.DONE
            rect.verified_at, rect.verify_note = t + dt.timedelta(hours=4), "已调取窗口录像核实"
            rect.fixed_at, rect.fix_note = (
                t + dt.timedelta(days=1),
                "已对窗口人员批评教育并增设引导员",
            )
            rect.replied_at, rect.reply_note = t + dt.timedelta(days=2), "已电话答复申请人"
            rect.followed_up_at = t + dt.timedelta(days=3)
            rect.follow_up_note = "回访申请人,表示认可"
            rect.second_grade = rng.choice([Grade.SATISFIED, Grade.BASICALLY_SATISFIED])
        rects.append(rect)
    Rectification.objects.bulk_create(rects, batch_size=500)
    add_timeline(
        (
            r.rating.case,
            [
                (
                    r.followed_up_at,
                    CaseVerb.RATING_FOLLOWED_UP,
                    r.rating.case.status,
                    r.follow_up_note,
                    {"grade": r.second_grade},
                )
            ],
        )
        for r in rects
        if r.followed_up_at is not None
    )
    if bad:  # one rating made in error, appealed and upheld: dropped from the figures
        wrong = bad[-1]
        clerk = User.objects.get(username="clerk")
        director = User.objects.get(username="director")
        RatingAppeal.objects.create(
            rating=wrong,
            reason="老人误按了“不满意”,当场已表示满意",
            status=AppealStatus.UPHELD,
            requested_by=clerk,
            decided_by=director,
            decided_at=now,
            decision_note="经查看评价器记录和窗口录像,申诉成立",
        )
        Rating.objects.filter(pk=wrong.pk).update(counted=False)
        add_timeline(
            [
                (
                    wrong.case,
                    [(now, CaseVerb.RATING_APPEAL_UPHELD, wrong.case.status, "申诉成立", {})],
                )
            ]
        )
    _queue_history(hall, rng, now)
    for month in _months(timezone.localdate()):
        rates.refresh_month(month)
    return len(cases)


def _queue_history(hall: ServiceHall, rng: random.Random, now: dt.datetime) -> None:
    windows = list(hall.windows.all())
    if not windows:
        return
    tickets: list[Ticket] = []
    today = timezone.localdate()
    for back in range(1, 8):
        day = today - dt.timedelta(days=back)
        if day.weekday() >= 5:
            continue
        opening = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)))
        for seq in range(1, rng.randint(15, 30)):
            window = rng.choice(windows)
            taken = opening + dt.timedelta(minutes=seq * rng.randint(6, 12))
            called = taken + dt.timedelta(minutes=rng.randint(1, 25))
            tickets.append(
                Ticket(
                    hall=hall,
                    unit=hall.unit,
                    window_type_id=window.window_type_id,
                    window=window,
                    day=day,
                    seq=seq,
                    status=TicketStatus.SKIPPED if rng.random() < 0.05 else TicketStatus.DONE,
                    name=rng.choice(NAMES),
                    taken_at=taken,
                    called_at=called,
                    finished_at=called + dt.timedelta(minutes=rng.randint(3, 20)),
                )
            )
    Ticket.objects.bulk_create(tickets, batch_size=500)
