"""Demo affairs disclosure (居务公开): every community of 恩施市 on the "1+4+X"
calendar from 2025-01-01, with two years of disclosures — most on time, some late, some
missing — and residents' questions, answered on time, late or not at all.

- Settings: every community joins on 2025-01-01; every fifth has frequent collective
  transactions (finances monthly); each chooses one "X" item (rural: 惠农补贴发放情况;
  urban and town: 小区物业和停车管理情况).
- The main demo village (谭家坝村, login ``village_director``) writes its history
  through the actions (submit → the supervision committee's chair reviews → publish),
  so its records carry their audit events; it leaves 2026Q3's finances late, the
  assistance report of 2026Q2 missing, and the current quarter open.
- Every other community is written with ``bulk_create`` (fast, deterministic: a seeded
  random draw per due): about 78 % on time, 12 % late, 10 % never published; the
  review is recorded as the supervision committee's paper sign-off where the committee's
  members are not on the platform (``reviewer`` empty, the note says so).
- Past reminders are marked sent (as if the worker had run); overdue dues older than a
  quarter are marked escalated, so a first worker run tells the townships only of the
  recent ones.

Idempotent: a county whose communities are on the calendar is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from shequ.governance import disclosure_actions as da
from shequ.governance.disclosure_calendar import ensure_dues
from shequ.governance.models import (
    CommitteeKind,
    CommitteeMember,
    Disclosure,
    DisclosureDue,
    DisclosureItem,
    DisclosureQuestion,
    DisclosureSetting,
    DisclosureStatus,
    MemberPost,
    QuestionChannel,
)
from shequ.orgs.models import CommunityType, OrgUnit, UnitKind

ENSHI = "422801000000"
ADOPTED = dt.date(2025, 1, 1)
PAPER_REVIEW = "监督委员会书面审核签字(纸质记录)"
ASKERS = ["谭德明", "向春兰", "黄建国", "杨秀英", "刘志强", "覃红梅", "冉文华", "邓小军"]
QUESTIONS = [
    "支出明细中的招待费用于何事?",
    "救助款发放名单是否包括我组的困难户?",
    "道路维修的工程款是按什么标准结算的?",
    "集体林地租金为何比去年少?",
]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _chosen(unit: OrgUnit, n: int) -> DisclosureItem:
    rural = unit.community_type == CommunityType.RURAL
    return DisclosureItem(
        unit=unit,
        applies_to="rural" if rural else "urban",
        category="chosen",
        code="x-subsidy" if rural else "x-property",
        title="惠农补贴发放情况" if rural else "小区物业和停车管理情况",
        cadence="quarterly",
        due_day=20,
        article="社区自选事项(1+4+X 的 X)",
        confirmed=False,
        note="自选事项由社区确定,示例数据。",
        order=100 + n,
    )


def _table(due: DisclosureDue, rng: random.Random) -> list[list[str]]:
    income = rng.randrange(8_000, 60_000)
    spent = rng.randrange(5_000, income)
    return [["项目", "金额(元)"], ["本期收入", f"{income}.00"], ["本期支出", f"{spent}.00"],
            ["结余", f"{income - spent}.00"]]  # fmt: skip


def _history_by_actions(unit: OrgUnit, today: dt.date) -> int:
    """谭家坝村: every past due published through the actions, but for the late and the
    missing one the demo shows."""
    chair = (
        CommitteeMember.objects.filter(
            committee__unit=unit,
            committee__kind=CommitteeKind.SUPERVISION,
            committee__ended_on__isnull=True,
            post=MemberPost.DIRECTOR,
        )
        .order_by("pk")
        .first()
    )
    if chair is None:
        return 0
    rng = random.Random(unit.pk)
    made = 0
    dues = DisclosureDue.objects.filter(unit=unit, due_on__lt=today).select_related("item")
    for due in dues.order_by("due_on", "pk"):
        if due.item.code == "v-assist" and due.key == "2026Q2":
            continue  # missing: the township sees it overdue
        late = due.item.code == "v-finance" and due.key in ("2026Q3", "2025-09")
        day = due.due_on + dt.timedelta(days=9 if late else -rng.randrange(1, 6))
        if day < chair.started_on:
            day = max(chair.started_on, due.period_end + dt.timedelta(days=1))
        if day >= today:
            continue
        d = da.do_submit_disclosure(
            None,
            unit=unit,
            item=due.item,
            due=due,
            title=f"{unit.name}{due.item.title}({due.key if not due.resolution_id else due.period_start})",
            body=f"现将{due.item.title}公布如下,请村民监督。",
            table=_table(due, rng) if due.item.category == "finance" else [],
            at=_at(day - dt.timedelta(days=1)),
            client_token=f"demo-disclosure-{due.pk}",
        )
        if d.status == DisclosureStatus.SUBMITTED:
            da.do_review_disclosure(None, d, reviewer=chair, approve=True, at=_at(day, 9))
            da.do_publish_disclosure(None, d, at=_at(day, 11))
        made += 1
    published = list(
        Disclosure.objects.filter(unit=unit, status=DisclosureStatus.PUBLISHED, item__category="finance")
        .order_by("-published_on")[:3]
    )  # fmt: skip
    for n, d in enumerate(published):
        asked = (d.published_on or today) + dt.timedelta(days=2)
        if asked >= today:
            continue
        q = da.do_ask_question(
            None,
            d,
            asker=ASKERS[n],
            text=QUESTIONS[n],
            channel=QuestionChannel.PORTAL,
            at=_at(asked),
            client_token=f"demo-disclosure-q-{d.pk}",
        )
        if n == 1 and q.answered_at is None and asked + dt.timedelta(days=4) < today:
            da.do_answer_question(
                None, q, "已核实,明细见村委会账簿,欢迎查阅。", at=_at(asked + dt.timedelta(days=4))
            )
    return made


def _bulk_history(units: list[OrgUnit], today: dt.date) -> int:
    dues = list(
        DisclosureDue.objects.filter(unit__in=units, due_on__lt=today)
        .select_related("item", "unit")
        .order_by("pk")
    )
    rows: list[Disclosure] = []
    for due in dues:
        rng = random.Random(due.unit_id * 100_003 + due.due_on.toordinal() + due.item_id)
        draw = rng.random()
        if draw < 0.10:
            continue  # never published
        if draw < 0.22:
            day = due.due_on + dt.timedelta(days=rng.randrange(3, 26))
        else:
            day = due.due_on - dt.timedelta(days=rng.randrange(0, 8))
        day = max(day, due.period_start)
        if day >= today:
            continue
        rows.append(
            Disclosure(
                unit=due.unit,
                item=due.item,
                due=due,
                title=f"{due.unit.name}{due.item.title}({due.key if not due.resolution_id else due.period_start})",
                body=f"现将{due.item.title}公布如下,请群众监督。",
                table=_table(due, rng) if due.item.category == "finance" else [],
                status=DisclosureStatus.PUBLISHED,
                created_at=_at(day - dt.timedelta(days=2)),
                reviewed_at=_at(day - dt.timedelta(days=1)),
                review_note=PAPER_REVIEW,
                published_at=_at(day, 11),
                published_on=day,
            )
        )  # fmt: skip
    Disclosure.objects.bulk_create(rows, batch_size=1000)
    # Questions about one finance disclosure in twenty.
    finance = list(
        Disclosure.objects.filter(
            unit__in=units, status=DisclosureStatus.PUBLISHED, item__category="finance"
        ).order_by("pk")
    )
    questions: list[DisclosureQuestion] = []
    for d in finance:
        rng = random.Random(d.pk)
        if rng.random() >= 0.05 or d.published_on is None:
            continue
        asked = d.published_on + dt.timedelta(days=rng.randrange(1, 10))
        if asked >= today:
            continue
        answer_due = asked + dt.timedelta(days=10)
        fate = rng.random()
        answered = (
            None
            if fate < 0.12
            else asked + dt.timedelta(days=rng.randrange(12, 20) if fate < 0.25 else rng.randrange(1, 10))
        )  # fmt: skip
        if answered is not None and answered >= today:
            answered = None
        questions.append(
            DisclosureQuestion(
                unit_id=d.unit_id,
                disclosure=d,
                asker=rng.choice(ASKERS),
                channel=rng.choice([QuestionChannel.PORTAL, QuestionChannel.PAPER]),
                text=rng.choice(QUESTIONS),
                asked_at=_at(asked),
                answer_due_on=answer_due,
                answer="经核实,明细已在公开栏补充公布。" if answered else "",
                answered_at=_at(answered, 15) if answered else None,
                answered_on=answered,
            )
        )
    DisclosureQuestion.objects.bulk_create(questions, batch_size=1000)
    return len(rows)


def ensure_demo_disclosure() -> int:
    """Put 恩施市's communities on the calendar with two years of history; returns how
    many disclosures were written."""
    county = OrgUnit.objects.filter(code=ENSHI).first()
    if county is None:
        return 0
    units = list(
        OrgUnit.objects.filter(path__startswith=county.path, kind=UnitKind.COMMUNITY).order_by(
            "path"
        )
    )
    if not units or DisclosureSetting.objects.filter(unit__in=units).exists():
        return 0
    today = timezone.localdate()
    rural = [u for u in units if u.community_type == CommunityType.RURAL]
    main = rural[0] if rural else None
    with transaction.atomic():
        settings = DisclosureSetting.objects.bulk_create(
            [
                DisclosureSetting(
                    unit=u,
                    adopted_on=ADOPTED,
                    frequent_finance=n % 5 == 4 and u != main,
                    board_location="村委会门口村务公开栏"
                    if u.community_type == CommunityType.RURAL
                    else "社区党群服务中心居务公开栏",
                )
                for n, u in enumerate(units)
            ]
        )
        DisclosureItem.objects.bulk_create([_chosen(u, n) for n, u in enumerate(units)])
        for s, u in zip(settings, units, strict=True):
            s.unit = u
        ensure_dues(settings, today)
        made = _history_by_actions(main, today) if main is not None else 0
        made += _bulk_history([u for u in units if u != main], today)
        past = DisclosureDue.objects.filter(unit__in=units, due_on__lt=today)
        past.update(reminded_for=F("due_on"))
        past.filter(due_on__lt=today - da.ESCALATE_WINDOW).update(escalated_for=F("due_on"))
    return made
