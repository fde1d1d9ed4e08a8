"""The demo logins: one per role, all on 恩施市 舞阳坝街道 官坡社区, plus ``admin``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from shequ.orgs.models import Employment, OrgUnit, Post, Role, UnitKind, User

DEMO_COUNTY = "422801000000"  # 恩施市
DEMO_TOWNSHIP = "422801001000"  # 舞阳坝街道
DEMO_COMMUNITY = "422801001001"  # 官坡社区
DEMO_SINCE = dt.date(2015, 1, 1)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str | None
    where: str  # "prefecture", "county", "township", "community" or "grid"
    civil_servant: bool = False
    employment: str = Employment.FULL_TIME


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", None, ""),
    DemoAccount("prefecture", "田文华", Role.PREFECTURE_OFFICER, "prefecture", civil_servant=True),
    DemoAccount("county", "向明", Role.COUNTY_OFFICER, "county", civil_servant=True),
    DemoAccount("township", "谭红梅", Role.TOWNSHIP_OFFICER, "township", civil_servant=True),
    DemoAccount("secretary", "黄志强", Role.PARTY_SECRETARY, "community", civil_servant=True),
    DemoAccount("director", "杨秀英", Role.DIRECTOR, "community"),
    DemoAccount("clerk", "刘晓燕", Role.CLERK, "community"),
    DemoAccount("agent", "覃春兰", Role.AGENT, "community"),
    DemoAccount("gridworker", "冉建国", Role.GRID_WORKER, "grid", employment=Employment.PART_TIME),
    DemoAccount("mediator", "邓德明", Role.MEDIATOR, "community", employment=Employment.PART_TIME),
    DemoAccount("lawyer", "李静", Role.LEGAL_ADVISOR, "community", employment=Employment.PART_TIME),
    DemoAccount(
        "volunteer", "张小军", Role.VOLUNTEER, "community", employment=Employment.PART_TIME
    ),
]


def demo_unit(where: str) -> OrgUnit:
    if where == "prefecture":
        return OrgUnit.objects.get(kind=UnitKind.PREFECTURE)
    code = {"county": DEMO_COUNTY, "township": DEMO_TOWNSHIP, "community": DEMO_COMMUNITY}.get(
        where
    )
    if code is not None:
        return OrgUnit.objects.get(code=code)
    community = OrgUnit.objects.get(code=DEMO_COMMUNITY)
    grid = community.children().filter(kind=UnitKind.GRID).order_by("path").first()
    if grid is None:
        raise LookupError("load the demo grids before the demo accounts")
    return grid


@transaction.atomic
def ensure_demo_accounts() -> int:
    """Create missing demo accounts and posts; reset their password. Returns how many were new."""
    created = 0
    password_hash = ""  # hashing is slow on purpose: once, and only when needed
    for spec in DEMO_ACCOUNTS:
        user, new = User.objects.get_or_create(
            username=spec.username, defaults={"full_name": spec.full_name}
        )
        if new:
            created += 1
            password_hash = password_hash or make_password(settings.SHEQU_DEMO_PASSWORD)
            user.is_staff = user.is_superuser = spec.username == "admin"
            user.password = password_hash
            user.save()
        if spec.role is None:
            continue
        unit = demo_unit(spec.where)
        Post.objects.get_or_create(
            user=user,
            unit=unit,
            role=spec.role,
            ended_on=None,
            defaults={
                "employment": spec.employment,
                "civil_servant": spec.civil_servant,
                "started_on": DEMO_SINCE,
            },
        )
    return created
