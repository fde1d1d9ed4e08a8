"""The seed's fifteen figures on one page: each from the owning app's function, and the
page shows what the function says (a test per figure)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import Client

from shequ.demo.accounts import ensure_demo_accounts
from shequ.demo.agency import ensure_demo_agency
from shequ.demo.building import ensure_demo_building
from shequ.demo.grids import ensure_demo_grids
from shequ.demo.hall import ensure_demo_hall
from shequ.demo.insights import SEED_WINDOWS, ensure_demo_windows
from shequ.demo.staff import ensure_demo_staff
from shequ.insights.seed import seed_page
from shequ.orgs.models import User
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import ServiceHall

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def page(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Any]:
    from django.conf import settings

    media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        ensure_catalogue()
        ensure_demo_grids()
        ensure_demo_accounts()
        ensure_demo_staff()
        ensure_demo_building()
        ensure_demo_agency()
        ensure_demo_hall()
        ensure_demo_windows()  # the hall demo already opens the ten windows at 官坡社区
        assert ensure_demo_windows() == 0
        halls = ServiceHall.objects.annotate(n=Count("windows__window_type", distinct=True))
        assert halls.exists() and all(h.n >= SEED_WINDOWS for h in halls)
        figures = {f.key: f for f in seed_page()}
        yield figures, {}
        transaction.set_rollback(True)
    settings.MEDIA_ROOT = media


D = Decimal

EXPECTED: list[tuple[str, tuple[Any, ...], str]] = [
    ("communities", (132, 70, 62), "132(70 城市 / 62 集镇)"),
    ("county_investment", (D("103.55"),), "103.55"),
    ("plan_12", (D("7.50"), D("20.34"), D("87.50")), "7.50 / 20.34 / 87.50"),
    (
        "rural_funds",
        (D("28.05"), D("23.00"), D("1.19"), D("1.50"), D("2.36")),
        "28.05 = 23.00 + 1.19 + 1.50 + 2.36",
    ),
    ("centres", (123,), "123(≥ 300"),
    ("rural_halls", (58,), ">58<"),
    ("civil_servants", (72,), ">72<"),
    ("dual_role", (25,), ">25<"),
    ("multi_post", (452,), ">452<"),
    ("part_time", (1166, 465), "1166(465)"),
    ("badong_points", (125,), ">125<"),
    ("badong_matters", (10013, D("100.0")), "10013 / 100.0%"),
    ("badong_commerce", (63000,), ">63000<"),
    ("badong_saved", (D("4.70"),), ">4.70<"),
    ("windows", (10,), ">10<"),
]


@pytest.mark.parametrize(("key", "numbers", "shown"), EXPECTED, ids=[e[0] for e in EXPECTED])
def test_each_seed_figure_on_the_page(
    page: Any, key: str, numbers: tuple[Any, ...], shown: str
) -> None:
    figures, cache = page
    if "html" not in cache:
        client = Client()
        client.force_login(User.objects.get(username="prefecture"))
        response = client.get("/insights/seed/")
        assert response.status_code == 200
        cache["html"] = response.content.decode()
    html = cache["html"]
    assert figures[key].numbers == numbers
    row = html[html.index(f'id="seed-{key}"') :]
    row = row[: row.index("</tr>")]
    assert shown in row
    assert 'href="/' in row  # links to the rows behind it


def test_fifteen_figures_export_and_scope(page: Any) -> None:
    figures, _cache = page
    assert len(figures) == 15
    client = Client()
    client.force_login(User.objects.get(username="prefecture"))
    xlsx = client.get("/insights/seed/?format=xlsx&day=2015-06-30")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    county = Client()
    county.force_login(User.objects.get(username="county"))
    assert county.get("/insights/seed/").status_code == 404
