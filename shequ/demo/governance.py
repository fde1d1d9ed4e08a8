"""Demo self-governance: two years (2025–2026) of meetings across 恩施市 and a community
each in 利川市 and 巴东县, all written through the governance actions.

- 谭家坝村 and 头道水村 (the first two rural communities of 恩施市): villagers registered
  here (the demo registry fills only urban and town communities), households, a village
  committee, representatives and groups; 村民会议 deciding every 第二十四条 matter and
  authorising the representatives' meeting; a meeting that failed its quorum; a valid
  villagers' request answered by a meeting and one left unanswered (overdue); the
  supervision committee elected by a resolution; a village charter and convention in two
  versions (drafted, commented, discussed, adopted, published, filed); democratic
  evaluations in 2025 and 2026 with one member rated 不称职 twice, awaiting the
  township's confirmation. Logins: ``village_director`` (谭家坝村's director) and
  ``village_township`` (its township's officer).
- 官坡社区 (the demo logins' community): 居民会议 before and after 2026-01-01 (the urban
  law's two versions), a residents' committee whose term expires within a quarter.
- one urban community of 利川市 and of 巴东县: one quorate meeting, one failed.

Idempotent: a community that has meetings is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from shequ.demo.accounts import DEMO_COMMUNITY, DEMO_SINCE
from shequ.governance import actions, law
from shequ.governance.models import (
    ART24_MATTERS,
    Basis,
    CharterKind,
    Committee,
    CommitteeKind,
    CommitteeMember,
    Matter,
    Meeting,
    MeetingType,
    MemberPost,
    Rating,
)
from shequ.lib.idcard import make_id_number
from shequ.orgs.models import CommunityType, Employment, OrgUnit, Post, Role, UnitKind, User
from shequ.people.actions import do_add_household_member, do_create_household, do_register_resident
from shequ.people.models import HouseholdMember, Resident, ResidentStatus

ENSHI = "422801000000"
LICHUAN = "422802000000"
BADONG = "422823000000"
SURNAMES = "谭向黄杨刘覃冉邓田李张王陈吴彭"
GIVEN = ["德明", "春兰", "建国", "秀英", "志强", "红梅", "文华", "小军", "桂英", "明华",
         "玉兰", "永清", "家福", "金莲", "世贵", "光荣", "翠萍", "国庆", "海燕", "长生"]  # fmt: skip


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _account(username: str, full_name: str, role: str, unit: OrgUnit) -> User:
    user, new = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if new:
        user.password = make_password(settings.SHEQU_DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Post.objects.get_or_create(
        user=user,
        unit=unit,
        role=role,
        ended_on=None,
        defaults={"employment": Employment.FULL_TIME, "started_on": DEMO_SINCE},
    )
    return user


def _villagers(unit: OrgUnit, households: int, seed: int) -> list[list[Resident]]:
    """``households`` households of 2–4 people (adults, and a child in some)."""
    rng = random.Random(seed)
    out: list[list[Resident]] = []
    n = 0
    for h in range(households):
        surname = SURNAMES[(seed + h) % len(SURNAMES)]
        people: list[Resident] = []
        size = rng.choice([2, 3, 3, 4])
        for m in range(size):
            n += 1
            male = m % 2 == 0
            if m < 2:
                birth = dt.date(
                    1955 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28)
                )
            else:
                birth = dt.date(
                    1990 + rng.randrange(22), 1 + rng.randrange(12), 1 + rng.randrange(28)
                )
            people.append(
                do_register_resident(
                    None,
                    unit=unit,
                    name=surname + GIVEN[(h * 3 + m + seed) % len(GIVEN)],
                    id_number=make_id_number(
                        "422801", birth, (seed * 97 + n * 2 + (1 if male else 0)) % 1000
                    ),
                    address=f"{unit.name}{h + 1}组{h + 1}号",
                    client_token=f"demo-gov-{seed}-{n}",
                )
            )
        household = do_create_household(
            None,
            head=people[0],
            number=f"{unit.pk}-{h + 1:03d}",
            client_token=f"demo-gov-h-{seed}-{h}",
        )
        for m, person in enumerate(people[1:], start=1):
            do_add_household_member(
                None, household, resident=person, relation="spouse" if m == 1 else "child"
            )
        out.append(people)
    return out


def _adults(unit: OrgUnit, day: dt.date) -> list[Resident]:
    cutoff = day.replace(year=day.year - 18)
    return list(
        Resident.objects.filter(
            community=unit, status=ResidentStatus.LIVING, birth_date__lte=cutoff
        ).order_by("pk")
    )


def _heads(unit: OrgUnit) -> list[Resident]:
    return [
        m.resident
        for m in HouseholdMember.objects.filter(
            household__community=unit, relation="head", resident__status=ResidentStatus.LIVING
        )
        .select_related("resident")
        .order_by("pk")
    ]


def _meeting(
    actor: User | None,
    unit: OrgUnit,
    mtype: str,
    day: dt.date,
    title: str,
    agenda: list[tuple[str, str]],
    *,
    share: float,
    households: bool = False,
    members: list[Resident] | None = None,
    authorised_by: object = None,
    request: object = None,
    group: object = None,
    close: bool = True,
    votes: float = 0.8,
) -> Meeting:
    """Convene, sign in ``share`` of the base (adults, household heads or members), vote
    every item that may be voted, and close."""
    notice = max(actions.notice_days(unit, mtype, day), 3)
    meeting = actions.do_convene_meeting(
        actor,
        unit=unit,
        meeting_type=mtype,
        title=title,
        held_on=day,
        notice_on=day - dt.timedelta(days=notice + 2),
        place=f"{unit.name}党群服务中心会议室",
        agenda=agenda,
        authorised_by=authorised_by,  # type: ignore[arg-type]
        request=request,  # type: ignore[arg-type]
        group=group,  # type: ignore[arg-type]
        client_token=f"demo-gov-m-{unit.pk}-{day.isoformat()}-{mtype}",
    )
    actions.do_open_meeting(actor, meeting)
    if members is not None:
        people = members
    elif households:
        people = _heads(unit)
    else:
        people = _adults(unit, day)
    count = int(len(people) * share)
    for n, person in enumerate(people[:count]):
        actions.do_sign_in(
            actor,
            meeting,
            person,
            for_household=households,
            at=_at(day, 9) + dt.timedelta(seconds=20 * n),
        )
    status = actions.quorum.quorum(meeting)
    present = status.present
    for item in meeting.agenda.all():
        if not status.quorate or actions.matter_refusal(meeting, item.matter):
            actions.do_record_discussion(
                actor, item, "会议未达到法定人数,与会人员讨论了该议题,未形成决议。"
            )
            continue
        yes = int(present * votes) + 1 if votes > 0.5 else int(present * votes)
        yes = min(yes, present)
        against = (present - yes) // 2
        actions.do_decide_resolution(
            actor,
            item,
            text=f"会议同意:{item.title}。",
            votes_for=yes,
            votes_against=against,
            votes_abstain=present - yes - against,
            at=_at(day, 11),
        )
    if close:
        actions.do_close_meeting(
            actor,
            meeting,
            minutes="会议按议程进行,与会人员充分讨论。",
            chair="村(居)委会主任",
            recorder="村(居)委会文书",
            at=_at(day, 12),
        )
    return meeting


def _resolution(meeting: Meeting, matter: str) -> object:
    return meeting.resolutions.filter(matter=matter).first()


CHARTER_V1 = """第一条 为推进村民自治,依据《中华人民共和国村民委员会组织法》,制定本章程。
第二条 村民会议由本村十八周岁以上的村民组成。
第三条 村民委员会每届任期五年。
第四条 村务公开每季度至少一次。
第五条 本章程经村民会议通过后施行。"""
CHARTER_V2 = """第一条 为推进村民自治,依据《中华人民共和国村民委员会组织法》,制定本章程。
第二条 村民会议由本村十八周岁以上的村民组成,也可以由每户派代表参加。
第三条 村民委员会每届任期五年。
第四条 村务公开每季度至少一次,财务收支每月公开。
第五条 村务监督委员会每年主持一次民主评议。
第六条 本章程经村民会议通过后施行,报乡镇人民政府备案。"""
CONVENTION_V1 = """一、爱国守法,遵守村规。
二、邻里和睦,互帮互助。
三、移风易俗,红白喜事从简。"""
CONVENTION_V2 = """一、爱国守法,遵守村规。
二、邻里和睦,互帮互助,矛盾纠纷先找调解委员会。
三、移风易俗,红白喜事从简,不大操大办。
四、保护环境,垃圾分类投放。"""


def _charter(
    actor: User | None,
    unit: OrgUnit,
    kind: str,
    title: str,
    texts: list[tuple[str, Meeting, Meeting]],
    township: OrgUnit,
) -> None:
    """Each version through every step: draft, comment, discussed by ``reps``, adopted by
    the plenary meeting's charter resolution, published, filed."""
    for n, (text, reps, plenary) in enumerate(texts, start=1):
        version = actions.do_draft_charter(actor, unit=unit, kind=kind, title=title, text=text)
        start = reps.held_on - dt.timedelta(days=20)
        actions.do_open_comment(
            actor, version, comment_from=start, comment_to=start + dt.timedelta(days=15)
        )
        actions.do_record_comment(
            actor,
            version,
            author="谭德明",
            text="建议增加红白喜事从简的具体标准。",
            received_on=start + dt.timedelta(days=3),
        )
        actions.do_mark_discussed(actor, version, reps)
        resolution = plenary.resolutions.filter(matter=Matter.CHARTER).order_by("pk")[
            0 if kind == CharterKind.CHARTER else 1
        ]
        actions.do_adopt_charter(actor, version, resolution)
        actions.do_publish_charter(
            actor, version, published_on=plenary.held_on + dt.timedelta(days=2)
        )
        if n < len(texts) or kind == CharterKind.CHARTER:
            actions.do_file_charter(
                actor,
                version,
                filed_on=plenary.held_on + dt.timedelta(days=10),
                filed_with=f"{township.name}人民政府",
                receipt=f"备{plenary.held_on.year}-{unit.pk}-{kind[:2]}{n}",
            )


def _evaluate(
    actor: User | None,
    unit: OrgUnit,
    committee: Committee,
    meeting: Meeting,
    chair: CommitteeMember,
    target: CommitteeMember,
    unfit_share: float,
) -> None:
    evaluation = actions.do_open_evaluation(
        actor, committee=committee, meeting=meeting, chair=chair, year=meeting.held_on.year
    )
    members = actions.evaluated_members(evaluation)
    voters = [a.resident for a in meeting.attendances.select_related("resident").order_by("pk")]
    rng = random.Random(meeting.pk)
    for n, voter in enumerate(voters):
        marks = {m.pk: rng.choice([Rating.FIT, Rating.FIT, Rating.BASIC]) for m in members}
        marks[target.pk] = Rating.UNFIT if n < len(voters) * unfit_share else Rating.BASIC
        actions.do_cast_ballot(actor, evaluation, voter=voter, marks=marks)
    actions.do_close_evaluation(actor, evaluation)


def _village(unit: OrgUnit, seed: int, main: bool) -> int:
    actor: User | None = None
    families = _villagers(unit, 16 if main else 12, seed)
    township = unit.parent_unit()
    if township is None:
        raise LookupError(unit.name)
    director = families[0][0]
    staff = _account("village_director", f"{director.name}", Role.DIRECTOR, unit) if main else None
    if main:
        _account("village_township", "覃国庆", Role.TOWNSHIP_OFFICER, township)
    unfit_member = families[3][0]
    committee = actions.do_elect_committee(
        actor,
        unit=unit,
        kind=CommitteeKind.VILLAGE,
        elected_on=dt.date(2022, 1, 10),
        members=[
            actions.Candidate(director, MemberPost.DIRECTOR, user=staff),
            actions.Candidate(families[1][0], MemberPost.DEPUTY),
            actions.Candidate(unfit_member, MemberPost.MEMBER),
        ],
        client_token=f"demo-gov-c-{unit.pk}",
    )
    homes = [
        h.household
        for h in HouseholdMember.objects.filter(household__community=unit, relation="head")
        .select_related("household")
        .order_by("pk")
    ]
    groups = [
        actions.do_save_group(
            actor,
            unit=unit,
            name=f"第{n}村民小组",
            leader=families[n - 1][1],
            households=homes[(n - 1) * 6 : n * 6],
        )
        for n in (1, 2, 3)
    ]
    for n, family in enumerate(families[4:12]):
        actions.do_add_representative(
            actor,
            unit=unit,
            resident=family[1 if n % 2 else 0],
            group=groups[n % 3],
            households=2,
            term_from=dt.date(2022, 1, 10),
            client_token=f"demo-gov-r-{unit.pk}-{n}",
        )
    reps_members = [director, families[1][0], unfit_member] + [
        f[1 if n % 2 else 0] for n, f in enumerate(families[4:12])
    ]
    # 2025: the villagers' meeting decides every 第二十四条 matter, authorises the
    # representatives' meeting, elects the supervision committee and adopts the charters.
    art24 = [(str(Matter(m).label), m) for m in sorted(ART24_MATTERS)]
    plenary = _meeting(
        actor,
        unit,
        MeetingType.VILLAGERS,
        dt.date(2025, 3, 15),
        "2025年第一次村民会议",
        [
            *art24,
            ("授权村民代表会议讨论决定集体经济收益使用等事项", Matter.DELEGATION),
            ("推选村务监督委员会成员", Matter.SUPERVISION),
            ("通过《村民自治章程》", Matter.CHARTER),
            ("通过《村规民约》", Matter.CHARTER),
        ],
        share=0.7,
    )
    reps_2025 = _meeting(
        actor,
        unit,
        MeetingType.VILLAGERS_REPS,
        dt.date(2025, 2, 20),
        "2025年第一季度村民代表会议",
        [("讨论村民自治章程和村规民约草案", Matter.ORDINARY)],
        share=0.85,
        members=reps_members,
    )
    supervision = actions.do_elect_committee(
        actor,
        unit=unit,
        kind=CommitteeKind.SUPERVISION,
        elected_on=dt.date(2025, 3, 15),
        members=[
            actions.Candidate(families[-3][0], MemberPost.DIRECTOR, accounting_skill=True),
            actions.Candidate(families[-2][0], MemberPost.MEMBER),
            actions.Candidate(families[-1][1], MemberPost.MEMBER),
        ],
        resolution=_resolution(plenary, Matter.SUPERVISION),  # type: ignore[arg-type]
        client_token=f"demo-gov-s-{unit.pk}",
    )
    chair = supervision.members.get(post=MemberPost.DIRECTOR)
    _meeting(
        actor,
        unit,
        MeetingType.VILLAGERS_REPS,
        dt.date(2025, 5, 20),
        "2025年第二季度村民代表会议(经授权)",
        [
            ("集体经济所得收益的使用方案(经村民会议授权)", Matter.ART24_INCOME),
            ("村道维护安排", Matter.ORDINARY),
        ],
        share=0.8,
        members=reps_members,
        authorised_by=_resolution(plenary, Matter.DELEGATION),
    )
    _meeting(
        actor,
        unit,
        MeetingType.VILLAGERS,
        dt.date(2025, 7, 12),
        "2025年第二次村民会议(未达法定人数)",
        [("宅基地使用方案调整", Matter.ART24_HOMESTEAD)],
        share=0.35,
    )
    _meeting(
        actor,
        unit,
        MeetingType.JOINT,
        dt.date(2025, 9, 3),
        "村两委联席会议",
        [("研究秋收期间村务安排", Matter.ORDINARY)],
        share=1.0,
        members=[director, families[1][0], unfit_member],
    )
    _meeting(
        actor,
        unit,
        MeetingType.VILLAGERS_REPS,
        dt.date(2025, 10, 15),
        "2025年第四季度村民代表会议",
        [("冬季防火安排", Matter.ORDINARY)],
        share=0.75,
        members=reps_members,
    )
    group_people = list(actions.quorum.group_residents(groups[0]).order_by("pk"))
    group_adults = [r for r in group_people if r.birth_date <= dt.date(2007, 8, 1)]
    _meeting(
        actor,
        unit,
        MeetingType.VILLAGER_GROUP,
        dt.date(2025, 8, 1),
        "第1村民小组会议",
        [("小组公路养护分工", Matter.ORDINARY)],
        share=0.8,
        members=group_adults,
        group=groups[0],
    )
    evaluation_2025 = _meeting(
        actor,
        unit,
        MeetingType.VILLAGERS,
        dt.date(2025, 12, 20),
        "2025年度村民会议(工作报告与民主评议)",
        [("审议村民委员会年度工作报告", Matter.WORK_REPORT)],
        share=0.62,
        close=False,
    )
    _evaluate(
        actor,
        unit,
        committee,
        evaluation_2025,
        chair,
        committee.members.get(resident=unfit_member),
        0.6,
    )
    actions.do_close_meeting(
        actor,
        evaluation_2025,
        minutes="审议了工作报告,进行了民主评议。",
        chair=chair.resident.name,
        recorder="村文书",
        at=_at(dt.date(2025, 12, 20), 12),
    )
    # 2026: a villagers' request, version 2 of the charters, and the second evaluation.
    signers = _adults(unit, dt.date(2026, 3, 1))
    request = actions.do_file_request(
        actor,
        unit=unit,
        meeting_type=MeetingType.VILLAGERS,
        basis=Basis.ADULTS,
        subject="讨论村集体山林承包方案",
        received_on=dt.date(2026, 3, 1),
        signatories=signers[: max(len(signers) // 8, 1)],
        client_token=f"demo-gov-q-{unit.pk}-1",
    )
    reps_2026 = _meeting(
        actor,
        unit,
        MeetingType.VILLAGERS_REPS,
        dt.date(2026, 3, 10),
        "2026年第一季度村民代表会议",
        [("讨论章程和村规民约修订稿", Matter.ORDINARY)],
        share=0.9,
        members=reps_members,
    )
    plenary_2026 = _meeting(
        actor,
        unit,
        MeetingType.VILLAGERS,
        dt.date(2026, 3, 28),
        "2026年第一次村民会议(应村民提议召集)",
        [
            ("集体山林承包经营方案", Matter.ART24_LAND_CONTRACT),
            ("修订《村民自治章程》", Matter.CHARTER),
            ("修订《村规民约》", Matter.CHARTER),
            ("推选人民调解委员会委员", Matter.MEDIATION),
        ],
        share=0.66,
        request=request,
    )
    if main:
        _charter(
            actor,
            unit,
            CharterKind.CHARTER,
            f"{unit.name}村民自治章程",
            [(CHARTER_V1, reps_2025, plenary), (CHARTER_V2, reps_2026, plenary_2026)],
            township,
        )
        _charter(
            actor,
            unit,
            CharterKind.CONVENTION,
            f"{unit.name}村规民约",
            [(CONVENTION_V1, reps_2025, plenary), (CONVENTION_V2, reps_2026, plenary_2026)],
            township,
        )
    actions.do_file_request(
        actor,
        unit=unit,
        meeting_type=MeetingType.VILLAGERS_REPS,
        basis=Basis.REPRESENTATIVES,
        subject="公开2026年集体经济收支",
        received_on=dt.date(2026, 9, 1),
        signatories=reps_members[3:6],
        client_token=f"demo-gov-q-{unit.pk}-2",
    )  # valid, unanswered: overdue for the township
    evaluation_2026 = _meeting(
        actor,
        unit,
        MeetingType.VILLAGERS,
        dt.date(2026, 11, 28),
        "2026年度村民会议(工作报告与民主评议)",
        [("审议村民委员会年度工作报告", Matter.WORK_REPORT)],
        share=0.64,
        close=False,
    )
    _evaluate(
        actor,
        unit,
        committee,
        evaluation_2026,
        chair,
        committee.members.get(resident=unfit_member),
        0.7 if main else 0.2,
    )
    actions.do_close_meeting(
        actor,
        evaluation_2026,
        minutes="审议了工作报告,进行了民主评议。",
        chair=chair.resident.name,
        recorder="村文书",
        at=_at(dt.date(2026, 11, 28), 12),
    )
    return Meeting.objects.filter(unit=unit).count()


def _urban(unit: OrgUnit, main: bool) -> int:
    actor = None
    adults = _adults(unit, dt.date(2025, 1, 1))
    if len(adults) < 10:
        return 0
    actions.do_elect_committee(
        actor,
        unit=unit,
        kind=CommitteeKind.RESIDENTS,
        elected_on=dt.date(2022, 1, 25) if main else dt.date(2021, 12, 1) + dt.timedelta(days=400),
        members=[
            actions.Candidate(adults[0], MemberPost.DIRECTOR),
            actions.Candidate(adults[1], MemberPost.DEPUTY),
            actions.Candidate(adults[2], MemberPost.MEMBER),
        ],
        client_token=f"demo-gov-c-{unit.pk}",
    )
    heads = _heads(unit)
    _meeting(
        actor,
        unit,
        MeetingType.RESIDENTS,
        dt.date(2025, 4, 18),
        "2025年居民会议",
        [("小区停车管理办法", Matter.ORDINARY), ("通过《居民公约》", Matter.CHARTER)],
        share=0.56 if main else 0.6,
        households=main,
    )
    _meeting(
        actor,
        unit,
        MeetingType.RESIDENTS,
        dt.date(2025, 11, 6),
        "居民会议(未达法定人数)",
        [("加装电梯资金分摊", Matter.ORDINARY)],
        share=0.3,
        households=True,
    )
    if main and heads:
        _meeting(
            actor,
            unit,
            MeetingType.RESIDENTS,
            dt.date(2026, 4, 16),
            "2026年居民会议(修订后法律施行后)",
            [("审议居民委员会年度工作报告", Matter.WORK_REPORT)],
            share=0.55,
            households=True,
        )
        actions.do_file_request(
            actor,
            unit=unit,
            meeting_type=MeetingType.RESIDENTS,
            basis=Basis.HOUSEHOLDS,
            subject="讨论老旧小区改造方案",
            received_on=dt.date(2026, 11, 10),
            signatories=heads[: len(heads) // 4 + 1],
            client_token=f"demo-gov-q-{unit.pk}-1",
        )
    return Meeting.objects.filter(unit=unit).count()


def _first(county: str, community_type: str, n: int = 1) -> list[OrgUnit]:
    root = OrgUnit.objects.get(code=county)
    return list(
        OrgUnit.objects.filter(
            path__startswith=root.path, kind=UnitKind.COMMUNITY, community_type=community_type
        ).order_by("path")[:n]
    )


def ensure_demo_governance() -> int:
    """Write the demo's governance records; returns how many meetings were written."""
    law.ensure_rules()
    made = 0
    villages = _first(ENSHI, CommunityType.RURAL, 2)
    for n, unit in enumerate(villages):
        if not Meeting.objects.filter(unit=unit).exists():
            with transaction.atomic():
                made += _village(unit, 11 + n, main=n == 0)
    urban = [
        OrgUnit.objects.get(code=DEMO_COMMUNITY),
        *_first(LICHUAN, CommunityType.URBAN),
        *(_first(BADONG, CommunityType.URBAN) or _first(BADONG, CommunityType.TOWN)),
    ]
    for n, unit in enumerate(urban):
        if not Meeting.objects.filter(unit=unit).exists():
            with transaction.atomic():
                made += _urban(unit, main=n == 0)
    return made
