"""A synthetic population for the Enshi demo: residents, households, helped groups.

Deterministic (seeded per community) and fast: ciphertexts are computed in the process
and rows bulk-inserted. Every urban and town community gets households in its grids;
官坡社区 (where the demo logins sit) gets more. Communities that already have residents
are left alone, so a re-run adds nothing. The load bypasses the actions on purpose
(it is the system seeding data, as ``staff.py`` does) and writes no events.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from faker import Faker

from shequ.demo.accounts import DEMO_COMMUNITY
from shequ.lib.idcard import make_id_number
from shequ.orgs.models import CommunityType, OrgUnit, UnitKind
from shequ.people.cleaning import initials
from shequ.people.crypto import cipher, protect_id_number, protect_phone
from shequ.people.models import (
    Category,
    CategoryMembership,
    DisabilityLevel,
    FloatingInfo,
    Gender,
    Household,
    HouseholdMember,
    RegistrationType,
    Relation,
    Resident,
    ResidentStatus,
)

PER_COMMUNITY = 90  # about 21,000 residents over the 224 urban and town communities
DEMO_COMMUNITY_RESIDENTS = 900
TODAY = dt.date(2026, 1, 1)  # a fixed "today" keeps the generated ages reproducible
ETHNICITY_WEIGHTS = [
    ("土家族", 46),
    ("汉族", 40),
    ("苗族", 8),
    ("侗族", 3),
    ("白族", 2),
    ("蒙古族", 1),
]
ORIGINS = [
    "湖南省张家界市", "重庆市黔江区", "重庆市万州区", "湖北省宜昌市", "湖北省武汉市",
    "湖南省湘西州", "四川省达州市", "贵州省铜仁市", "湖北省荆州市", "河南省信阳市",
]  # fmt: skip
WORKPLACES = ["州城建筑工地", "硒都茶业公司", "城区餐饮店", "物流园", "农贸市场", "家政服务公司"]
STREETS = ["舞阳大街", "施州大道", "航空大道", "金桂大道", "土桥大道", "学院路", "民族路", "解放路"]
MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
                   "151", "152", "155", "157", "158", "159", "177", "180", "186", "187", "189",
                   "199"]  # fmt: skip


@dataclass
class _Person:
    name: str
    gender: str
    birth: dt.date
    relation: str
    status: str = ResidentStatus.LIVING
    status_on: dt.date | None = None
    phone: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (code, level)


class _Generator:
    def __init__(self, community: OrgUnit, taken: set[str], fake: Faker) -> None:
        seed = int(community.code or "0") or community.pk
        self.rng = random.Random(seed)
        self.fake = fake
        self.fake.seed_instance(seed)
        self.region = (community.code or "422801")[:6]
        self.taken = taken

    def birth(self, lo: int, hi: int) -> dt.date:
        age_days = self.rng.randint(lo * 365 + 1, hi * 365 - 1)
        return TODAY - dt.timedelta(days=age_days)

    def id_number(self, birth: dt.date, gender: str) -> str:
        while True:
            order = self.rng.randrange(0, 500) * 2 + (1 if gender == Gender.MALE else 0)
            number = make_id_number(self.region, birth, order)
            if number not in self.taken:
                self.taken.add(number)
                return number

    def person(self, relation: str, gender: str, birth: dt.date, surname: str = "") -> _Person:
        given = (
            self.fake.first_name_male() if gender == Gender.MALE else self.fake.first_name_female()
        )
        name = (surname or self.fake.last_name()) + given
        p = _Person(name=name, gender=gender, birth=birth, relation=relation)
        age = (TODAY - birth).days // 365
        if age >= 16 and self.rng.random() < 0.85:
            p.phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
        return p

    def household(self) -> list[_Person]:
        rng = self.rng
        head_gender = Gender.MALE if rng.random() < 0.8 else Gender.FEMALE
        head_birth = self.birth(24, 85)
        head_age = (TODAY - head_birth).days // 365
        head = self.person(Relation.HEAD, head_gender, head_birth)
        surname = head.name[0]
        people = [head]
        alone = rng.random() < (0.35 if head_age >= 70 else 0.12)
        if not alone:
            other = Gender.FEMALE if head_gender == Gender.MALE else Gender.MALE
            spouse_birth = min(
                head_birth + dt.timedelta(days=rng.randint(-2500, 2500)), self.birth(20, 21)
            )
            people.append(self.person(Relation.SPOUSE, other, spouse_birth))
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
                lo = max(head_age - 42, 0)
                hi = max(head_age - 20, lo + 1)
                child_birth = self.birth(lo, hi)
                gender = rng.choice([Gender.MALE, Gender.FEMALE])
                people.append(self.person(Relation.CHILD, gender, child_birth, surname))
            if head_age < 50 and rng.random() < 0.2:
                parent_birth = head_birth - dt.timedelta(days=rng.randint(20 * 365, 35 * 365))
                people.append(
                    self.person(
                        Relation.PARENT,
                        rng.choice([Gender.MALE, Gender.FEMALE]),
                        parent_birth,
                        surname,
                    )
                )
        for p in people:
            age = (TODAY - p.birth).days // 365
            roll = rng.random()
            if roll < 0.02 and age > 60:
                p.status, p.status_on = (
                    ResidentStatus.DECEASED,
                    TODAY - dt.timedelta(days=rng.randint(30, 900)),
                )
            elif roll < 0.04 and 18 <= age <= 60:
                p.status, p.status_on = (
                    ResidentStatus.MOVED_OUT,
                    TODAY - dt.timedelta(days=rng.randint(30, 900)),
                )
            if rng.random() < 0.025:
                p.categories.append(("disabled", rng.choice(DisabilityLevel.values)))
            if rng.random() < 0.035:
                p.categories.append(("minimum_living", ""))
            if 18 <= age <= 60 and rng.random() < 0.04:
                p.categories.append(("unemployed", ""))
            if age >= 60 and rng.random() < 0.04:
                p.categories.append(("extreme_hardship", ""))
        if alone and head_age >= 70:
            head.categories.append(("elderly_alone", ""))
        return people


def _targets() -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(
            kind=UnitKind.COMMUNITY, community_type__in=[CommunityType.URBAN, CommunityType.TOWN]
        ).order_by("path")
    )


@transaction.atomic
def ensure_demo_residents(
    per_community: int = PER_COMMUNITY,
    demo_community: int = DEMO_COMMUNITY_RESIDENTS,
    communities: Iterable[OrgUnit] | None = None,
) -> int:
    """Residents for every urban and town community that has none yet (of ``communities``
    only, when given: a test of one feature needs the people of the few communities it
    works in); returns how many."""
    targets = _targets()
    if communities is not None:
        wanted = {c.pk for c in communities}
        targets = [c for c in targets if c.pk in wanted]
    populated = set(Resident.objects.values_list("community_id", flat=True).distinct())
    todo = [c for c in targets if c.pk not in populated]
    if not todo:
        return 0
    c = cipher()
    categories = {cat.code: cat for cat in Category.objects.all()}
    grids_by_path: dict[str, list[OrgUnit]] = {}
    for grid in OrgUnit.objects.filter(kind=UnitKind.GRID).order_by("path"):
        grids_by_path.setdefault(grid.path[: -OrgUnit.steplen], []).append(grid)
    taken: set[str] = set()  # numbers generated in this run; the DB's are checked below
    existing_index = set(Resident.objects.values_list("id_number_index", flat=True))
    created = 0
    fake = Faker("zh_CN")  # one instance, re-seeded per community: creating one is slow
    for community in todo:
        gen = _Generator(community, taken, fake)
        target = demo_community if community.code == DEMO_COMMUNITY else per_community
        grids = grids_by_path.get(community.path) or [community]
        households: list[tuple[Household, list[_Person], OrgUnit]] = []
        count = 0
        n = 0
        while count < target:
            n += 1
            people = gen.household()
            unit = grids[n % len(grids)]
            address = (
                f"{gen.rng.choice(STREETS)}{gen.rng.randint(1, 400)}号{gen.rng.randint(1, 6)}单元"
            )
            h = Household(unit=unit, community=community, number=f"{n:05d}", address=address)
            households.append((h, people, unit))
            count += len(people)
        Household.objects.bulk_create([h for h, _p, _u in households], batch_size=1000)
        residents: list[Resident] = []
        relations: list[tuple[Household, str]] = []
        extras: list[tuple[_Person, str]] = []  # person, registration type
        for h, people, unit in households:
            reg: str = gen.rng.choices(
                [RegistrationType.REGISTERED, RegistrationType.RESIDENT, RegistrationType.FLOATING],
                weights=[75, 15, 10],
            )[0]
            for p in people:
                number = gen.id_number(p.birth, p.gender)
                pid = protect_id_number(number, c)
                if pid.index in existing_index:
                    continue
                phone = protect_phone(p.phone, c)
                ethnicity = gen.rng.choices(
                    [e for e, _w in ETHNICITY_WEIGHTS], weights=[w for _e, w in ETHNICITY_WEIGHTS]
                )[0]
                residents.append(
                    Resident(
                        unit=unit,
                        community=community,
                        name=p.name,
                        name_initials=initials(p.name),
                        gender=p.gender,
                        birth_date=p.birth,
                        ethnicity=ethnicity,
                        id_number_enc=pid.enc,
                        id_number_index=pid.index,
                        id_number_masked=pid.masked,
                        phone_enc=phone.enc,
                        phone_index=phone.index,
                        phone_masked=phone.masked,
                        key_id=c.current_key_id,
                        address=h.address,
                        registration_type=reg,
                        registered_on=dt.date(2015, 1, 1)
                        + dt.timedelta(days=gen.rng.randint(0, 3600)),
                        status=p.status,
                        status_on=p.status_on,
                        created_at=timezone.now(),
                    )
                )
                relations.append((h, p.relation))
                extras.append((p, reg))
        Resident.objects.bulk_create(residents, batch_size=1000)
        HouseholdMember.objects.bulk_create(
            [
                HouseholdMember(household=h, resident=r, relation=rel)
                for r, (h, rel) in zip(residents, relations, strict=True)
            ],
            batch_size=1000,
        )
        memberships: list[CategoryMembership] = []
        floating: list[FloatingInfo] = []
        for r, (p, kind) in zip(residents, extras, strict=True):
            for code, level in p.categories:
                memberships.append(
                    CategoryMembership(
                        resident=r,
                        category=categories[code],
                        level=level,
                        valid_from=dt.date(2020, 1, 1)
                        + dt.timedelta(days=gen.rng.randint(0, 1800)),
                        evidence="州民政局认定批复" if code != "disabled" else "残疾人证",
                    )
                )
            if kind == RegistrationType.FLOATING:
                has_permit = gen.rng.random() < 0.6
                age = (TODAY - p.birth).days // 365
                floating.append(
                    FloatingInfo(
                        resident=r,
                        origin=gen.rng.choice(ORIGINS),
                        arrived_on=TODAY - dt.timedelta(days=gen.rng.randint(30, 3000)),
                        has_permit=has_permit,
                        permit_expires_on=(TODAY + dt.timedelta(days=gen.rng.randint(30, 1000)))
                        if has_permit
                        else None,
                        workplace=gen.rng.choice(WORKPLACES) if 18 <= age <= 60 else "",
                        school_age_children=gen.rng.choice([0, 0, 1, 2])
                        if p.relation == Relation.HEAD
                        else 0,
                    )
                )
        CategoryMembership.objects.bulk_create(memberships, batch_size=1000)
        FloatingInfo.objects.bulk_create(floating, batch_size=1000)
        created += len(residents)
    return created
