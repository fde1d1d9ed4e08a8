"""Fixtures for governance: a rural community (one village) with households and adults,
its committee and director, and an urban community (官坡社区) with the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from conftest import Personas, make_staff, new_id_number, new_resident
from shequ.governance import actions
from shequ.governance.models import CommitteeKind, MemberPost
from shequ.orgs.models import CommunityType, OrgUnit, Role, User
from shequ.people.actions import do_add_household_member, do_create_household
from shequ.people.models import Household, Resident

DAY = dt.date(2025, 6, 10)


@dataclass
class Village:
    unit: OrgUnit
    staff: User
    households: list[Household]
    adults: list[Resident]
    director: Resident
    child: Resident


def populate(
    unit: OrgUnit, households: int, per: int = 2, *, prefix: str = "村"
) -> tuple[list[Household], list[Resident]]:
    """``households`` households of ``per`` adults each, registered on ``unit``."""
    hs: list[Household] = []
    adults: list[Resident] = []
    for h in range(households):
        members = [
            new_resident(
                unit,
                name=f"{prefix}民{h}-{m}",
                birth=dt.date(1970 + m, 1 + h % 12, 5),
                id_number=new_id_number(dt.date(1970 + m, 1 + h % 12, 5), male=m % 2 == 0),
            )
            for m in range(per)
        ]
        household = do_create_household(None, head=members[0], number=f"{prefix}{h:03d}")
        for m in members[1:]:
            do_add_household_member(None, household, resident=m, relation="spouse")
        hs.append(household)
        adults.extend(members)
    return hs, adults


@pytest.fixture
def rural(db: None) -> OrgUnit:
    return OrgUnit.objects.filter(kind="community", community_type=CommunityType.RURAL).order_by(
        "path"
    )[0]


@pytest.fixture
def village(personas: Personas, rural: OrgUnit) -> Village:
    staff = make_staff("v_director", (Role.DIRECTOR, rural))
    hs, adults = populate(rural, 10)  # 10 households, 20 adults
    child = new_resident(rural, name="村童", birth=dt.date(2015, 1, 1))
    do_add_household_member(None, hs[0], resident=child, relation="child")
    director = adults[0]
    actions.do_elect_committee(
        None,
        unit=rural,
        kind=CommitteeKind.VILLAGE,
        elected_on=dt.date(2021, 5, 1),
        members=[
            actions.Candidate(director, MemberPost.DIRECTOR, user=staff),
            actions.Candidate(adults[2], MemberPost.MEMBER),
            actions.Candidate(adults[4], MemberPost.MEMBER),
        ],
    )
    return Village(rural, staff, hs, adults, director, child)
