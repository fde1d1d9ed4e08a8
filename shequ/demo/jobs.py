"""Demo jobs and group services, written through the jobs app's actions.

恩施市 (Enshi city): two resident units in every urban community (官坡社区 gets four), each
with a year of month-end vacancy reports (a few months missed, a few reported by the
unit's own link); job seekers from the communities' residents; referrals chosen by the
local-first matching, with outcomes the units confirmed; zero-employment households in
官坡社区 — identified in each of the last four quarters: two cleared within their quarter,
one cleared only after it ended (the one that was not), the current one still being
helped; training classes at 舞阳坝街道 with attendance and completions, some followed by
a job; services brought to the floating population of every urban community (科技, 药品,
政策, 健康) and one child's school-enrolment help filed as a case.

The seed report gives no figures for this part of its work, so there is no seed figure to
reproduce; the demo shows each feature working. Dates are relative to today, so a
re-load later still holds a year of history. Idempotent: done once, when 官坡社区 has no
resident unit from this module yet.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from shequ.demo.accounts import DEMO_COMMUNITY, DEMO_COUNTY, DEMO_TOWNSHIP
from shequ.jobs import actions, matching
from shequ.jobs.models import (
    ActivityType,
    JobSeeker,
    ReportChannel,
    SeekerKind,
    SeekerStatus,
    VacancyReport,
)
from shequ.lib.creditcode import make_credit_code
from shequ.orgs.models import CommunityType, OrgUnit, UnitKind, User
from shequ.people.actions import do_register_resident_unit
from shequ.people.models import (
    HouseholdMember,
    Resident,
    ResidentStatus,
    ResidentUnit,
)
from shequ.services.catalogue import ensure_catalogue

DEMO = "demo-jobs"
UNITS = [
    ("硒都茶业有限公司", "C", "small", ["制茶工", "包装工"], "制茶、包装"),
    ("清江物流有限公司", "G", "medium", ["仓库管理员", "货车司机"], "驾驶、仓储"),
    ("土家风味餐饮店", "H", "micro", ["厨师", "服务员"], "烹饪、服务"),
    ("施州物业服务有限公司", "K", "small", ["保安员", "保洁员"], "保安、保洁"),
    ("民族路商贸有限公司", "F", "small", ["营业员", "收银员"], "销售、收银"),
    ("恩施建工集团分公司", "E", "large", ["钢筋工", "电工"], "电工、焊工"),
]
SKILLS = ["制茶", "包装", "驾驶", "仓储", "烹饪", "服务", "保安", "保洁", "销售", "收银",
          "电工", "焊工", "家政", "养老护理", "电商"]  # fmt: skip
CONTACTS = ["田经理", "向主任", "谭经理", "黄女士", "杨先生", "覃经理"]
TRAININGS = [("家政服务", "恩施市职业培训中心"), ("电子商务", "恩施职业技术学院"),
             ("茶艺与制茶", "硒都茶业培训学校"), ("养老护理", "恩施市职业培训中心")]  # fmt: skip
ACTIVITIES = {
    "tech": ("科技服务进社区:手机政务与反诈", "恩施市科协"),
    "medicine": ("送药上门与用药咨询", "社区卫生服务中心"),
    "policy": ("流动人口居住证与社保政策宣讲", "舞阳坝派出所、社保局"),
    "health": ("流动人口免费健康体检", "恩施市中心医院"),
}


def _months(today: dt.date) -> list[dt.date]:
    """The twelve months up to and including next month (next month's report is the one
    being collected now)."""
    first = actions.add_months(actions.month_start(today), 1)
    return [actions.add_months(first, -n) for n in range(11, -1, -1)]


def _communities() -> list[OrgUnit]:
    county = OrgUnit.objects.get(code=DEMO_COUNTY)
    return list(
        OrgUnit.objects.filter(
            path__startswith=county.path,
            kind=UnitKind.COMMUNITY,
            community_type=CommunityType.URBAN,
        ).order_by("path")
    )


def demo_jobs_communities(limit: int | None = None) -> list[OrgUnit]:
    """The communities the jobs demo works in: 恩施市's urban ones, or the first ``limit``
    of them (and 官坡社区)."""
    communities = _communities()
    if limit is None:
        return communities
    return [c for n, c in enumerate(communities) if n < limit or c.code == DEMO_COMMUNITY]


def _units(communities: list[OrgUnit]) -> list[ResidentUnit]:
    out = []
    serial = 7_000_000
    for community in communities:
        n_units = 4 if community.code == DEMO_COMMUNITY else 2
        rng = random.Random(int(community.code or 0))
        for n in range(n_units):
            name, trade, size, _posts, _skills = UNITS[(rng.randrange(6) + n) % len(UNITS)]
            serial += 1
            phone = f"139{int(community.code or 0) % 10000:04d}{n:04d}"
            out.append(
                do_register_resident_unit(
                    None,
                    unit=community,
                    name=f"{community.name.removesuffix('社区')}{name}",
                    credit_code=make_credit_code("422801", serial),
                    trade=trade,
                    size=size,
                    address=f"{community.name}{rng.randint(1, 200)}号",
                    contact_name=CONTACTS[(n + serial) % len(CONTACTS)],
                    contact_phone=phone,
                    co_building=n == 0 or rng.random() < 0.4,
                    client_token=f"{DEMO}-ru-{community.code}-{n}",
                )
            )
    return out


def _unit_spec(ru: ResidentUnit) -> tuple[list[str], str]:
    for name, _trade, _size, posts, skills in UNITS:
        if ru.name.endswith(name):
            return posts, skills
    return ["普工"], ""


def _working_age_free(community: OrgUnit, day: dt.date) -> list[Resident]:
    taken = JobSeeker.objects.values("resident_id")
    return [
        r
        for r in Resident.objects.filter(community=community, status=ResidentStatus.LIVING)
        .exclude(pk__in=taken)
        .order_by("pk")
        if actions.working_age(r, day)
    ]


def _other_working(resident: Resident, day: dt.date) -> bool:
    """Someone else of working age in the resident's household (so registering this one
    as unemployed does not make the household a zero-employment one)."""
    m = HouseholdMember.objects.filter(resident=resident).first()
    if m is None:
        return False
    others = HouseholdMember.objects.filter(household_id=m.household_id).exclude(resident=resident)
    return any(
        actions.working_age(o.resident, day) and o.resident.status == ResidentStatus.LIVING
        for o in others.select_related("resident")
    )


def _seekers(communities: list[OrgUnit], months: list[dt.date], rng: random.Random) -> int:
    """Residents registered as unemployed (only where someone else of the household is of
    working age, so these make no zero-employment household) or looking for work."""
    made = 0
    start = months[0] - dt.timedelta(days=60)
    today = timezone.localdate()
    for community in communities:
        wanted = 10 if community.code == DEMO_COMMUNITY else 5
        people = _working_age_free(community, start)
        rng.shuffle(people)
        done = 0
        for resident in people:
            if done == wanted:
                break
            day = min(start + dt.timedelta(days=rng.randint(0, 300)), today)
            if not actions.working_age(resident, day):
                continue
            unemployed = rng.random() < 0.6 and _other_working(resident, day)
            actions.do_register_seeker(
                None,
                resident=resident,
                kind=SeekerKind.UNEMPLOYED if unemployed else SeekerKind.LOOKING,
                registered_on=day,
                skills="、".join(rng.sample(SKILLS, 2)),
                wishes=rng.choice(["就近工作", "白班", "长期稳定", "可倒班"]),
                wished_trades=rng.sample(["C", "E", "F", "G", "H", "K", "O"], 2),
                availability=rng.choice(["全职", "白天", "随时"]),
                categories=rng.choice([[], [], [], ["older"], ["low_income"], ["disabled"]]),
                client_token=f"{DEMO}-seeker-{resident.pk}",
            )
            done += 1
        made += done
    return made


def _report_month(
    ru: ResidentUnit, month: dt.date, rng: random.Random, actor: User | None
) -> VacancyReport | None:
    due = actions.report_due(month)
    today = timezone.localdate()
    if rng.random() < 0.12:  # some units miss a month
        return None
    reported_on = min(due - dt.timedelta(days=rng.randint(0, 4)), today)
    if reported_on < actions.month_start(due):
        reported_on = actions.month_start(due)
    posts, skills = _unit_spec(ru)
    rows: list[dict[str, Any]] = []
    if rng.random() < 0.6:
        for post in rng.sample(posts, rng.randint(1, len(posts))):
            low = rng.choice([2200, 2500, 2800, 3000, 3500])
            rows.append(
                {
                    "post": post,
                    "headcount": rng.randint(1, 3),
                    "trade": ru.trade,
                    "skills": skills.split("、")[posts.index(post) % 2] if skills else "",
                    "pay_min": low,
                    "pay_max": low + rng.choice([500, 800, 1200]),
                    "valid_until": actions.add_months(month, 2) - dt.timedelta(days=1),
                    "target_groups": rng.choice([[], [], ["older"], ["disabled"]]),
                    "for_zero_households": rng.random() < 0.2,
                }
            )
    return actions.do_report_vacancies(
        actor if ru.community.code == DEMO_COMMUNITY else None,
        resident_unit=ru,
        month=month,
        vacancies=rows,
        channel=ReportChannel.UNIT_LINK if rng.random() < 0.25 else ReportChannel.CLERK,
        reported_on=reported_on,
        client_token=f"{DEMO}-report-{ru.pk}-{month:%Y%m}",
    )


OUTCOME_MIX = ["hired", "hired", "refused_by_person", "refused_by_unit", "no_show"]


def _refer(report: VacancyReport, rng: random.Random, clerk: User | None) -> None:
    today = timezone.localdate()
    for vacancy in report.vacancies.all():
        on = vacancy.opened_on + dt.timedelta(days=rng.randint(1, 6))
        if on >= today:
            continue
        picks = [s for s in matching.suggest(vacancy, limit=15) if s.seeker.registered_on <= on][
            : min(3, vacancy.headcount + 1)
        ]
        for s in picks:
            vacancy.refresh_from_db()
            if vacancy.status != "open":
                break
            referral = actions.do_refer(
                clerk if vacancy.community.code == DEMO_COMMUNITY else None,
                vacancy,
                seeker=s.seeker,
                referred_on=on,
                client_token=f"{DEMO}-ref-{vacancy.pk}-{s.seeker.pk}",
            )
            outcome_on = on + dt.timedelta(days=rng.randint(3, 10))
            if outcome_on >= today:
                continue  # still waiting for the unit
            vacancy.refresh_from_db()
            outcome = rng.choice(OUTCOME_MIX if s.local else OUTCOME_MIX[1:])
            if outcome == "hired" and vacancy.open_places < 1:
                outcome = "refused_by_unit"
            actions.do_conclude_referral(
                None,
                referral,
                outcome=outcome,
                on=outcome_on,
                confirmed_by_name=vacancy.resident_unit.contact_name or "单位人事",
                channel=ReportChannel.UNIT_LINK,
            )


def _open_vacancy(community: OrgUnit, day: dt.date) -> Any:
    from shequ.jobs.models import Vacancy, VacancyStatus

    return (
        Vacancy.objects.filter(
            community=community,
            status=VacancyStatus.OPEN,
            opened_on__lte=day,
            valid_until__gte=day,
        )
        .order_by("opened_on", "pk")
        .first()
    )


def _zero_households(guanpo: OrgUnit, clerk: User | None) -> int:
    """Four households in 官坡社区 whose only working-age members become registered
    unemployed, one early in each of the last four quarters: the first cleared within
    its quarter by a referral the unit confirmed, the second by a public-welfare post,
    the third only after its quarter ended (not in time), the fourth (this quarter)
    still being helped, with a referral waiting for the unit's answer."""
    today = timezone.localdate()
    this_quarter = actions.quarter_end(today)
    starts = []
    for back in (3, 2, 1, 0):
        qend = actions.quarter_end(actions.add_months(this_quarter.replace(day=1), -3 * back))
        qstart = actions.add_months(qend.replace(day=1), -2)
        starts.append(min(qstart + dt.timedelta(days=5), today))
    taken = set(JobSeeker.objects.values_list("resident_id", flat=True))
    by_household: dict[int, list[Resident]] = {}
    for m in (
        HouseholdMember.objects.filter(household__community=guanpo)
        .select_related("resident")
        .order_by("household_id")
    ):
        by_household.setdefault(m.household_id, []).append(m.resident)
    chosen: list[list[Resident]] = []
    for members in by_household.values():
        working = [
            r
            for r in members
            if r.status == ResidentStatus.LIVING and actions.working_age(r, starts[0])
        ]
        if 1 <= len(working) <= 2 and not any(r.pk in taken for r in members):
            chosen.append(working)
        if len(chosen) == 4:
            break
    for n, (working, day) in enumerate(zip(chosen, starts, strict=False)):
        seekers = [
            actions.do_register_seeker(
                clerk,
                resident=r,
                kind=SeekerKind.UNEMPLOYED,
                registered_on=day,
                skills=SKILLS[(n + i) % len(SKILLS)],
                categories=["zero_household"],
                client_token=f"{DEMO}-zero-{r.pk}",
            )
            for i, r in enumerate(working)
        ]
        qend = actions.quarter_end(day)
        referred_on = min(day + dt.timedelta(days=10), today)
        vacancy = _open_vacancy(guanpo, referred_on)
        referral = None
        if vacancy is not None:
            referral = actions.do_refer(
                clerk,
                vacancy,
                seeker=seekers[0],
                referred_on=referred_on,
                client_token=f"{DEMO}-zero-ref-{seekers[0].pk}",
            )
        if referral is not None and n < 3:
            outcome_on = min(referred_on + dt.timedelta(days=7), today)
            actions.do_conclude_referral(
                None,
                referral,
                outcome="hired" if n == 0 else "refused_by_unit",
                on=outcome_on,
                confirmed_by_name=referral.vacancy.resident_unit.contact_name or "单位人事",
                channel=ReportChannel.UNIT_LINK,
            )
        seekers[0].refresh_from_db()
        if n == 3 or seekers[0].status != SeekerStatus.ACTIVE:
            continue
        placed = min(day + dt.timedelta(days=40) if n < 2 else qend + dt.timedelta(days=12), today)
        actions.do_record_placement(
            clerk,
            seekers[0],
            employer="社区公益性岗位" if n < 2 else "州城家政服务公司",
            post="保洁员",
            source="public_post" if n < 2 else "other",
            started_on=placed,
            client_token=f"{DEMO}-zero-place-{seekers[0].pk}",
        )
    return len(chosen)


def _trainings(rng: random.Random, months: list[dt.date]) -> None:
    township = OrgUnit.objects.get(code=DEMO_TOWNSHIP)
    today = timezone.localdate()
    for n, (skill, provider) in enumerate(TRAININGS):
        starts = months[0] + dt.timedelta(days=40 + 80 * n)
        if starts + dt.timedelta(days=14) >= today:
            continue
        session = actions.do_create_training(
            None,
            unit=township,
            skill=skill,
            provider=provider,
            starts_on=starts,
            ends_on=starts + dt.timedelta(days=9),
            place="舞阳坝街道社区教育学校",
            capacity=15,
            client_token=f"{DEMO}-training-{n}",
        )
        pool = list(
            JobSeeker.objects.filter(
                community__path__startswith=township.path,
                status=SeekerStatus.ACTIVE,
                registered_on__lt=starts,
            ).order_by("pk")
        )
        rng.shuffle(pool)
        enrolments = [
            actions.do_enrol(None, session, seeker=seeker, enrolled_on=starts)
            for seeker in pool[:12]
        ]
        for day in session.days():
            present = [e.pk for e in enrolments if rng.random() < 0.9]
            actions.do_record_attendance(None, session, day=day, present=present)
        actions.do_complete_training(None, session, on=session.ends_on + dt.timedelta(days=1))
        for e in enrolments:
            e.refresh_from_db()
            if e.status != "completed" or rng.random() < 0.5:
                continue
            started = session.ends_on + dt.timedelta(days=rng.randint(10, 60))
            if started >= today:
                continue
            e.seeker.refresh_from_db()
            if e.seeker.status == SeekerStatus.ACTIVE:
                actions.do_record_placement(
                    None,
                    e.seeker,
                    employer=f"{skill}相关企业",
                    post=skill,
                    source="other",
                    started_on=started,
                    client_token=f"{DEMO}-trained-{e.pk}",
                )
            actions.do_follow_up_training(
                None, e, on=min(started + dt.timedelta(days=7), today), note="已上岗,工作稳定"
            )


def _floating(communities: list[OrgUnit], months: list[dt.date], clerk: User | None) -> None:
    today = timezone.localdate()
    kinds = {k.code: k for k in ActivityType.objects.all()}
    for community in communities:
        people = list(actions.floating_residents(community).order_by("pk"))
        if not people:
            continue
        rng = random.Random(int(community.code or 0) + 17)
        for n, code in enumerate(["tech", "medicine", "policy", "health"]):
            held = months[0] + dt.timedelta(days=20 + 85 * n + rng.randint(0, 20))
            if held > today or code not in kinds:
                continue
            title, provider = ACTIVITIES[code]
            actions.do_record_activity(
                clerk if community.code == DEMO_COMMUNITY else None,
                unit=community,
                kind=kinds[code],
                title=title,
                held_on=held,
                place=f"{community.name}党群服务中心",
                provider=provider,
                reached=rng.sample(people, min(len(people), rng.randint(2, 8))),
                others_reached=rng.randint(0, 15),
                client_token=f"{DEMO}-activity-{community.code}-{code}",
            )
    guanpo = next(c for c in communities if c.code == DEMO_COMMUNITY)
    parent = (
        actions.floating_residents(guanpo)
        .filter(floating__school_age_children__gt=0)
        .order_by("pk")
        .first()
    ) or actions.floating_residents(guanpo).order_by("pk").first()
    if parent is not None:
        ensure_catalogue()
        actions.do_open_school_help(
            clerk,
            resident=parent,
            child_name=f"{parent.name[0]}小雨",
            stage="primary",
            wished_school="恩施市实验小学",
            client_token=f"{DEMO}-school-1",
        )


@transaction.atomic
def ensure_demo_jobs(communities_limit: int | None = None) -> int:
    """Load the jobs demo once; returns how many resident units it registered.
    ``communities_limit`` keeps the first few communities (and 官坡社区), for tests."""
    if ResidentUnit.objects.filter(client_token__startswith=f"{DEMO}-ru-").exists():
        return 0
    today = timezone.localdate()
    months = _months(today)
    rng = random.Random(17)
    communities = demo_jobs_communities(communities_limit)
    clerk = User.objects.filter(username="clerk").first()
    units = _units(communities)
    _seekers(communities, months, rng)
    guanpo = next(c for c in communities if c.code == DEMO_COMMUNITY)
    for month in months:
        for ru in units:
            report = _report_month(ru, month, rng, clerk)
            if report is not None:
                _refer(report, rng, clerk)
    _zero_households(guanpo, clerk)
    _trainings(rng, months)
    _floating(communities, months, clerk)
    actions.sweep_zero_households()
    return len(units)
