"""Demo community building: the prefecture as the seed report saw it at 2015-06.

Written through the building app's actions (ledger entries, standings, evidence and
checks, projects, groups, documents, pledges), so ``building.figures.seed_figures``
computes the seed's figures from rows the pages also read:

- 132 communities on 2015-06-30 (70 urban, 62 town): every urban and town unit of the
  NBS 2023 tree gets a standing (data/README.md): the 58 urban ones and 12 town ones in
  county seats counted as urban until 2019 (then town), 62 town ones since 2010, and the
  other 92 from 2016–2022;
- 103.55 million yuan of county investment to 2015-06 (20.00 before 2011, 83.55 from
  2011 to 2015-06); the 12th five-year plan's 7.5 (prefecture reward in lieu,
  2012–2014), 20.34 (central 8.00 + provincial 12.34) and 87.5 (county, 3.95 of it in
  2015-H2) million;
- 28.05 million disbursed to rural communities to 2015-06 (23.00 fiscal, 1.19
  department aid, 1.50 donations, 2.36 self-raised, part of them through three 一事一议
  projects that went through apply → review → approve → raise → subsidy);
- 123 urban/town centres of 300 m² or more (9 smaller) and all 132 with the "13个一",
  checked by the townships in 2015-05; 58 rural communities with a service hall.

A mistaken entry and its reversal show the correction rule. Idempotent: entries and
projects carry fixed client tokens; standings and checks are written once.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shequ.building import actions
from shequ.building.models import (
    CommunityStanding,
    EntryKind,
    FacilityCheck,
    FacilityItem,
    FiscalLevel,
    FundSource,
    GroupKind,
    ItemGroup,
    LeadingGroup,
    LedgerEntry,
    MemberRole,
    Pledge,
    PledgeMeasure,
    PolicyDocument,
    Procedure,
    Project,
    ProjectKind,
    ProjectStatus,
    SixBits,
    Walk,
)
from shequ.building.standards import SERVICE_HALL
from shequ.demo.accounts import DEMO_COMMUNITY
from shequ.governance.figures import resolutions_for
from shequ.orgs.models import CommunityType, OrgUnit, Post, Role, TownshipKind, UnitKind, User

TAG = "demo-building"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n% demo: acceptance report\n%%EOF\n"
CHECKED_ON = dt.date(2015, 5, 20)
HALLS_ON = dt.date(2015, 3, 10)
URBAN_THEN = 12  # town communities of county seats counted as urban in 2015
TOWN_THEN = 62
SHORT_OF_AREA = 9  # 132 - 123
RURAL_HALLS = 58
WAN = Decimal(10000)


def _file(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    kind = "application/pdf" if content.startswith(b"%PDF") else "image/png"
    return SimpleUploadedFile(name, content, content_type=kind)


def split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """``total`` yuan in ``parts`` uneven amounts of whole yuan that add up exactly."""
    fen = int(total * 100)
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = sum(weights)
    shares = [int(fen * w / scale) // 100 * 100 for w in weights]
    shares[-1] += fen - sum(shares)
    return [Decimal(s) / 100 for s in shares]


def _round_robin(units: list[OrgUnit]) -> list[OrgUnit]:
    """Units interleaved county by county, so every county gets its share."""
    by_county: dict[str, list[OrgUnit]] = {}
    for unit in units:
        by_county.setdefault(unit.path[:8], []).append(unit)
    queues = [by_county[k] for k in sorted(by_county)]
    out: list[OrgUnit] = []
    while any(queues):
        for queue in queues:
            if queue:
                out.append(queue.pop(0))
    return out


def _communities(kind: str) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(kind=UnitKind.COMMUNITY, community_type=kind).order_by("path")
    )


def _officer() -> User | None:
    """The demo prefecture officer enters what the prefecture entered (or the system)."""
    return User.objects.filter(username="prefecture").first()


def counted_2015() -> tuple[list[OrgUnit], list[OrgUnit], list[OrgUnit]]:
    """(urban then, town then, later) urban/town units, as the demo's standings have them."""
    urban = _communities(CommunityType.URBAN)
    town = _round_robin(_communities(CommunityType.TOWN))
    seats = [
        u
        for u in town
        if OrgUnit.objects.filter(path=u.path[:12], township_kind=TownshipKind.TOWN).exists()
    ]
    urban_then = seats[:URBAN_THEN]
    rest = [u for u in town if u not in urban_then]
    return urban + urban_then, rest[:TOWN_THEN], rest[TOWN_THEN:]


def ensure_standings() -> int:
    if CommunityStanding.objects.exists():
        return 0
    urban, town, later = counted_2015()
    n = 0
    basis = "州民政局社区统计(演示数据)"
    urban_ids = {u.pk for u in _communities(CommunityType.URBAN)}
    for unit in urban:
        if unit.pk in urban_ids:
            actions.do_record_standing(
                None,
                unit,
                community_type=CommunityType.URBAN,
                valid_from=dt.date(2008, 1, 1),
                basis=basis,
            )
            n += 1
        else:
            actions.do_record_standing(
                None,
                unit,
                community_type=CommunityType.URBAN,
                valid_from=dt.date(2008, 1, 1),
                valid_to=dt.date(2019, 12, 31),
                basis=basis,
            )
            actions.do_record_standing(
                None,
                unit,
                community_type=CommunityType.TOWN,
                valid_from=dt.date(2020, 1, 1),
                basis="统计用城乡划分代码调整为镇区(演示数据)",
            )
            n += 2
    for unit in town:
        actions.do_record_standing(
            None,
            unit,
            community_type=CommunityType.TOWN,
            valid_from=dt.date(2010, 1, 1),
            basis=basis,
        )
        n += 1
    for i, unit in enumerate(later):
        actions.do_record_standing(
            None,
            unit,
            community_type=CommunityType.TOWN,
            valid_from=dt.date(2016 + i % 7, 1 + i % 12, 1),
            basis="新设社区(演示数据)",
        )
        n += 1
    return n


def ensure_checks() -> int:
    """The townships' checks of 2015-05 (urban/town) and 2015-03 (rural halls)."""
    if FacilityCheck.objects.exists():
        return 0
    urban, town, later = counted_2015()
    thirteen = list(FacilityItem.objects.filter(group=ItemGroup.THIRTEEN_ONES, active=True))
    rural_items = list(FacilityItem.objects.filter(group=ItemGroup.RURAL, active=True))
    hall = next(i for i in rural_items if i.code == SERVICE_HALL)
    rng = random.Random(16)
    counted = _round_robin(urban + town)
    short = {u.pk for u in counted[-SHORT_OF_AREA:]}
    n = 0
    for unit in counted:
        report = actions.do_upload_evidence(
            None, unit, file=_file("acceptance.pdf"), note="规范化建设验收报告(演示)"
        )
        area = rng.randint(180, 295) if unit.pk in short else rng.randint(300, 900)
        actions.do_check_area(None, unit, area_m2=area, checked_on=CHECKED_ON, evidence=report)
        for item in thirteen:
            actions.do_check_facility(
                None, unit, item, present=True, checked_on=CHECKED_ON, evidence=report
            )
        n += 1 + len(thirteen)
    # A few communities founded later were checked in 2021 and are still short of items.
    for unit in later[:6]:
        report = actions.do_upload_evidence(None, unit, file=_file("check.pdf"))
        actions.do_check_area(
            None,
            unit,
            area_m2=rng.randint(150, 400),
            checked_on=dt.date(2021, 6, 1),
            evidence=report,
        )
        for item in thirteen[: 9 + len(unit.name) % 4]:
            actions.do_check_facility(
                None, unit, item, present=True, checked_on=dt.date(2021, 6, 1), evidence=report
            )
            n += 1
    rural = _round_robin(_communities(CommunityType.RURAL))
    for i, unit in enumerate(rural[:RURAL_HALLS]):
        photo = actions.do_upload_evidence(None, unit, file=_file("hall.png", PNG), item=hall)
        for item in rural_items:
            if item == hall or i % 3 == 0:
                actions.do_check_facility(
                    None, unit, item, present=True, checked_on=HALLS_ON, evidence=photo
                )
                n += 1
    return n


def _entries(
    tag: str,
    units: list[OrgUnit],
    total: Decimal,
    days: Iterator[dt.date],
    rng: random.Random,
    **fields: str,
) -> int:
    actor = _officer()
    for i, (unit, amount) in enumerate(zip(units, split(total, len(units), rng), strict=True)):
        actions.do_record_entry(
            actor,
            unit=unit,
            entry_date=next(days),
            amount=amount,
            client_token=f"{TAG}:{tag}:{i}",
            **fields,  # type: ignore[arg-type]
        )
    return len(units)


def _days(first: dt.date, last: dt.date, rng: random.Random) -> Iterator[dt.date]:
    span = (last - first).days
    while True:
        yield first + dt.timedelta(days=rng.randint(0, span))


CASE_PROJECTS = [
    # (name, kind, budget, villagers' share paid, subsidy paid), yuan
    ("村组道路硬化", ProjectKind.ROAD, Decimal("400000"), Decimal("200000"), Decimal("200000")),
    ("人畜饮水工程", ProjectKind.WATER, Decimal("160000"), Decimal("80000"), Decimal("80000")),
    ("村民服务大厅改建", ProjectKind.HALL, Decimal("240000"), Decimal("120000"), Decimal("100000")),
]


def ensure_projects() -> int:
    """Three 一事一议 projects through their procedure, and one still waiting for review."""
    if Project.objects.filter(client_token__startswith=TAG).exists():
        return 0
    rural = _round_robin(_communities(CommunityType.RURAL))
    officer = _officer()
    n = 0
    for i, (name, kind, budget, raised, subsidy) in enumerate(CASE_PROJECTS):
        unit = rural[i]
        project = actions.do_create_project(
            None,
            unit=unit,
            name=f"{unit.name}{name}",
            kind=kind,
            procedure=Procedure.CASE_BY_CASE,
            budget=budget,
            plan={FundSource.CASE_SELF_RAISED: raised, FundSource.RURAL_FISCAL: budget - raised},
            client_token=f"{TAG}:project:{i}",
        )
        actions.do_apply_project(
            None, project, resolution_ref=f"{unit.name}村民会议决议〔2014〕{i + 1}号"
        )
        actions.do_review_project(None, project, note="符合一事一议条件")
        actions.do_approve_project(None, project, approved_on=dt.date(2014, 4, 1), note="同意")
        actions.do_record_entry(
            officer,
            unit=unit,
            entry_date=dt.date(2014, 5, 10),
            level=FiscalLevel.COMMUNITY,
            source=FundSource.CASE_SELF_RAISED,
            six_bits=SixBits.SELF_RAISED,
            kind=EntryKind.DISBURSED,
            amount=raised,
            project=project,
            document_ref="村民筹资筹劳公示",
            client_token=f"{TAG}:raised:{i}",
        )
        actions.do_pay_subsidy(
            officer,
            project,
            amount=subsidy,
            level=FiscalLevel.COUNTY,
            source=FundSource.RURAL_FISCAL,
            entry_date=dt.date(2014, 6, 20),
            document_ref="县财政一事一议奖补资金拨付",
            client_token=f"{TAG}:subsidy:{i}",
        )
        actions.do_report_progress(
            None,
            project,
            progress=100,
            note="完工",
            photo=_file("site.png", PNG),
            reported_on=dt.date(2014, 10, 30),
        )
        actions.do_complete_project(None, project, completed_on=dt.date(2014, 11, 15))
        n += 1
    waiting = actions.do_create_project(
        None,
        unit=rural[3],
        name=f"{rural[3].name}文化广场",
        kind=ProjectKind.OTHER,
        procedure=Procedure.CASE_BY_CASE,
        budget=Decimal("120000"),
        plan={FundSource.CASE_SELF_RAISED: Decimal("60000")},
        client_token=f"{TAG}:project:waiting",
    )
    actions.do_apply_project(
        None, waiting, resolution_ref=f"{rural[3].name}村民会议决议〔2015〕1号"
    )
    return n + 1


def ensure_ledger() -> int:
    if LedgerEntry.objects.filter(client_token__startswith=f"{TAG}:county").exists():
        return 0
    rng = random.Random(1516)
    counties = list(OrgUnit.objects.filter(kind=UnitKind.COUNTY).order_by("path"))
    urban, town, _later = counted_2015()
    urban_town = _round_robin(urban + town)
    n = 0
    # County investment: 20.00 million before 2011, 83.55 million 2011 – 2015-06, 3.95
    # million in 2015-H2 (the 12th plan's 87.5 million in all).
    county = {
        "level": FiscalLevel.COUNTY,
        "source": FundSource.COUNTY_FUND,
        "six_bits": SixBits.FISCAL,
        "kind": EntryKind.ALLOCATED,
    }
    n += _entries(
        "county:pre",
        counties * 2,
        Decimal("20000000"),
        _days(dt.date(2009, 3, 1), dt.date(2010, 12, 20), rng),
        rng,
        **county,
    )
    n += _entries(
        "county:plan",
        urban_town,
        Decimal("83550000"),
        _days(dt.date(2011, 2, 1), dt.date(2015, 6, 30), rng),
        rng,
        **county,
    )
    n += _entries(
        "county:late",
        counties,
        Decimal("3950000"),
        _days(dt.date(2015, 7, 1), dt.date(2015, 12, 20), rng),
        rng,
        **county,
    )
    # Prefecture reward in lieu of subsidy: 2.5 million a year, 2012–2014.
    for year in (2012, 2013, 2014):
        n += _entries(
            f"reward:{year}",
            counties,
            Decimal("2500000"),
            _days(dt.date(year, 3, 1), dt.date(year, 11, 30), rng),
            rng,
            level=FiscalLevel.PREFECTURE,
            source=FundSource.REWARD_SUBSIDY,
            six_bits=SixBits.HIGHER_HELP,
            kind=EntryKind.ALLOCATED,
        )
    # Central and provincial project subsidies: 8.00 + 12.34 million.
    for tag, level, total in (
        ("central", FiscalLevel.CENTRAL, Decimal("8000000")),
        ("provincial", FiscalLevel.PROVINCIAL, Decimal("12340000")),
    ):
        n += _entries(
            tag,
            counties * 2,
            total,
            _days(dt.date(2011, 5, 1), dt.date(2015, 6, 30), rng),
            rng,
            level=level,
            source=FundSource.PROJECT_SUBSIDY,
            six_bits=SixBits.HIGHER_HELP,
            kind=EntryKind.ALLOCATED,
        )
    # Party fees for urban centres (not part of the seed's counted figures).
    n += _entries(
        "party",
        urban_town[:16],
        Decimal("480000"),
        _days(dt.date(2013, 7, 1), dt.date(2015, 6, 30), rng),
        rng,
        level=FiscalLevel.PREFECTURE,
        source=FundSource.PARTY_FEE,
        six_bits=SixBits.PARTY_FEE,
        kind=EntryKind.ALLOCATED,
    )
    # Rural funds disbursed, less what the 一事一议 projects already carry.
    projects_raised = sum((p[3] for p in CASE_PROJECTS), Decimal(0))
    projects_subsidy = sum((p[4] for p in CASE_PROJECTS), Decimal(0))
    rural = _round_robin(_communities(CommunityType.RURAL))[:120]
    spans = _days(dt.date(2012, 1, 5), dt.date(2015, 6, 30), rng)
    for tag, level, source, bits, total, count in (
        (
            "rural:fiscal",
            FiscalLevel.COUNTY,
            FundSource.RURAL_FISCAL,
            SixBits.FISCAL,
            Decimal("23000000") - projects_subsidy,
            120,
        ),
        (
            "rural:department",
            FiscalLevel.COUNTY,
            FundSource.DEPARTMENT_AID,
            SixBits.DEPARTMENT,
            Decimal("1190000"),
            30,
        ),
        (
            "rural:donation",
            FiscalLevel.COMMUNITY,
            FundSource.SOCIAL_DONATION,
            SixBits.DONATION,
            Decimal("1500000"),
            40,
        ),
        (
            "rural:raised",
            FiscalLevel.COMMUNITY,
            FundSource.CASE_SELF_RAISED,
            SixBits.SELF_RAISED,
            Decimal("2360000") - projects_raised,
            50,
        ),
    ):
        n += _entries(
            tag,
            rural[:count],
            total,
            spans,
            rng,
            level=level,
            source=source,
            six_bits=bits,
            kind=EntryKind.DISBURSED,
        )
    # A mistake and its correction: a county entry keyed in ten times too large.
    actor = _officer()
    wrong = actions.do_record_entry(
        actor,
        unit=counties[0],
        entry_date=dt.date(2014, 3, 3),
        level=FiscalLevel.COUNTY,
        source=FundSource.COUNTY_FUND,
        six_bits=SixBits.FISCAL,
        kind=EntryKind.ALLOCATED,
        amount=Decimal("1000000"),
        document_ref="恩市财〔2014〕12号",
        note="误录(多一个零)",
        client_token=f"{TAG}:mistake",
    )
    if not hasattr(wrong, "reversed_by"):
        actions.do_reverse_entry(
            actor, wrong, reason="金额多录一个零,全额冲销", entry_date=dt.date(2014, 3, 10)
        )
    return n + 2


def ensure_groups_and_documents() -> int:
    if LeadingGroup.objects.exists():
        return 0
    prefecture = OrgUnit.objects.get(kind=UnitKind.PREFECTURE)
    doc = actions.do_file_document(
        None,
        prefecture,
        title="关于进一步加强城乡社区建设的意见(演示)",
        number="恩施州发〔2011〕8号",
        issuer="中共恩施州委 恩施州人民政府",
        issued_on=dt.date(2011, 4, 12),
        items=FacilityItem.objects.all(),
        client_token=f"{TAG}:doc:opinion",
    )
    actions.do_file_document(
        None,
        prefecture,
        title="恩施州村级公益事业建设一事一议财政奖补办法(演示)",
        number="恩施州财〔2012〕21号",
        issuer="恩施州财政局",
        issued_on=dt.date(2012, 3, 2),
        projects=Project.objects.filter(client_token__startswith=TAG),
        client_token=f"{TAG}:doc:case",
    )
    group = actions.do_create_group(
        None,
        prefecture,
        kind=GroupKind.LEADING_GROUP,
        name="恩施州城乡社区建设工作领导小组",
        established_on=dt.date(2011, 5, 1),
        document=doc,
    )
    since = dt.date(2011, 5, 1)
    actions.do_add_member(
        None,
        group,
        role=MemberRole.LEADER,
        walk=Walk.OFFICIAL,
        name="州委常委、组织部长",
        since=since,
    )
    actions.do_add_member(
        None, group, role=MemberRole.DEPUTY, walk=Walk.OFFICIAL, name="分管副州长", since=since
    )
    for unit_name, duties in (
        ("州民政局", "承担领导小组办公室日常工作;制定社区建设规划和规范化建设标准,组织考核"),
        ("州委组织部", "社区党组织建设,公务员任社区党组织书记的选派"),
        ("州财政局", "安排以奖代补资金,监督资金使用"),
        ("州发改委", "社区服务中心建设项目立项,争取中央和省项目补助"),
        ("州住建委", "社区服务用房规划、建设和验收"),
        ("州人社局", "社区就业和社会保障服务窗口"),
    ):
        actions.do_add_member(
            None,
            group,
            role=MemberRole.MEMBER_UNIT,
            walk=Walk.DEPARTMENT,
            name=unit_name,
            duties=duties,
            since=since,
        )
    n = 1
    for county in OrgUnit.objects.filter(kind=UnitKind.COUNTY).order_by("path"):
        g = actions.do_create_group(
            None,
            county,
            kind=GroupKind.LEADING_GROUP,
            name=f"{county.name}社区建设工作领导小组",
            established_on=dt.date(2011, 6, 1),
        )
        actions.do_add_member(
            None,
            g,
            role=MemberRole.LEADER,
            walk=Walk.OFFICIAL,
            name=f"{county.name}委书记",
            since=dt.date(2011, 6, 1),
        )
        actions.do_add_member(
            None,
            g,
            role=MemberRole.MEMBER_UNIT,
            walk=Walk.DEPARTMENT,
            name=f"{county.name}民政局",
            duties="领导小组办公室;社区建设日常工作",
            since=dt.date(2011, 6, 1),
        )
        actions.do_add_member(
            None,
            g,
            role=MemberRole.MEMBER_UNIT,
            walk=Walk.DEPARTMENT,
            name="各乡镇(街道)",
            duties="社区建设责任主体,量化考核所辖社区",
            since=dt.date(2011, 6, 1),
        )
        team = actions.do_create_group(
            None,
            county,
            kind=GroupKind.WORKING_TEAM,
            name=f"{county.name}社区建设工作专班",
            established_on=dt.date(2011, 6, 15),
        )
        actions.do_add_member(
            None,
            team,
            role=MemberRole.LEADER,
            walk=Walk.OFFICIAL,
            name=f"{county.name}民政局局长",
            since=dt.date(2011, 6, 15),
        )
        n += 2
    community = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    committee = actions.do_create_group(
        None,
        community,
        kind=GroupKind.COMMITTEE,
        name=f"{community.name}社区建设工作委员会",
        established_on=dt.date(2012, 3, 1),
    )
    posts = Post.objects.active().filter(unit=community).select_related("user", "unit")
    for post in posts.filter(role__in=[Role.PARTY_SECRETARY, Role.DIRECTOR]).order_by("role"):
        role = MemberRole.CHAIR if post.role == Role.PARTY_SECRETARY else MemberRole.VICE_CHAIR
        walk = Walk.SECRETARY if post.role == Role.PARTY_SECRETARY else Walk.DIRECTOR
        actions.do_add_member(
            None, committee, role=role, walk=walk, post=post, since=dt.date(2012, 3, 1)
        )
    for walk, name in (
        (Walk.NPC, "州人大代表 王德华"),
        (Walk.CPPCC, "市政协委员 陈玉兰"),
        (Walk.RESIDENT_REP, "居民代表 向大军"),
        (Walk.RETIRED_CADRE, "离退休干部 田光荣"),
        (Walk.SECURITY_HOUSEHOLD, "治安中心户长 覃明"),
        (Walk.BUSINESS_LEADER, "企业负责人 邓小平安"),
        (Walk.VOLUNTEER_HEAD, "志愿者协会会长 刘春花"),
        (Walk.UNIT_REP, "驻区单位代表 州人民医院"),
    ):
        actions.do_add_member(
            None, committee, role=MemberRole.MEMBER, walk=walk, name=name, since=dt.date(2012, 3, 1)
        )
    return n + 1


def ensure_pledges() -> int:
    if Pledge.objects.exists():
        return 0
    prefecture = OrgUnit.objects.get(kind=UnitKind.PREFECTURE)
    doc = PolicyDocument.objects.filter(client_token=f"{TAG}:doc:opinion").first()
    n = 0
    for year, target in ((2013, 60), (2014, 100), (2015, 120)):
        pledge = actions.do_make_pledge(
            None,
            prefecture,
            year=year,
            title="推进城镇社区规范化建设(“13个一”、服务中心300平方米以上)",
            measure=PledgeMeasure.STANDARDS_MET,
            target=target,
            document=doc,
            client_token=f"{TAG}:pledge:{year}",
        )
        n += 1
        if year == 2015:
            actions.do_complete_pledge(None, pledge, completed_on=dt.date(2015, 6, 30))
    actions.do_make_pledge(
        None,
        prefecture,
        year=2015,
        title="农村社区设立为民服务大厅",
        measure=PledgeMeasure.HALLS_OPENED,
        target=50,
        client_token=f"{TAG}:pledge:halls",
    )
    actions.do_make_pledge(
        None,
        prefecture,
        year=2015,
        title="拨付农村社区建设资金",
        measure=PledgeMeasure.FUNDS_DISBURSED,
        target=1000,
        client_token=f"{TAG}:pledge:funds",
    )
    return n + 2


@transaction.atomic
def ensure_demo_resolution_links() -> int:
    """After the governance demo: a 一事一议 project of 2026 in each village whose villagers'
    meeting passed a public-welfare resolution, applied for on that resolution (read through
    ``governance.figures``) and reviewed by the township; it waits for the county."""
    n = 0
    for unit in _communities(CommunityType.RURAL)[:2]:
        refs = resolutions_for(unit)
        if not refs:
            continue
        ref = refs[0]
        project = actions.do_create_project(
            None,
            unit=unit,
            name=f"{unit.name}组级公路硬化(2026)",
            kind=ProjectKind.ROAD,
            procedure=Procedure.CASE_BY_CASE,
            budget=Decimal("300000"),
            plan={
                FundSource.CASE_SELF_RAISED: Decimal("150000"),
                FundSource.RURAL_FISCAL: Decimal("150000"),
            },
            client_token=f"{TAG}:project:resolution:{unit.pk}",
        )
        if project.status == ProjectStatus.DRAFT:
            actions.do_apply_project(None, project, resolution_id=ref.id)
            actions.do_review_project(None, project, note="筹资筹劳方案经村民会议通过,同意上报")
            n += 1
    return n


@transaction.atomic
def ensure_demo_building() -> int:
    """Everything above; returns how many rows of note were created."""
    return (
        ensure_standings()
        + ensure_checks()
        + ensure_projects()
        + ensure_ledger()
        + ensure_groups_and_documents()
        + ensure_pledges()
    )
