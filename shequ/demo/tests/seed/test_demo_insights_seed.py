"""The seed's fifteen figures on one page: each from the owning app's function, and the
page shows what the function says (a test per figure)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Count
from django.test import Client

from shequ.demo.insights import SEED_WINDOWS, ensure_demo_windows
from shequ.insights.seed import seed_page
from shequ.orgs.models import User
from shequ.services.models import ServiceHall

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def page(seed_demo: dict[str, int], django_db_blocker: Any) -> Any:
    """The seed page's figures over the package's demo (conftest.py)."""
    with django_db_blocker.unblock():
        assert seed_demo["windows"] == 0  # the hall demo already opens the ten windows
        assert ensure_demo_windows() == 0
        halls = ServiceHall.objects.annotate(n=Count("windows__window_type", distinct=True))
        assert halls.exists() and all(h.n >= SEED_WINDOWS for h in halls)
        return {f.key: f for f in seed_page()}, {}


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
