"""Demo agency and village points.

官坡社区: a central agency station and a point in a residential area, both staffed by the
demo ``agent``; an elderly resident living alone who authorised the station by the
hotline, with one agency case (two items, one done).

巴东县 (Badong): the seed's "农民办事不出村" platform. 125 fibre-connected village points
(the first 125 rural communities in tree order), the county's default travel cost, a
few matters and commercial services filed on the platform itself by the demo
``village_operator`` and approved by ``badong_township``, and the county ledger's
monthly tallies for 2013-01 … 2015-06 as ``LegacyTally`` rows holding the rest, so that
``figures.village_figures`` gives the seed's 10,013 matters (100 % completed), 63,000
commercial services and 4.70 million yuan saved. Idempotent: fixed client tokens, and
the ledger is imported only when the county has none.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from shequ.agency import actions
from shequ.agency.models import (
    AgencyStation,
    Authorization,
    CountyTravelCost,
    LegacyTally,
    StationKind,
    VillagePoint,
)
from shequ.demo.accounts import DEMO_COMMUNITY, DEMO_SINCE
from shequ.lib.idcard import make_id_number
from shequ.orgs.models import CommunityType, Employment, OrgUnit, Post, Role, UnitKind, User
from shequ.people.actions import do_register_resident
from shequ.people.models import Resident, ResidentStatus
from shequ.services.models import Case, CaseStatus, ServiceItem

BADONG = "422823000000"
SEED_POINTS = 125
SEED_MATTERS = 10_013
SEED_COMMERCIAL = 63_000
SEED_MONEY_FEN = 4_700_000 * 100
LEDGER_MONTHS = [dt.date(2013 + m // 12, m % 12 + 1, 1) for m in range(30)]  # 2013-01..2015-06
DEMO = "demo-agency"  # prefix of the demo rows' client tokens
DEMO_FORM = b"%PDF-1.4\n% demo: signed authorisation form\n%%EOF\n"


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_FORM, content_type="application/pdf")


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


def _guanpo() -> int:
    community = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    agent = User.objects.get(username="agent")
    posts = Post.objects.active().filter(user=agent, role=Role.AGENT, unit=community)
    central, _new = AgencyStation.objects.get_or_create(
        unit=community,
        name="官坡社区全程代理中心站",
        defaults={
            "kind": StationKind.CENTRAL,
            "address": "官坡社区便民服务大厅",
            "hotline": "0718-8221234",
        },
    )
    point, _new = AgencyStation.objects.get_or_create(
        unit=community,
        name="金桂小区全程代理点",
        defaults={
            "kind": StationKind.POINT,
            "address": "金桂大道金桂小区3栋",
            "hotline": "0718-8221234",
        },
    )
    for station in (central, point):
        station.agents.add(*posts)
    if Authorization.objects.filter(client_token=f"{DEMO}-auth-1").exists():
        return 0
    elderly = (
        Resident.objects.filter(
            community=community,
            status=ResidentStatus.LIVING,
            categories__category__code="elderly_alone",
        )
        .exclude(phone_enc="")
        .order_by("pk")
        .first()
    )
    if elderly is None:
        return 0
    auth = actions.do_register_authorization(
        agent,
        station=central,
        resident=elderly,
        agent=agent,
        channel="hotline",
        valid_until=timezone.localdate() + dt.timedelta(days=365),
        form_scan=_pdf("授权委托书.pdf"),
        all_items=True,
        family_name="家属(女儿)",
        family_phone="13997712345",
        client_token=f"{DEMO}-auth-1",
    )
    items = list(ServiceItem.objects.filter(code__in=["SB-005", "MZ-004"]).order_by("code"))
    ac = actions.do_open_agency_case(
        agent, authorization=auth, items=items, summary="上门代办", client_token=f"{DEMO}-case-1"
    )
    actions.do_record_handover(
        agent,
        ac,
        kind="collect_materials",
        from_party=elderly.name,
        to_party=f"{agent.full_name}(代办员)",
        documents=["居民身份证", "户口簿"],
        client_token=f"{DEMO}-handover-1",
    )
    first = Case.objects.get(agency_item__agency_case=ac, item__code="SB-005")
    actions.do_complete_agency_item(agent, ac, first, result="已上门完成养老金领取资格认证")
    return 1


def _badong_points(county: OrgUnit) -> list[VillagePoint]:
    communities = list(
        OrgUnit.objects.filter(
            path__startswith=county.path,
            kind=UnitKind.COMMUNITY,
            community_type=CommunityType.RURAL,
        ).order_by("path")[:SEED_POINTS]
    )
    have = set(VillagePoint.objects.filter(unit__in=communities).values_list("unit_id", flat=True))
    rng = random.Random(823)
    VillagePoint.objects.bulk_create(
        [
            VillagePoint(
                unit=c,
                name=f"{c.name}便民服务点",
                has_fibre=True,
                opening_hours="周一至周六 8:30-17:30",
                opened_on=dt.date(2013, 1, 1),
                # remote villages: a dearer fare than the county default
                fare_yuan=Decimal(rng.choice([40, 50, 60])) if n % 10 == 0 else None,
            )
            for n, c in enumerate(communities)
            if c.pk not in have
        ]
    )
    return list(VillagePoint.objects.filter(unit__in=communities).order_by("unit__path"))


# Villagers of the first Badong point in the registry (the operator finds them by ID
# number): name, birth date, order code (odd for men), phone. The last files nothing in
# the demo, for trying the form.
VILLAGERS = [
    ("谭大山", dt.date(1958, 3, 12), 31, "13971800000"),
    ("向秀兰", dt.date(1986, 7, 2), 42, "13971800001"),
    ("黄老四", dt.date(1949, 11, 23), 17, "13971800002"),
    ("覃老幺", dt.date(1967, 5, 8), 53, "13971809876"),
]
BADONG_REGION = "422823"


def villager_id_number(n: int) -> str:
    _name, birth, seq, _phone = VILLAGERS[n]
    return make_id_number(BADONG_REGION, birth, seq)


def _villagers(operator: User, point: VillagePoint) -> list[Resident]:
    return [
        do_register_resident(
            operator,
            unit=point.unit,
            name=name,
            id_number=villager_id_number(n),
            phone=phone,
            address=f"{point.unit.name}{n + 1}组",
            registration_type="registered",
            client_token=f"demo-villager-{n}",
        )
        for n, (name, _birth, _seq, phone) in enumerate(VILLAGERS)
    ]


def _fill_office(unit: OrgUnit, address: str, phone: str, hours: str) -> None:
    fields = []
    for name, value in (
        ("office_address", address),
        ("office_phone", phone),
        ("office_hours", hours),
    ):
        if value and not getattr(unit, name):
            setattr(unit, name, value)
            fields.append(name)
    if fields:
        unit.save(update_fields=fields)


def _platform_work(points: list[VillagePoint]) -> None:
    """A few matters and commercial services done on the platform itself."""
    point = points[0]
    operator = _account("village_operator", "谭家旺", Role.CLERK, point.unit)
    township = point.unit.ancestors().get(kind=UnitKind.TOWNSHIP)
    officer = _account("badong_township", "邓晓梅", Role.TOWNSHIP_OFFICER, township)
    if point.operator is None:
        point.operator = Post.objects.filter(user=operator, unit=point.unit).first()
        point.save(update_fields=["operator"])
    _fill_office(
        township,
        f"巴东县{township.name}人民政府便民服务中心",
        "0718-4322110",
        "周一至周五 8:30-12:00 14:30-17:30",
    )
    _fill_office(point.unit, point.name, "0718-4330433", point.opening_hours)
    villagers = _villagers(operator, point)
    specs = [("MZ-002", 0), ("JS-005", 1), ("MZ-002", 2)]
    for n, (code, who) in enumerate(specs):
        matter = actions.do_file_remote_matter(
            operator,
            point,
            item=ServiceItem.objects.get(code=code),
            scan=_pdf("申请材料.pdf"),
            resident=villagers[who],
            summary="村级服务点远程申报",
            client_token=f"demo-village-{n}",
        )
        case = Case.objects.get(pk=matter.case_id)
        if case.status == CaseStatus.SENT_UP:
            from shequ.services.actions import do_complete_case

            do_complete_case(officer, case, result="经审核,予以批准")
    for n, (kind, amount) in enumerate(
        [("payment", "120.00"), ("parcel", "0"), ("sale", "860.00"), ("purchase", "45.50")]
    ):
        actions.do_record_commercial_service(
            operator, point, kind=kind, amount_yuan=amount, client_token=f"demo-commerce-{n}"
        )


def _split(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to ``weights`` that add up to exactly ``total``."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _ledger(county: OrgUnit, points: list[VillagePoint]) -> int:
    """Import the county ledger's monthly tallies: the seed's totals less the platform's."""
    if LegacyTally.objects.filter(point__in=points).exists():
        return 0
    from shequ.agency.figures import village_figures

    platform = village_figures(county, LEDGER_MONTHS[0], timezone.localdate())
    matters = SEED_MATTERS - platform.matters_accepted
    commerce = SEED_COMMERCIAL - platform.commercial_services
    money_fen = SEED_MONEY_FEN - int(platform.money_saved_yuan * 100)
    rng = random.Random(10013)
    cells = [(p, m) for p in points for m in LEDGER_MONTHS]
    # busier later, busier in bigger villages
    weights = [(1 + LEDGER_MONTHS.index(m) / 10) * (0.5 + rng.random()) for _p, m in cells]
    m_parts = _split(matters, weights)
    c_parts = _split(commerce, [w * (0.8 + rng.random() / 2) for w in weights])
    trips = [a + b for a, b in zip(m_parts, c_parts, strict=True)]
    money = _split(money_fen, [float(t) for t in trips])
    LegacyTally.objects.bulk_create(
        [
            LegacyTally(
                point=p,
                month=m,
                approvals_accepted=a,
                approvals_completed=a,
                commercial_services=b,
                trips_saved=a + b,
                money_saved_yuan=Decimal(f) / 100,
                source="巴东县农民办事不出村台账",
            )
            for (p, m), a, b, f in zip(cells, m_parts, c_parts, money, strict=True)
        ],
        batch_size=1000,
    )
    return len(cells)


@transaction.atomic
def ensure_demo_agency() -> int:
    """Agency at 官坡社区 and Badong's village points; returns ledger rows imported."""
    _guanpo()
    county = OrgUnit.objects.get(code=BADONG)
    CountyTravelCost.objects.get_or_create(
        unit=county, defaults={"fare_yuan": Decimal("30.00"), "lost_work_yuan": Decimal("50.00")}
    )
    points = _badong_points(county)
    _platform_work(points)
    return _ledger(county, points)
