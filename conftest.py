"""Shared fixtures, once for the whole suite: the real Enshi tree loaded once per test
database, a persona for every role, 官坡社区, the service catalogue, residents and cases.

Personas (after healthchecks' base test case): one per role, each holding a post on a
real Enshi unit (官坡社区 and its tree above, unless said otherwise), a clerk of another
county, and an outsider with no post. Each is made the first time a test asks for it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from shequ.lib.idcard import make_id_number
from shequ.orgs.loading import load_divisions
from shequ.orgs.models import Employment, OrgUnit, Post, Role, UnitKind, User
from shequ.people.actions import do_grant_category, do_register_resident
from shequ.people.models import Category, Resident
from shequ.services.actions import do_receive_case
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import Case, ServiceItem

ENSHI_CITY = "422801000000"
WUYANGBA = "422801001000"  # 舞阳坝街道, 恩施市
GUANPO = "422801001001"  # 官坡社区, 舞阳坝街道
WUYANG_STREET = "422801001002"  # 舞阳大街社区, the same subdistrict
LICHUAN = "422802000000"
DUTING = "422802001000"  # 都亭街道, 利川市


BROWSER_TESTS = Path(__file__).resolve().parent / "tests" / "browser"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/browser is a browser test (scripts/test runs them in their
    own lane), whether or not its module says so."""
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing() -> Iterator[None]:
    """Passwords are hashed fast for the whole session, not only inside each test: the
    demo slices that modules and packages share (the accounts, the agency's and
    governance's logins) are made before any test's own settings apply, and PBKDF2's
    1.5 million rounds cost 0.6 s of CPU a password."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    """Tests render pages without collectstatic."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Each test starts in the default language: a request with Accept-Language: en leaves
    # English active in the thread, and a later test's Chinese messages would be English.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
) -> Iterator[None]:
    """Under ``scripts/test`` the test database is a copy of the run's migrated template
    (tests/sites.py), not migrated again in each lane; it is then kept by pytest-django
    (``django_db_keepdb``) and dropped here, after the session."""
    from django.conf import settings

    from tests.sites import drop_postgres, template_test_database

    db = settings.DATABASES["default"]
    copy = template_test_database(db, Path(settings.DATA_DIR))
    _FROM_TEMPLATE.append(copy is not None)
    yield
    if copy is not None and db["ENGINE"] == "django.db.backends.postgresql":
        from django.db import connections

        connections.close_all()
        drop_postgres(db, copy)


_FROM_TEMPLATE: list[bool] = []


@pytest.fixture(scope="session")
def django_db_keepdb(request: pytest.FixtureRequest, django_db_modify_db_settings: None) -> bool:
    """A test database copied from the template is complete: keep it as it is (Django's
    ``keepdb`` then only checks that no migration is missing)."""
    return any(_FROM_TEMPLATE) or bool(request.config.getvalue("reuse_db"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        load_divisions()


@pytest.fixture
def committed_enshi(transactional_db: None) -> None:
    """For a test whose data must be committed (threads racing on their own connections):
    pytest-django runs such tests after all others and empties the database after each,
    so put back what the migrations and the session set up: the tree, the calendar, the
    help categories, the catalogue."""
    import importlib

    from django.apps import apps

    from shequ.orgs.calendar import seed_calendar

    load_divisions()
    seed_calendar()
    importlib.import_module("shequ.people.migrations.0001_initial").seed_categories(apps, None)
    ensure_catalogue()


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def make_staff(username: str, *posts: tuple[str, OrgUnit]) -> User:
    user = User.objects.create_user(
        username=username, password="correct-horse-battery", full_name=username
    )
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


class Personas:
    """One user per role. ``grid`` is 官坡社区's first grid, where the grid worker works
    and residents live."""

    @cached_property
    def guanpo(self) -> OrgUnit:
        return unit(GUANPO)

    @cached_property
    def grid(self) -> OrgUnit:
        found = self.guanpo.children().filter(kind=UnitKind.GRID, name="第1网格").first()
        if found is not None:
            return found
        grid: OrgUnit = OrgUnit.objects.add_child(
            self.guanpo, create_kwargs={"name": "第1网格", "kind": UnitKind.GRID}
        )
        del self.guanpo  # its numchild changed
        return grid

    def _community_staff(self, username: str, role: str) -> User:
        return make_staff(username, (role, self.guanpo))

    @cached_property
    def prefecture(self) -> User:
        return make_staff(
            "p_prefecture", (Role.PREFECTURE_OFFICER, OrgUnit.objects.get(kind="prefecture"))
        )

    @cached_property
    def county(self) -> User:
        return make_staff("p_county", (Role.COUNTY_OFFICER, unit(ENSHI_CITY)))

    @cached_property
    def township(self) -> User:
        return make_staff("p_township", (Role.TOWNSHIP_OFFICER, unit(WUYANGBA)))

    @cached_property
    def secretary(self) -> User:
        return self._community_staff("p_secretary", Role.PARTY_SECRETARY)

    @cached_property
    def director(self) -> User:
        return self._community_staff("p_director", Role.DIRECTOR)

    @cached_property
    def clerk(self) -> User:
        return self._community_staff("p_clerk", Role.CLERK)

    @cached_property
    def agent(self) -> User:
        return self._community_staff("p_agent", Role.AGENT)

    @cached_property
    def grid_worker(self) -> User:
        return make_staff("p_grid_worker", (Role.GRID_WORKER, self.grid))

    @cached_property
    def mediator(self) -> User:
        return self._community_staff("p_mediator", Role.MEDIATOR)

    @cached_property
    def legal_advisor(self) -> User:
        return self._community_staff("p_legal_advisor", Role.LEGAL_ADVISOR)

    @cached_property
    def volunteer(self) -> User:
        return self._community_staff("p_volunteer", Role.VOLUNTEER)

    @cached_property
    def lichuan_clerk(self) -> User:
        community = unit(DUTING).children().filter(kind=UnitKind.COMMUNITY).order_by("path")[0]
        return make_staff("p_lichuan_clerk", (Role.CLERK, community))

    @cached_property
    def outsider(self) -> User:
        return make_staff("p_outsider")

    @cached_property
    def resident(self) -> Resident:
        """A resident of 官坡社区 (residents have no staff login)."""
        return new_resident(
            self.grid, name="向桂英", birth=dt.date(1950, 3, 8), phone="13972700019"
        )

    def client(self, user: User) -> Client:
        c = Client()
        c.force_login(user)
        return c


@pytest.fixture
def personas(db: None) -> Personas:
    p = Personas()
    # The tree's levels and the community's clerk and director exist from the start (they
    # receive supervisors' messages); the other roles are made when a test asks.
    for name in ("grid", "prefecture", "county", "township", "clerk", "director"):
        getattr(p, name)
    for name in ("lichuan_clerk", "outsider"):
        getattr(p, name)
    return p


# --- residents ------------------------------------------------------------------------

_sequence = itertools.count(1)


def new_id_number(
    birth: dt.date = dt.date(1980, 5, 17), *, male: bool = True, region: str = "422801"
) -> str:
    """A valid ID number not used before in this test run."""
    n = next(_sequence)
    return make_id_number(region, birth, (2 * n + (1 if male else 0)) % 1000)


def new_resident(
    where: OrgUnit,
    *,
    name: str = "张三",
    birth: dt.date = dt.date(1980, 5, 17),
    category: str | None = None,
    **fields: Any,
) -> Resident:
    fields.setdefault("id_number", new_id_number(birth))
    fields.setdefault("phone", "13812345678")
    resident = do_register_resident(None, unit=where, name=name, **fields)
    if category:
        do_grant_category(
            None,
            resident,
            category=Category.objects.get(code=category),
            valid_from=dt.date(2020, 1, 1),
            evidence="州民政局认定批复",
            level="2" if category == "disabled" else "",
        )
    return resident


MakeResident = Callable[..., Resident]


@pytest.fixture
def make_resident(personas: Personas) -> MakeResident:
    """``make_resident(unit=None, *, name, birth, category, id_number, phone, ...)``: a
    resident registered on ``unit`` (官坡社区's first grid by default)."""

    def make(unit: OrgUnit | None = None, **fields: Any) -> Resident:
        return new_resident(unit or personas.grid, **fields)

    return make


@pytest.fixture
def resident(personas: Personas) -> Resident:
    return personas.resident


# --- the service catalogue and cases ------------------------------------------------


@pytest.fixture
def catalogue(db: None) -> int:
    return ensure_catalogue()


@pytest.fixture
def guanpo(db: None) -> OrgUnit:
    return unit(GUANPO)


ReceiveCase = Callable[..., Case]


@pytest.fixture
def receive(personas: Personas, catalogue: int, resident: Resident) -> ReceiveCase:
    """Register a case at 官坡社区 by its clerk; ``code`` picks the catalogue item."""

    def make(code: str = "MZ-001", **fields: Any) -> Case:
        fields.setdefault("channel", "window")
        fields.setdefault("applicant_kind", "resident")
        if fields["applicant_kind"] == "resident":
            fields.setdefault("resident", resident)
        actor = fields.pop("actor", personas.clerk)
        return do_receive_case(
            actor, unit=personas.guanpo, item=ServiceItem.objects.get(code=code), **fields
        )

    return make
