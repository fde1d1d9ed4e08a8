"""Shared fixtures: the real Enshi tree loaded once per test database, and personas.

Personas (after healthchecks' base test case): one per level of the tree and an
outsider, each holding a post on a real Enshi unit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from shequ.orgs.loading import load_divisions
from shequ.orgs.models import Employment, OrgUnit, Post, Role, UnitKind, User

ENSHI_CITY = "422801000000"
WUYANGBA = "422801001000"  # 舞阳坝街道, 恩施市
GUANPO = "422801001001"  # 官坡社区, 舞阳坝街道
WUYANG_STREET = "422801001002"  # 舞阳大街社区, the same subdistrict
LICHUAN = "422802000000"
DUTING = "422802001000"  # 都亭街道, 利川市


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    """Tests render pages without collectstatic, and hash passwords fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        load_divisions()


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def make_staff(username: str, *posts: tuple[str, OrgUnit]) -> User:
    user = User.objects.create_user(username=username, password="correct-horse-battery")
    user.full_name = username
    user.save(update_fields=["full_name"])
    for role, where in posts:
        Post.objects.create(
            user=user,
            unit=where,
            role=role,
            employment=Employment.FULL_TIME,
            started_on=dt.date(2020, 1, 1),
        )
    return user


def assert_tree_consistent() -> None:
    """Depth matches the path and numchild the real number of children, everywhere."""
    rows = list(OrgUnit.objects.values_list("path", "depth", "numchild"))
    children = Counter(path[: -OrgUnit.steplen] for path, _, _ in rows)
    for path, depth, numchild in rows:
        assert len(path) == depth * OrgUnit.steplen, path
        assert numchild == children[path], (path, numchild, children[path])
    paths = {path for path, _, _ in rows}
    assert all(depth == 1 or path[: -OrgUnit.steplen] in paths for path, depth, _ in rows)


@dataclass
class Personas:
    prefecture: User
    county: User
    township: User
    clerk: User
    director: User
    lichuan_clerk: User
    outsider: User
    grid: OrgUnit

    def client(self, user: User) -> Client:
        c = Client()
        c.force_login(user)
        return c


@pytest.fixture
def personas(db: None) -> Iterator[Personas]:
    guanpo = unit(GUANPO)
    grid = OrgUnit.objects.add_child(
        guanpo, create_kwargs={"name": "第1网格", "kind": UnitKind.GRID}
    )
    lichuan_community = (
        unit(DUTING).children().filter(kind=UnitKind.COMMUNITY).order_by("path").first()
    )
    assert lichuan_community is not None
    yield Personas(
        prefecture=make_staff(
            "p_prefecture", (Role.PREFECTURE_OFFICER, OrgUnit.objects.get(kind="prefecture"))
        ),
        county=make_staff("p_county", (Role.COUNTY_OFFICER, unit(ENSHI_CITY))),
        township=make_staff("p_township", (Role.TOWNSHIP_OFFICER, unit(WUYANGBA))),
        clerk=make_staff("p_clerk", (Role.CLERK, guanpo)),
        director=make_staff("p_director", (Role.DIRECTOR, guanpo)),
        lichuan_clerk=make_staff("p_lichuan_clerk", (Role.CLERK, lichuan_community)),
        outsider=make_staff("p_outsider"),
        grid=grid,
    )
