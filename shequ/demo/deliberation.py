"""Demo deliberation (协商议事): two years (2025–2026) of topics across 恩施市's
communities, in every consultation form, agreed, not agreed, referred and declined, with
results and milestones (some done on time, some late, some overdue), parent and child
results, supports and comments (one hidden, with its reason), and a major matter linked
to a villagers' meeting resolution where the governance demo has one.

Fast: rows are built in memory and written with ``bulk_create`` (a topic's audit events
too, one for its proposal and one for its outcome). Deterministic: a seeded generator
and fixed dates. Idempotent: nothing is written when demo topics exist.
"""

from __future__ import annotations

import datetime as dt
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from shequ.demo.accounts import DEMO_COMMUNITY
from shequ.governance.models import (
    Consultation,
    ConsultationForm,
    Milestone,
    Outcome,
    Participant,
    Resolution,
    ResolutionResult,
    Result,
    Topic,
    TopicComment,
    TopicSource,
    TopicStatus,
    TopicSupport,
)
from shequ.governance.verbs import DeliberationVerb
from shequ.orgs.models import Event, OrgUnit, UnitKind

ENSHI = "422801000000"
PREFIX = "demo-delib-"
START = dt.date(2025, 1, 6)
DAYS = 690  # to late November 2026
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
SUBJECTS = [
    ("小区停车位规划", "楼栋前车辆乱停,消防通道常被占用,建议统一划线。", "各楼栋住户、物业公司"),
    ("老旧小区加装电梯", "六层无电梯楼栋老人上下楼困难,申请加装电梯。", "本栋全体住户"),
    ("垃圾分类投放点设置", "投放点离住户太近,夏季异味大,建议挪位置。", "投放点周边住户"),
    ("村组道路硬化", "三组至五组道路雨天泥泞,群众出行难。", "三至五组村民"),
    ("广场舞噪音扰民", "晚间广场舞音量过大影响休息,协商时段和音量。", "广场周边住户、舞蹈队"),
    ("饮水管网改造", "水管老化漏水,部分农户用水不稳定。", "沿线农户"),
    ("儿童游乐设施维修", "小广场器材损坏,存在安全隐患。", "有小孩的家庭"),
    ("茶园产业合作社分红", "合作社年度收益如何分配,征求社员意见。", "合作社社员"),
    ("背街小巷路灯安装", "巷道夜间无照明,老人出行不便。", "巷道两侧住户"),
    ("农贸市场摊位调整", "占道经营影响通行,协商摊位划定。", "摊主、周边居民"),
]
FORMS = list(ConsultationForm.values)
NAMES = ["谭德明", "向春兰", "黄建国", "杨秀英", "刘志强", "覃红梅", "冉文华", "邓小军"]
CAPACITIES = ["居民代表", "楼栋长", "驻区单位代表", "党员代表", "专家", "物业公司"]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _photo() -> str:
    """One small stored photo the demo's milestones in 官坡社区 share."""
    name = "governance/milestones/demo/milestone.png"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(PNG))
    return name


def ensure_demo_deliberation() -> int:
    """Write the demo's topics; returns how many were written (0 when already there)."""
    if Topic.objects.filter(client_token__startswith=PREFIX).exists():
        return 0
    root = OrgUnit.objects.filter(code=ENSHI).first()
    if root is None:
        return 0
    communities = list(
        OrgUnit.objects.filter(path__startswith=root.path, kind=UnitKind.COMMUNITY).order_by("path")
    )
    resolutions = {
        r.unit_id: r
        for r in Resolution.objects.filter(
            unit__in=communities, result=ResolutionResult.PASSED
        ).order_by("decided_at", "pk")
    }
    rng = random.Random(1404)
    photo = _photo()
    today = timezone.localdate()
    topics: list[Topic] = []
    plans: list[tuple[Topic, int, str, dt.date]] = []  # topic, index, form, day consulted
    n = 0
    for c, unit in enumerate(communities):
        for k in range(2 + c % 3):
            n += 1
            subject, description, concerned = SUBJECTS[(c + k) % len(SUBJECTS)]
            proposed = START + dt.timedelta(days=rng.randrange(DAYS - 60))
            kind = n % 9  # 0 declined, 1 not agreed, 2 referred, 3 still being consulted
            source = list(TopicSource.values)[n % len(TopicSource.values)]
            t = Topic(
                unit=unit,
                title=subject,
                description=description,
                source=source,
                proposer_name=rng.choice(NAMES)
                if source == TopicSource.RESIDENT
                else str(TopicSource(source).label),
                concerned=concerned,
                major=unit.pk in resolutions and k == 0,
                proposed_at=_at(proposed, 9),
                client_token=f"{PREFIX}{n}",
            )
            if kind == 0:
                t.status, t.decline_reason = (
                    TopicStatus.DECLINED,
                    "属于物业服务合同事项,已引导通过人民调解解决。",
                )
                topics.append(t)
                continue
            t.accepted_at = _at(proposed + dt.timedelta(days=2))
            t.notice_on = proposed + dt.timedelta(days=4)
            form = FORMS[n % len(FORMS)]
            t.notice_text = f"{t.notice_on:%m月%d日}就“{subject}”开展{ConsultationForm(form).label},欢迎相关居民参加。"
            held = t.notice_on + dt.timedelta(days=5)
            t.status = TopicStatus.CONSULTED
            if kind != 3:
                t.decided_on = held + dt.timedelta(days=1)
                t.outcome = {1: Outcome.NOT_AGREED, 2: Outcome.REFERRED}.get(kind, Outcome.AGREED)
                t.outcome_text = {
                    Outcome.NOT_AGREED: "各方意见分歧较大,暂缓实施,下季度再议。",
                    Outcome.REFERRED: "涉及市政规划,提交街道(乡镇)研究。",
                }.get(t.outcome, "各方一致同意实施方案。")
                t.referred_to = "街道(乡镇)规划办" if t.outcome == Outcome.REFERRED else ""
                t.status = TopicStatus.DECIDED
                if t.outcome != Outcome.AGREED:
                    t.status, t.fed_back_on = (
                        TopicStatus.FED_BACK,
                        t.decided_on + dt.timedelta(days=3),
                    )
                    t.feedback_text = "已在公告栏和居民群公布协商结果及理由。"
                else:
                    t.status = TopicStatus.IMPLEMENTING
                    if t.major:
                        t.resolution = resolutions[unit.pk]
            topics.append(t)
            plans.append((t, n, form, held))
    with transaction.atomic():
        Topic.objects.bulk_create(topics, batch_size=500)
        consultations = [
            Consultation(
                topic=t,
                form=form,
                held_on=held,
                place="社区议事厅" if form != ConsultationForm.ONLINE else "社区居民微信群",
                record=f"参加 {8 + i % 12} 人,逐一发表意见,形成记录。",
                created_at=_at(held, 15),
                client_token=f"{PREFIX}c{i}",
            )
            for t, i, form, held in plans
        ]
        Consultation.objects.bulk_create(consultations, batch_size=500)
        Participant.objects.bulk_create(
            [
                Participant(
                    consultation=c,
                    name=NAMES[(i + j) % len(NAMES)],
                    capacity=CAPACITIES[(i + j) % len(CAPACITIES)],
                    position=("同意" if j % 3 else "有保留意见"),
                )
                for i, c in enumerate(consultations)
                for j in range(3)
            ],
            batch_size=1000,
        )
        results: list[Result] = []
        milestones: list[Milestone] = []
        supervised: list[Topic] = []
        for t in topics:
            if t.outcome != Outcome.AGREED or t.decided_on is None:
                continue
            start = t.decided_on
            for r in range(1 + t.pk % 2):
                due = start + dt.timedelta(days=45 + 30 * r)
                fate = (t.pk + r) % 4  # 0,1 on time; 2 late; 3 open (overdue once past due)
                result = Result(
                    topic=t,
                    title=("方案设计与施工" if r == 0 else "验收与公示"),
                    responsible=("居委会主任" if r == 0 else "社区监督委员会"),
                    due_on=due,
                    created_at=_at(start, 16),
                    client_token=f"{PREFIX}r{t.pk}-{r}",
                )
                steps = [(start + dt.timedelta(days=10), 30)]
                if fate in (0, 1):
                    steps.append((due - dt.timedelta(days=5), 100))
                elif fate == 2:
                    steps += [(due, 70), (due + dt.timedelta(days=20), 100)]
                else:
                    steps.append((start + dt.timedelta(days=25), 60))
                steps = [(d, p) for d, p in steps if d <= today]
                if steps:
                    result.progress = steps[-1][1]
                    result.completed_on = steps[-1][0] if result.progress == 100 else None
                results.append(result)
                for d, p in steps:
                    milestones.append(
                        Milestone(
                            result=result,
                            happened_on=d,
                            progress=p,
                            text="完成施工并验收" if p == 100 else "按计划推进",
                            photo=photo if p == 100 or t.unit.code == DEMO_COMMUNITY else "",
                            created_at=_at(d, 17),
                        )
                    )
            if t.pk % 3 == 0 and t.decided_on + dt.timedelta(days=120) < today:
                t.status, t.fed_back_on = (
                    TopicStatus.SUPERVISED,
                    t.decided_on + dt.timedelta(days=100),
                )
                t.feedback_text = "落实事项已完成,结果在公告栏公示。"
                t.supervision_text, t.supervised_on = (
                    "监督委员会认可落实情况。",
                    t.fed_back_on + dt.timedelta(days=10),
                )
                supervised.append(t)
        Result.objects.bulk_create(results, batch_size=500)
        # a child result under the first of each pair
        children = [r for r in results if r.client_token and r.client_token.endswith("-1")]
        parents = {
            r.topic_id: r for r in results if r.client_token and r.client_token.endswith("-0")
        }
        for child in children:
            child.parent = parents.get(child.topic_id)
        Result.objects.bulk_update(children, ["parent"], batch_size=500)
        for m in milestones:
            m.result_id = m.result.pk
        Milestone.objects.bulk_create(milestones, batch_size=1000)
        Topic.objects.bulk_update(
            supervised,
            ["status", "fed_back_on", "feedback_text", "supervision_text", "supervised_on"],
            batch_size=500,
        )
        public = [t for t in topics if t.status != TopicStatus.DECLINED]
        TopicSupport.objects.bulk_create(
            [
                TopicSupport(topic=t, supporter_key=f"demo-{t.pk}-{s}")
                for t in public
                for s in range(t.pk % 7)
            ],
            batch_size=1000,
        )
        comments = [
            TopicComment(
                topic=t,
                author_name=f"{NAMES[t.pk % len(NAMES)][0]}**",
                text="支持,希望尽快落实。",
                created_at=t.proposed_at + dt.timedelta(days=3),
            )
            for t in public[::3]
        ]
        if comments:
            comments[0].text, comments[0].hidden = "(广告)低价装修请联系……", True
            comments[0].hidden_reason = "与议题无关的广告"
        TopicComment.objects.bulk_create(comments, batch_size=1000)
        Event.objects.bulk_create(
            [
                Event(
                    created_at=t.proposed_at,
                    verb=str(DeliberationVerb.TOPIC_PROPOSED),
                    object_type="governance.topic",
                    object_id=str(t.pk),
                    object_repr=t.title,
                    unit=t.unit,
                )
                for t in topics
            ]
            + [
                Event(
                    created_at=_at(t.decided_on, 16),
                    verb=str(DeliberationVerb.OUTCOME_DECIDED),
                    object_type="governance.topic",
                    object_id=str(t.pk),
                    object_repr=t.title,
                    unit=t.unit,
                    after={"outcome": t.outcome},
                )
                for t in topics
                if t.decided_on is not None
            ],
            batch_size=1000,
        )
    return len(topics)
