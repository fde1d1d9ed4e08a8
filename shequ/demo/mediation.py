"""The mediation demo: committees, legal advisors and their logs, third-party bodies,
and two years of disputes across the prefecture with Enshi's mix.

- Committees for every community of 恩施市 and a sample in each other county, and for
  their townships; members chosen by residents' meetings (a few committees lack a woman
  or a minority member, so the warnings show). 官坡社区's committee is complete and its
  mediator is the demo login ``mediator``; ``lawyer`` is its legal advisor.
- 1,000 disputes over 24 months: marriage and family 231, neighbour 214, forest and land
  133 — 57.8 % of all, the share Enshi reported for 2015 (rules-wave2.md) — and the other
  types; every outcome (agreed, written or oral; no agreement; refused with each reason;
  transferred to administrative, judicial and third-party mediation and back, or settled
  there; up to the township); judicial confirmations applied, granted and refused;
  follow-up visits, closing and archiving.
- A few showcase disputes at 官坡社区 made through the actions now: one just reported by
  the grid worker, one being mediated, one whose confirmation deadline is near.

History rows are bulk-inserted with the same rows real work writes (the dispute, its
parties encrypted like the registry's, sessions, agreement, visits, transfers and the
audit events with their past times), due dates from the working-day calendar table,
deterministic (a fixed seed) and marked by a client-token prefix: a re-run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc

from shequ.demo.accounts import DEMO_COMMUNITY, DEMO_COUNTY, DEMO_SINCE
from shequ.demo.timeline import load_calendar
from shequ.lib.idcard import make_id_number
from shequ.lib.masking import mask_phone
from shequ.lib.workdays import WorkCalendar
from shequ.mediation import actions
from shequ.mediation.actions import PartyInput
from shequ.mediation.models import (
    ActivityKind,
    AdvisorActivity,
    AdvisorAssignment,
    Agreement,
    AgreementForm,
    BodyKind,
    Committee,
    CommitteeMember,
    Decision,
    Dispute,
    DisputeKind,
    DisputeStatus,
    FollowUp,
    FollowUpResult,
    MediationType,
    MemberRole,
    Outcome,
    Party,
    Referrer,
    RefusalReason,
    RuleKey,
    Session,
    Source,
    ThirdParty,
    Transfer,
)
from shequ.mediation.verbs import MediationVerb
from shequ.orgs import calendar
from shequ.orgs.crypto import cipher
from shequ.orgs.models import Employment, Event, OrgUnit, Post, Role, UnitKind, User
from shequ.people.actions import do_register_resident_unit
from shequ.people.crypto import protect_id_number, protect_phone
from shequ.people.models import ResidentUnit

TOKEN = "demo-mediation"  # noqa: S105 - a client-token prefix
SEED = 1508
MONTHS = 24
SAMPLE_PER_COUNTY = 8  # communities of each county other than 恩施市
# Exact counts, so the prefecture's figures show Enshi's mix.
MIX: list[tuple[str, int]] = [
    (DisputeKind.MARRIAGE_FAMILY, 231),
    (DisputeKind.NEIGHBOUR, 214),
    (DisputeKind.FOREST_LAND, 133),
    (DisputeKind.HOMESTEAD, 90),
    (DisputeKind.DAMAGES, 60),
    (DisputeKind.CONTRACT, 45),
    (DisputeKind.TRAFFIC, 45),
    (DisputeKind.LABOUR, 35),
    (DisputeKind.BUSINESS, 30),
    (DisputeKind.EXPROPRIATION, 30),
    (DisputeKind.PROPERTY_MGMT, 25),
    (DisputeKind.CONSUMER, 20),
    (DisputeKind.ENVIRONMENT, 15),
    (DisputeKind.OTHER, 15),
    (DisputeKind.MEDICAL, 12),
]
SUMMARIES: dict[str, str] = {
    DisputeKind.MARRIAGE_FAMILY: "夫妻因家庭琐事及子女抚养问题产生矛盾",
    DisputeKind.NEIGHBOUR: "相邻两户因排水、通行问题发生争执",
    DisputeKind.FOREST_LAND: "两组村民因山林界址不清发生争议",
    DisputeKind.HOMESTEAD: "兄弟间因宅基地分割发生纠纷",
    DisputeKind.DAMAGES: "家禽损毁庄稼,双方就赔偿数额争执不下",
    DisputeKind.CONTRACT: "农产品收购合同未按约付款",
    DisputeKind.TRAFFIC: "农用车与摩托车相撞,赔偿未达成一致",
    DisputeKind.LABOUR: "务工人员讨要拖欠工资",
    DisputeKind.BUSINESS: "合伙养殖分红发生争议",
    DisputeKind.EXPROPRIATION: "征地补偿款分配发生争议",
    DisputeKind.PROPERTY_MGMT: "业主与物业公司因收费及服务质量发生纠纷",
    DisputeKind.CONSUMER: "购买的农资质量有问题要求退货赔偿",
    DisputeKind.ENVIRONMENT: "养殖场异味影响周边住户",
    DisputeKind.OTHER: "其他民间纠纷",
    DisputeKind.MEDICAL: "就诊后对诊疗结果有异议",
}
SURNAMES = "向田谭黄杨冉覃邓张李彭龙刘胡吴陈"
GIVEN = [
    "桂英",
    "大海",
    "德英",
    "春花",
    "光明",
    "小红",
    "志刚",
    "秀兰",
    "建华",
    "凤英",
    "玉兰",
    "再兴",
]
ETHNIC = ["土家族", "苗族", "侗族", "汉族"]
FIRMS = ["湖北施南律师事务所", "湖北维力律师事务所", "湖北清江律师事务所", "湖北鄂西律师事务所"]
COUNTY_BODIES = [
    (BodyKind.TRADE_UNION, "总工会"),
    (BodyKind.YOUTH_LEAGUE, "团委"),
    (BodyKind.WOMENS_FEDERATION, "妇联"),
    (BodyKind.BAR_ASSOCIATION, "律师协会"),
    (BodyKind.CONSUMER_ASSOCIATION, "消费者协会"),
]
DAY = dt.timedelta(days=1)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _communities() -> list[OrgUnit]:
    county = OrgUnit.objects.get(code=DEMO_COUNTY)
    units = list(
        OrgUnit.objects.filter(path__startswith=county.path, kind=UnitKind.COMMUNITY).order_by(
            "path"
        )
    )
    for other in (
        OrgUnit.objects.filter(kind=UnitKind.COUNTY).exclude(pk=county.pk).order_by("path")
    ):
        found = list(
            OrgUnit.objects.filter(path__startswith=other.path, kind=UnitKind.COMMUNITY).order_by(
                "path"
            )
        )
        step = max(1, len(found) // SAMPLE_PER_COUNTY)
        units += found[::step][:SAMPLE_PER_COUNTY]
    return units


def _ancestor(unit: OrgUnit, kind: str, by_path: dict[str, OrgUnit]) -> OrgUnit | None:
    step = OrgUnit.steplen
    for i in range(len(unit.path) - step, 0, -step):
        up = by_path.get(unit.path[:i])
        if up is not None and up.kind == kind:
            return up
    return None


def _members(rng: random.Random, committee: Committee, complete: bool) -> list[CommitteeMember]:
    size = rng.randint(3, 7)
    chosen = dt.date(2024, 3, rng.randint(1, 28))
    rows = []
    for i in range(size):
        female = i == 1 if complete else False
        ethnic = ("土家族" if i == 0 else rng.choice(ETHNIC)) if complete else "汉族"
        rows.append(
            CommitteeMember(
                committee=committee,
                name=_name(rng),
                gender="female" if female or (i > 2 and rng.random() < 0.5) else "male",
                ethnicity=ethnic,
                role=MemberRole.CHAIR if i == 0 else MemberRole.MEMBER,
                chosen_on=chosen,
                term_ends_on=chosen.replace(year=chosen.year + 3),
                resolution_ref=f"{committee.unit.name}居(村)民会议〔2024〕{rng.randint(1, 9)}号",
            )
        )
    return rows


def _ensure_setup(rng: random.Random) -> tuple[list[Committee], dict[int, Committee]]:
    """Committees of the sample's communities and their townships, advisors, bodies."""
    communities = _communities()
    by_path = {
        u.path: u for u in OrgUnit.objects.filter(kind__in=[UnitKind.TOWNSHIP, UnitKind.COUNTY])
    }
    existing = {c.unit_id: c for c in Committee.objects.select_related("unit")}
    new: list[Committee] = []
    townships: dict[int, OrgUnit] = {}
    for unit in communities:
        t = _ancestor(unit, UnitKind.TOWNSHIP, by_path)
        if t is not None:
            townships[t.pk] = t
    for unit in [*townships.values(), *communities]:
        if unit.pk not in existing:
            new.append(
                Committee(
                    unit=unit,
                    name=f"{unit.name}人民调解委员会",
                    phone=f"0718-8{rng.randint(100000, 999999)}",
                    address=f"{unit.name}党群服务中心",
                )
            )
    Committee.objects.bulk_create(new)
    members: list[CommitteeMember] = []
    for c in new:
        c.unit = next(u for u in [*townships.values(), *communities] if u.pk == c.unit_id)
        complete = c.unit.code == DEMO_COMMUNITY or rng.random() > 0.08
        members += _members(rng, c, complete)
    CommitteeMember.objects.bulk_create(members)
    committees = list(Committee.objects.filter(unit__in=communities).select_related("unit"))
    township_committee = {
        c.unit_id: c
        for c in Committee.objects.filter(unit_id__in=list(townships)).select_related("unit")
    }
    by_community = {}
    for c in committees:
        t = _ancestor(c.unit, UnitKind.TOWNSHIP, by_path)
        if t is not None and t.pk in township_committee:
            by_community[c.pk] = township_committee[t.pk]
    # 官坡社区's mediator login holds the chair's post.
    guanpo = next((c for c in committees if c.unit.code == DEMO_COMMUNITY), None)
    if guanpo is not None:
        post = Post.objects.filter(unit=guanpo.unit, role=Role.MEDIATOR).order_by("pk").first()
        if post is not None:
            CommitteeMember.objects.filter(
                committee=guanpo, role=MemberRole.CHAIR, post=None
            ).update(post=post)
    _ensure_mediators(rng, committees + list(township_committee.values()))
    _ensure_advisors(rng, committees)
    _ensure_bodies(committees, by_path)
    return committees, by_community


def _ensure_mediators(rng: random.Random, committees: list[Committee]) -> None:
    """A mediator's post on every committee's unit (generated staff do not sign in).

    The nearest part-time community staff member takes the mediator's post as a further
    post (as in practice: a grid worker or committee member mediates, a township's
    mediator serves several villages), so the seed's count of part-time community staff
    (1,166) stays what ``demo.staff`` made it."""
    have = set(Post.objects.active().filter(role=Role.MEDIATOR).values_list("unit_id", flat=True))
    missing = [c for c in committees if c.unit_id not in have]
    if not missing:
        return
    # The nearest part-time staff member: on the unit itself, else in its township, else
    # in its county (a township's mediator serves several villages).
    staff = list(
        Post.objects.active()
        .filter(employment=Employment.PART_TIME, unit__kind__in=["community", "village", "grid"])
        .order_by("pk")
        .values_list("unit__path", "user_id")
    )
    step = OrgUnit.steplen
    part_timers: dict[int, int] = {}
    for c in missing:
        for depth in (len(c.unit.path), 3 * step, 2 * step):
            prefix = c.unit.path[:depth]
            found = next((user for path, user in staff if path.startswith(prefix)), None)
            if found is not None:
                part_timers[c.unit_id] = found
                break
    new = [c for c in missing if c.unit_id not in part_timers]
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"tj{c.unit.pk}", full_name=_name(rng), password=password) for c in new],
        ignore_conflicts=True,
    )
    by_name = {u.username: u for u in User.objects.filter(username__in=[u.username for u in users])}
    user_of = {c.unit_id: by_name[f"tj{c.unit.pk}"].pk for c in new if f"tj{c.unit.pk}" in by_name}
    user_of.update(part_timers)
    Post.objects.bulk_create(
        [
            Post(
                user_id=user_of[c.unit_id],
                unit=c.unit,
                role=Role.MEDIATOR,
                employment=Employment.PART_TIME,
                started_on=DEMO_SINCE,
            )
            for c in missing
            if c.unit_id in user_of
        ]
    )


def _ensure_advisors(rng: random.Random, committees: list[Committee]) -> None:
    if AdvisorAssignment.objects.exists():
        return
    lawyer = User.objects.filter(username="lawyer").first()
    started = timezone.localdate().replace(day=1) - dt.timedelta(days=MONTHS * 31)
    rows = []
    c = cipher()
    for committee in committees:
        phone = f"139{rng.randint(10000000, 99999999)}"
        rows.append(
            AdvisorAssignment(
                unit=committee.unit,
                name=_name(rng),
                firm=rng.choice(FIRMS),
                user=lawyer if committee.unit.code == DEMO_COMMUNITY else None,
                phone_enc=c.encrypt(phone),
                phone_masked=mask_phone(phone),
                started_on=started,
            )
        )
    AdvisorAssignment.objects.bulk_create(rows)
    if lawyer is not None:
        guanpo = next((a for a in rows if a.user_id == lawyer.pk), None)
        if guanpo is not None:
            guanpo.name = lawyer.full_name or guanpo.name
            guanpo.save(update_fields=["name"])
    today = timezone.localdate()
    activities = []
    for a in rows:
        diligent = rng.random() > 0.15
        day = started
        while day <= today:
            if diligent or rng.random() < 0.6:
                activities.append(
                    (
                        a,
                        ActivityKind.PHONE,
                        day + dt.timedelta(days=rng.randint(2, 20)),
                        "电话联系村(居)委会,了解矛盾纠纷情况",
                    )
                )
            if day.month in (2, 5, 8, 11) and (diligent or rng.random() < 0.5):
                activities.append(
                    (
                        a,
                        ActivityKind.ON_SITE,
                        day + dt.timedelta(days=rng.randint(5, 25)),
                        "到村(社区)坐班,接待群众法律咨询",
                    )
                )
            if day.month == 6 and (diligent or rng.random() < 0.4):
                activities.append(
                    (
                        a,
                        ActivityKind.LECTURE,
                        day + dt.timedelta(days=rng.randint(1, 25)),
                        "开展《民法典》法治讲座",
                    )
                )
            if rng.random() < 0.3:
                activities.append(
                    (
                        a,
                        ActivityKind.CONSULTATION,
                        day + dt.timedelta(days=rng.randint(1, 27)),
                        "解答婚姻家庭、土地承包法律咨询",
                    )
                )
            day = (day + dt.timedelta(days=32)).replace(day=1)
    AdvisorActivity.objects.bulk_create(
        [
            AdvisorActivity(assignment=a, unit=a.unit, kind=kind, on=on, note=note)
            for a, kind, on, note in activities
            if on <= today
        ],
        batch_size=2000,
    )


def _ensure_bodies(committees: list[Committee], by_path: dict[str, OrgUnit]) -> None:
    if ThirdParty.objects.exists():
        return
    counties = {
        county.pk: county
        for c in committees
        if (county := _ancestor(c.unit, UnitKind.COUNTY, by_path)) is not None
    }
    rows = [
        ThirdParty(unit=county, kind=kind, name=f"{county.name}{label}", contact_name="办公室")
        for county in counties.values()
        for kind, label in COUNTY_BODIES
    ]
    for ru in _co_building_units():
        rows.append(
            ThirdParty(
                unit=ru.community,
                kind=BodyKind.RESIDENT_UNIT,
                name=ru.name,
                resident_unit=ru,
                contact_name=ru.contact_name,
                contact_phone_enc=ru.contact_phone_enc,
                contact_phone_masked=ru.contact_phone_masked,
            )
        )
    ThirdParty.objects.bulk_create(rows)


CO_BUILDING = [
    ("国网恩施供电公司舞阳坝供电所", "91422801MA49E0001", "D"),
    ("恩施州中心医院", "12422800MB1A00002", "Q"),
]


def _co_building_units() -> list[ResidentUnit]:
    """Resident units of 官坡社区 taking part in 共驻共建 (registered in the registry
    through its own action when the demo has none)."""
    found = list(ResidentUnit.objects.filter(co_building=True).select_related("community")[:20])
    if found:
        return found
    community = OrgUnit.objects.filter(code=DEMO_COMMUNITY).first()
    if community is None:
        return []
    for name, body, trade in CO_BUILDING:
        do_register_resident_unit(
            None,
            unit=community,
            name=name,
            credit_code=body + uscc.calc_check_digit(body),
            trade=trade,
            size="large",
            contact_name="办公室",
            contact_phone="13907181100",
            co_building=True,
            client_token=f"{TOKEN}-unit-{body}",
        )
    return list(ResidentUnit.objects.filter(co_building=True).select_related("community"))


def _office_time(rng: random.Random, wc: WorkCalendar, day: dt.date) -> dt.datetime:
    day = wc.next_working_day(day - DAY)
    minute = rng.choice([rng.randint(510, 720), rng.randint(840, 1050)])
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minute // 60, minute % 60)))


class _Log:
    """Audit events with their past times, bulk-inserted at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[Dispute, dt.datetime, MediationVerb, dict[str, Any]]] = []

    def add(self, d: Dispute, at: dt.datetime, verb: MediationVerb, **after: Any) -> None:
        self.rows.append((d, at, verb, after))

    def save(self, actor_for: dict[int, User | None]) -> None:
        reprs: dict[int, str] = {}  # str(d) looks up the kind's label: once per dispute
        Event.objects.bulk_create(
            [
                Event(
                    created_at=at,
                    actor=actor_for.get(d.committee_id),
                    verb=str(verb),
                    object_type="mediation.dispute",
                    object_id=str(d.pk),
                    object_repr=reprs.get(d.pk) or reprs.setdefault(d.pk, str(d)[:200]),
                    unit_id=d.unit_id,
                    after={
                        k: (v.isoformat() if hasattr(v, "isoformat") else v)
                        for k, v in after.items()
                    },
                )
                for d, at, verb, after in self.rows
            ],
            batch_size=2000,
        )


@transaction.atomic
def ensure_demo_mediation(now: dt.datetime | None = None) -> int:
    """Load the mediation demo once; returns how many disputes were added."""
    rng = random.Random(SEED)
    committees, township_of = _ensure_setup(rng)
    if Dispute.objects.filter(client_token__startswith=TOKEN).exists() or not committees:
        return 0
    now = now or timezone.now()
    cal = load_calendar().work
    rule = actions.rule_in_force(RuleKey.CONFIRMATION_WINDOW, dt.date(2025, 1, 1))
    limit = 30
    kinds = [k for k, n in MIX for _ in range(n)]
    rng.shuffle(kinds)
    # Busier communities first: 恩施市's urban communities get more.
    weights = [
        6 if c.unit.community_type == "urban" else 3 if c.unit.community_type == "town" else 2
        for c in committees
    ]
    guanpo = next((c for c in committees if c.unit.code == DEMO_COMMUNITY), committees[0])
    villages: dict[str, list[OrgUnit]] = {}
    paths = {c.unit.path for c in committees}
    for v in OrgUnit.objects.filter(kind__in=[UnitKind.VILLAGE, UnitKind.GRID]):
        parent = v.path[: -OrgUnit.steplen]
        if parent in paths:
            villages.setdefault(parent, []).append(v)
    start = (timezone.localdate() - dt.timedelta(days=MONTHS * 30)).replace(day=1)
    span = (timezone.localtime(now).date() - start).days - 3
    mediator_of = {
        p.unit_id: p.user
        for p in Post.objects.filter(
            role=Role.MEDIATOR, unit__in=[c.unit for c in committees]
        ).select_related("user")
    }
    disputes: list[Dispute] = []
    plans: list[dict[str, Any]] = []
    c = cipher()
    for n, kind in enumerate(kinds):
        committee = guanpo if n % 25 == 0 else rng.choices(committees, weights)[0]
        unit = rng.choice([*villages.get(committee.unit.path, [committee.unit]), committee.unit])
        received = _office_time(
            rng, cal, start + dt.timedelta(days=int(span * (n + rng.random()) / len(kinds)))
        )
        age = (now - received).days
        roll = rng.random()
        if age < 20 and roll < 0.5:
            fate = "open"
        elif roll < 0.05:
            fate = "refused"
        elif roll < 0.09:
            fate = "transfer"
        elif roll < 0.18:
            fate = "no_agreement"
        else:
            fate = "agreed"
        source = rng.choices(
            [Source.APPLICATION, Source.INITIATIVE, Source.REFERRAL], [55, 25, 20]
        )[0]
        referrer = ""
        referrer_name = ""
        if source == Source.REFERRAL:
            referrer = rng.choices(
                [
                    Referrer.COURT,
                    Referrer.POLICE,
                    Referrer.PETITION,
                    Referrer.HOTLINE,
                    Referrer.GRID,
                ],
                [20, 30, 10, 15, 25],
            )[0]
            referrer_name = {
                Referrer.COURT: "人民法院",
                Referrer.POLICE: "派出所",
                Referrer.PETITION: "信访办",
                Referrer.HOTLINE: "12345热线",
                Referrer.GRID: "",
            }[referrer]
        amount = None
        if kind not in (DisputeKind.MARRIAGE_FAMILY, DisputeKind.NEIGHBOUR) or rng.random() < 0.3:
            amount = Decimal(rng.choice([500, 1200, 3000, 8000, 15000, 40000, 120000]))
        d = Dispute(
            unit=unit,
            committee=committee,
            number=f"TJ{timezone.localtime(received):%Y%m%d}D{n:05d}",
            source=source,
            referrer=referrer,
            referrer_name=referrer_name,
            kind=kind,
            summary=SUMMARIES[kind],
            amount=amount,
            risk_criminal=rng.random() < 0.06,
            risk_group=kind in (DisputeKind.EXPROPRIATION, DisputeKind.LABOUR)
            and rng.random() < 0.3,
            handling_body=committee.name,
            received_at=received,
            client_token=f"{TOKEN}-{n}",
            mediator=mediator_of.get(committee.unit_id),
        )
        plans.append({"fate": fate, "age": age})
        disputes.append(d)
    log = _Log()
    parties: list[Party] = []
    sessions: list[Session] = []
    agreements: list[Agreement] = []
    visits: list[FollowUp] = []
    transfers: list[Transfer] = []
    done: list[Dispute] = []  # in order: an archive number counts the disputes before it
    receipt = 0
    for d, plan in zip(disputes, plans, strict=True):
        for side, sex in (("applicant", 1), ("respondent", 0)):
            number = make_id_number(
                "422801",
                dt.date(1950 + rng.randint(0, 50), rng.randint(1, 12), rng.randint(1, 28)),
                rng.randint(1, 499) * 2 + sex,
            )
            pid = protect_id_number(number, c)
            phone = protect_phone(f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}", c)
            parties.append(
                Party(
                    dispute=d,
                    side=side,
                    name=_name(rng),
                    id_number_enc=pid.enc,
                    id_number_index=pid.index,
                    id_number_masked=pid.masked,
                    phone_enc=phone.enc,
                    phone_index=phone.index,
                    phone_masked=phone.masked,
                )
            )
        log.add(d, d.received_at, MediationVerb.DISPUTE_REGISTERED, kind=d.kind, source=d.source)
        fate = plan["fate"]
        t = d.received_at + dt.timedelta(hours=rng.randint(1, 30))
        if fate == "refused":
            d.status = DisputeStatus.REFUSED
            d.refusal_reason = rng.choice(RefusalReason.values)
            d.refusal_note = "经核实,依法不予受理并告知当事人"
            d.ended_at = t
            log.add(d, t, MediationVerb.DISPUTE_REFUSED, refusal_reason=d.refusal_reason)
            if plan["age"] > 40:
                d.status, d.archived_at = DisputeStatus.ARCHIVED, t + 10 * DAY
                d.archive_number = f"{d.archived_at:%Y}-{d.committee_id:04d}-D{len(done):04d}"
                log.add(d, d.archived_at, MediationVerb.DISPUTE_ARCHIVED)
            done.append(d)
            continue
        d.status, d.accepted_at, d.limit_days = DisputeStatus.ACCEPTED, t, limit
        d.due_at = cal.due_at(timezone.localtime(t), limit)
        log.add(d, t, MediationVerb.DISPUTE_ACCEPTED, due_at=d.due_at)
        if fate == "open":
            if rng.random() < 0.5 and d.mediator is not None:
                at = t + dt.timedelta(days=rng.randint(1, 5))
                if at < now:
                    d.status = DisputeStatus.MEDIATING
                    sessions.append(
                        Session(
                            dispute=d,
                            held_at=at,
                            place=f"{d.committee.unit.name}调解室",
                            mediator=d.mediator,
                            participants="双方当事人、调解员",
                            record="听取双方陈述,释法明理,约定再次调解。",
                        )
                    )
                    log.add(d, at, MediationVerb.SESSION_RECORDED)
            done.append(d)
            continue
        mediator = d.mediator
        rounds = rng.choice([1, 1, 2, 2, 3])
        at = t
        for i in range(rounds):
            at = at + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 3))
            if mediator is not None:
                sessions.append(
                    Session(
                        dispute=d,
                        held_at=at,
                        place=f"{d.committee.unit.name}调解室" if i else "纠纷现场",
                        mediator=mediator,
                        participants="双方当事人、调解员" + ("、法律顾问" if i == 1 else ""),
                        record=f"第{i + 1}次调解:听取陈述,核实事实,释法说理。",
                    )
                )
            log.add(d, at, MediationVerb.SESSION_RECORDED)
        d.status = DisputeStatus.MEDIATING
        if fate == "transfer":
            variant = rng.choice(
                ["judicial_back", "administrative_settled", "township", "third_party"]
            )
            receipt += 1
            body, to_type, to_committee = "人民法院诉调对接中心", MediationType.JUDICIAL, None
            if variant == "administrative_settled":
                body, to_type = "司法所", MediationType.ADMINISTRATIVE
            elif variant == "township":
                to_committee = township_of.get(d.committee_id)
                if to_committee is None:
                    variant, body, to_type = (
                        "administrative_settled",
                        "司法所",
                        MediationType.ADMINISTRATIVE,
                    )
                else:
                    body, to_type = to_committee.name, MediationType.PEOPLES
            elif variant == "third_party":
                body, to_type = "律师协会", MediationType.THIRD_PARTY
            out = Transfer(
                dispute=d,
                from_type=MediationType.PEOPLES,
                to_type=to_type,
                from_body=d.committee.name,
                to_body=body,
                to_committee=to_committee,
                reason="疑难复杂,移交办理",
                receipt_number=f"YJD{receipt:06d}",
                sent_at=at + DAY,
                received_at=at + 2 * DAY,
                received_by_name="收件人",
            )
            transfers.append(out)
            log.add(
                d,
                out.sent_at,
                MediationVerb.DISPUTE_TRANSFERRED,
                to=body,
                receipt_number=out.receipt_number,
            )
            log.add(
                d, at + 2 * DAY, MediationVerb.TRANSFER_RECEIVED, receipt_number=out.receipt_number
            )
            back_at = at + dt.timedelta(days=rng.randint(8, 20))
            if back_at > now:
                d.status, d.mediation_type, d.handling_body = (
                    DisputeStatus.TRANSFERRED,
                    to_type,
                    body,
                )
                done.append(d)
                continue
            if variant == "township":
                d.committee = to_committee  # type: ignore[assignment]
                d.mediator = mediator_of.get(to_committee.unit_id)  # type: ignore[union-attr]
                fate = "agreed"
            elif variant == "administrative_settled":
                out.returned, out.result = True, "司法所调解达成协议,已履行"
                receipt += 1
                transfers.append(
                    Transfer(
                        dispute=d,
                        from_type=to_type,
                        to_type=MediationType.PEOPLES,
                        from_body=body,
                        to_body=d.committee.name,
                        reason=out.result,
                        receipt_number=f"YJD{receipt:06d}",
                        sent_at=back_at,
                        received_at=back_at,
                        received_by_name="调委会",
                        returned=True,
                        result=out.result,
                    )
                )
                d.status, d.outcome, d.ended_at, d.closed_at = (
                    DisputeStatus.CLOSED,
                    Outcome.TRANSFERRED,
                    back_at,
                    back_at,
                )
                log.add(d, back_at, MediationVerb.DISPUTE_RETURNED, settled=True)
                done.append(d)
                continue
            else:
                out.returned, out.result = True, "退回人民调解继续调解"
                receipt += 1
                transfers.append(
                    Transfer(
                        dispute=d,
                        from_type=to_type,
                        to_type=MediationType.PEOPLES,
                        from_body=body,
                        to_body=d.committee.name,
                        reason=out.result,
                        receipt_number=f"YJD{receipt:06d}",
                        sent_at=back_at,
                        received_at=back_at,
                        received_by_name="调委会",
                        returned=True,
                        result=out.result,
                    )
                )
                log.add(d, back_at, MediationVerb.DISPUTE_RETURNED, settled=False)
                fate = "agreed"
            at = back_at + DAY
        if fate == "no_agreement":
            end = at + DAY
            d.status, d.outcome, d.ended_at = DisputeStatus.ENDED, Outcome.NO_AGREEMENT, end
            d.routes_told = rng.choice(["lawsuit", "lawsuit,arbitration", "administrative"])
            log.add(d, end, MediationVerb.NO_AGREEMENT, routes=d.routes_told)
            if (now - end).days > 5:
                d.status, d.closed_at = DisputeStatus.CLOSED, end + 2 * DAY
                log.add(d, d.closed_at, MediationVerb.DISPUTE_CLOSED)
            done.append(d)
            continue
        # agreed
        end = at + dt.timedelta(hours=2)
        if end > now:
            end = now - dt.timedelta(hours=1)
        effective = timezone.localtime(end).date()
        written = rng.random() < 0.8
        a = Agreement(
            dispute=d,
            form=AgreementForm.WRITTEN if written else AgreementForm.ORAL,
            facts=SUMMARIES[d.kind],
            liability="双方均有一定责任" if written else "",
            terms="双方自愿达成和解,责任方赔礼道歉并按约定给付补偿"
            if written
            else "双方当面口头和解,互谅互让",
            performance_manner="现金或转账一次性支付" if written else "",
            performance_due_on=effective + dt.timedelta(days=15) if written else None,
            copies=3 if written else 1,
            effective_on=effective,
        )
        if written:
            a.confirmation_due_on = actions.period_end(effective, rule, cal)
            a.confirmation_rule = rule
            if rng.random() < 0.3 and (now - end).days > 10:
                a.court = f"{d.committee.unit.name[:2]}人民法院"
                a.applied_on = effective + dt.timedelta(days=rng.randint(2, 20))
                log.add(
                    d,
                    timezone.make_aware(dt.datetime.combine(a.applied_on, dt.time(10))),
                    MediationVerb.CONFIRMATION_APPLIED,
                    court=a.court,
                )
                decided = a.applied_on + dt.timedelta(days=rng.randint(5, 15))
                if decided < timezone.localtime(now).date():
                    a.decided_on = decided
                    a.decision = Decision.CONFIRMED if rng.random() < 0.9 else Decision.REFUSED
                    if a.decision == Decision.REFUSED:
                        a.decision_note = "协议部分内容超出当事人处分权范围"
                    log.add(
                        d,
                        timezone.make_aware(dt.datetime.combine(decided, dt.time(15))),
                        MediationVerb.CONFIRMATION_DECIDED,
                        decision=a.decision,
                    )
        agreements.append(a)
        d.status, d.outcome, d.ended_at = DisputeStatus.PERFORMING, Outcome.AGREED, end
        log.add(d, end, MediationVerb.AGREEMENT_RECORDED, form=a.form)
        if a.decision == Decision.REFUSED:
            d.status, d.routes_told = DisputeStatus.ENDED, "lawsuit"
        visit_on = effective + dt.timedelta(days=rng.randint(10, 30))
        if visit_on < timezone.localtime(now).date() and d.status == DisputeStatus.PERFORMING:
            result = FollowUpResult.PERFORMED if rng.random() < 0.92 else FollowUpResult.PARTLY
            visits.append(
                FollowUp(
                    dispute=d,
                    visited_on=visit_on,
                    result=result,
                    note="回访当事人,了解协议履行情况",
                )
            )
            log.add(
                d,
                timezone.make_aware(dt.datetime.combine(visit_on, dt.time(10))),
                MediationVerb.FOLLOW_UP,
                result=result,
            )
            if result == FollowUpResult.PERFORMED:
                closed = timezone.make_aware(dt.datetime.combine(visit_on, dt.time(16)))
                d.status, d.closed_at = DisputeStatus.CLOSED, closed
                log.add(d, closed, MediationVerb.DISPUTE_CLOSED)
                if (now - closed).days > 30:
                    d.status, d.archived_at = DisputeStatus.ARCHIVED, closed + 7 * DAY
                    d.archive_number = f"{d.archived_at:%Y}-{d.committee_id:04d}-D{len(done):04d}"
                    log.add(d, d.archived_at, MediationVerb.DISPUTE_ARCHIVED)
        done.append(d)
    # Each dispute is inserted as its story leaves it (one INSERT, no UPDATE of 1,000 rows
    # by CASE expressions); the rows below point at them.
    Dispute.objects.bulk_create(disputes, batch_size=1000)
    Party.objects.bulk_create(parties, batch_size=2000)
    Session.objects.bulk_create(sessions, batch_size=2000)
    Agreement.objects.bulk_create(agreements, batch_size=1000)
    FollowUp.objects.bulk_create(visits, batch_size=2000)
    Transfer.objects.bulk_create(transfers, batch_size=1000)
    log.save({c.pk: mediator_of.get(c.unit_id) for c in Committee.objects.all()})
    _showcase(guanpo)
    return len(disputes)


def _showcase(committee: Committee) -> None:
    """Current work at 官坡社区, made through the actions."""
    grid_worker = User.objects.filter(username="gridworker").first()
    mediator = User.objects.filter(username="mediator").first()
    if grid_worker is None or mediator is None:
        return
    grid = (
        Post.objects.filter(user=grid_worker, role=Role.GRID_WORKER).select_related("unit").first()
    )
    if grid is None:
        return

    def parties(a: str, b: str) -> list[PartyInput]:
        return [
            PartyInput(side="applicant", name=a, phone="13972700101"),
            PartyInput(side="respondent", name=b),
        ]

    actions.do_register_dispute(
        grid_worker,
        unit=grid.unit,
        committee=committee,
        source=Source.REFERRAL,
        referrer=Referrer.GRID,
        kind=DisputeKind.NEIGHBOUR,
        summary="两户因院坝围墙占地发生争吵,网格员现场劝开后上报",
        parties=parties("田大海", "谭德英"),
        client_token=f"{TOKEN}-show-1",
    )
    d = actions.do_register_dispute(
        mediator,
        unit=committee.unit,
        committee=committee,
        source=Source.APPLICATION,
        kind=DisputeKind.MARRIAGE_FAMILY,
        summary="子女就赡养父母的费用分担发生矛盾",
        parties=parties("黄春花", "杨光明"),
        client_token=f"{TOKEN}-show-2",
        amount="6000",
    )
    if d.status == DisputeStatus.REGISTERED:
        actions.do_accept_dispute(mediator, d)
        actions.do_record_session(
            mediator,
            d,
            held_at=timezone.now() - dt.timedelta(hours=2),
            place="官坡社区调解室",
            participants="黄春花、杨光明、调解员邓德明",
            record="双方陈述各自意见,同意下周再次协商。",
        )
    d = actions.do_register_dispute(
        mediator,
        unit=committee.unit,
        committee=committee,
        source=Source.APPLICATION,
        kind=DisputeKind.DAMAGES,
        summary="装修漏水致楼下住户天花板受损",
        parties=parties("冉小红", "覃志刚"),
        client_token=f"{TOKEN}-show-3",
        amount="3200",
    )
    if d.status == DisputeStatus.REGISTERED:
        actions.do_accept_dispute(mediator, d)
        actions.do_record_session(
            mediator,
            d,
            held_at=timezone.now(),
            place="纠纷现场",
            participants="冉小红、覃志刚、调解员邓德明",
            record="现场查看漏水点,双方同意由覃志刚维修并赔偿。",
        )
        rule = actions.rule_in_force(RuleKey.CONFIRMATION_WINDOW, timezone.localdate())
        effective = timezone.localdate() - dt.timedelta(days=rule.value - 5)
        actions.do_record_agreement(
            mediator,
            d,
            form=AgreementForm.WRITTEN,
            facts="覃志刚家装修时水管破裂,致冉小红家天花板受损",
            liability="覃志刚负全部责任",
            terms="覃志刚于十五日内维修天花板并赔偿3200元",
            performance_manner="维修并一次性转账",
            performance_due_on=effective + dt.timedelta(days=15),
            effective_on=effective,
        )
        _back_date(
            d, timezone.now() - timezone.make_aware(dt.datetime.combine(effective, dt.time(17)))
        )


def _back_date(d: Dispute, by: dt.timedelta) -> None:
    """Move a showcase dispute made through the actions just now back in time, so its
    registration, sessions and agreement come before the agreement's effective date."""
    Dispute.objects.filter(pk=d.pk).update(
        received_at=d.received_at - by,
        accepted_at=(d.accepted_at or d.received_at) - by,
        ended_at=(d.ended_at or d.received_at) - by,
        due_at=calendar.due_at((d.accepted_at or d.received_at) - by, d.limit_days),
    )
    for s in d.sessions.all():
        Session.objects.filter(pk=s.pk).update(held_at=s.held_at - by)
    for e in Event.objects.filter(object_type="mediation.dispute", object_id=str(d.pk)):
        Event.objects.filter(pk=e.pk).update(created_at=e.created_at - by)


def ensure_demo_member_resolutions() -> int:
    """After the governance demo: in each community whose villagers' (residents') meeting
    passed a resolution choosing mediation members, the committee adds a member chosen by
    it (the committee page links the member to the resolution). Returns how many."""
    n = 0
    committees = Committee.objects.filter(
        active=True, unit__kind__in=list(actions.MEMBER_RESOLUTION_UNIT_KINDS)
    ).select_related("unit")
    for committee in committees:
        if committee.members.filter(resolution_id__isnull=False).exists():
            continue
        refs = actions.member_resolutions(committee)
        if not refs:
            continue
        rng = random.Random(f"{SEED}:{committee.pk}")
        with transaction.atomic():
            actions.do_add_member(
                None,
                committee,
                name=_name(rng),
                gender="female",
                ethnicity=rng.choice(ETHNIC),
                resolution_id=refs[0].id,
            )
        n += 1
    return n
