"""The demo reproduces the seed's community-building figures through the functions the
pages use (``building.figures.seed_figures``), the figures page shows each, and a re-run
adds nothing. The demo is the package's (conftest.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import Personas
from shequ.building import ledger
from shequ.building.figures import SEED_DAY, seed_figures
from shequ.building.models import LedgerEntry
from shequ.demo.building import ensure_demo_building

pytestmark = pytest.mark.django_db
M = Decimal(1_000_000)


def test_the_seed_figures_come_from_the_demo(seed_demo: dict[str, int]) -> None:
    f = seed_figures()
    assert f.day == dt.date(2015, 6, 30)
    assert (f.communities, f.urban, f.town) == (132, 70, 62)
    assert f.county_investment == Decimal("103.55") * M
    assert f.plan_reward_subsidy == Decimal("7.5") * M
    assert f.plan_central_provincial == Decimal("20.34") * M
    assert f.plan_county_funds == Decimal("87.5") * M
    assert f.rural_disbursed == Decimal("28.05") * M
    assert f.rural_fiscal == Decimal("23.00") * M
    assert f.rural_department_aid == Decimal("1.19") * M
    assert f.rural_donations == Decimal("1.50") * M
    assert f.rural_self_raised == Decimal("2.36") * M
    assert f.centres_meeting_area == 123 and f.min_area_m2 == Decimal("300")
    assert f.rural_with_hall == 58
    assert all(isinstance(v, Decimal) for v in (f.county_investment, f.rural_disbursed))


def test_the_tree_of_today_differs_from_2015(seed_demo: dict[str, int]) -> None:
    today = seed_figures(dt.date(2025, 1, 1))
    assert (today.urban, today.town) == (58, 166)
    earlier = seed_figures(dt.date(2014, 12, 31))
    assert earlier.centres_meeting_area == 0  # the checks were made in 2015-05
    assert earlier.county_investment < Decimal("103.55") * M


def test_the_ledger_holds_a_reversal_and_a_rerun_adds_nothing(seed_demo: dict[str, int]) -> None:
    reversal = LedgerEntry.objects.get(reverses__isnull=False)
    assert reversal.amount == -reversal.reverses.amount  # type: ignore[union-attr]
    before = LedgerEntry.objects.count()
    assert ensure_demo_building() == 0
    assert LedgerEntry.objects.count() == before
    assert ledger.total(last=SEED_DAY) > 0


def test_the_figures_page_shows_every_seed_figure(
    seed_demo: dict[str, int], personas: Personas
) -> None:
    page = personas.client(personas.prefecture).get("/building/figures/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "132",
        "70",
        "62",
        "10355.00",
        "750.00",
        "2034.00",
        "8750.00",
        "2805.00",
        "2300.00",
        "119.00",
        "150.00",
        "236.00",
        "123",
        "58",
    ):
        assert f">{text}<" in html, text
