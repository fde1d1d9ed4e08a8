"""Three rates that do not mislead: a unit with few cases is shown but ranked after the
units with real volume; the current month is marked incomplete; the export writes rates
as numbers in percent format; each rate opens the cases behind it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import override_settings
from django.utils import timezone

from conftest import WUYANG_STREET, WUYANGBA, Personas, ReceiveCase, make_staff, unit
from shequ.insights import rates
from shequ.orgs.models import Role
from shequ.people.models import Resident
from shequ.services.actions import do_accept_case, do_receive_case
from shequ.services.models import ServiceItem


@pytest.fixture
def two_communities(personas: Personas, receive: ReceiveCase, resident: Resident) -> None:
    """官坡社区: 10 cases, half answered within the quarter hour; 舞阳大街社区: 2 cases,
    both answered (100%, on two cases)."""
    for i in range(10):
        case = receive("MZ-001")
        if i % 2:
            do_accept_case(personas.clerk, case)
    street = unit(WUYANG_STREET)
    clerk = make_staff("p_street_clerk", (Role.CLERK, street))
    for _ in range(2):
        case = do_receive_case(
            clerk,
            unit=street,
            item=ServiceItem.objects.get(code="MZ-001"),
            channel="window",
            applicant_kind="caller",
            contact_name="王五",
            contact_phone="13812345678",
        )
        do_accept_case(clerk, case)
    rates.refresh_rate_rollups()


@override_settings(SHEQU_RATES_MIN_CASES=10)
def test_a_unit_with_few_cases_is_ranked_below_the_units_with_volume(
    two_communities: None,
) -> None:
    month = rates.month_start(timezone.localdate())
    ranked = rates.ranking(unit(WUYANGBA), month)
    first, second = ranked[:2]
    assert (first.unit.code, first.cases, first.small, first.rank) == (
        "422801001001",
        10,
        False,
        1,
    )
    assert (second.unit.code, second.cases, second.small, second.rank) == (
        WUYANG_STREET,
        2,
        True,
        2,
    )
    assert second.composite is not None and first.composite is not None
    assert second.composite > first.composite  # better rates, but on two cases
    with override_settings(SHEQU_RATES_MIN_CASES=2):
        assert rates.ranking(unit(WUYANGBA), month)[0].unit.code == WUYANG_STREET


@override_settings(SHEQU_RATES_MIN_CASES=10)
def test_the_page_shows_the_threshold_the_incomplete_month_and_links_to_the_cases(
    two_communities: None, personas: Personas
) -> None:
    client = personas.client(personas.township)
    page = client.get("/insights/rates/")
    text = page.text
    assert "当月办件少于 10 件的单位照常显示" in text
    assert 'id="incomplete"' in text and "本月未结束" in text
    assert 'data-small="1"' in text
    month = f"{timezone.localdate():%Y-%m}"
    guanpo = personas.guanpo
    link = f"/services/cases/?view=all&amp;unit={guanpo.pk}&amp;month={month}&amp;figure=received"
    assert link in text
    behind = client.get(link.replace("&amp;", "&"))
    assert behind.context["page"].paginator.count == 10
    missed = client.get(link.replace("&amp;", "&").replace("received", "not_responded"))
    assert missed.context["page"].paginator.count == 5
    assert "未按时响应" in missed.text
    last_month = rates.month_start(rates.month_start(timezone.localdate()) - dt.timedelta(days=1))
    earlier = client.get(f"/insights/rates/?month={last_month:%Y-%m}").text
    assert 'id="incomplete"' not in earlier


@override_settings(SHEQU_RATES_MIN_CASES=10)
def test_the_export_writes_rates_as_numbers_in_percent_format(
    two_communities: None, personas: Personas
) -> None:
    from openpyxl import load_workbook

    export = personas.client(personas.township).get("/insights/rates/export.xlsx")
    wb = load_workbook(io.BytesIO(export.content))
    rows = list(wb["排名"].iter_rows())
    guanpo = next(row for row in rows if row[0].value == "官坡社区")
    response = guanpo[2]
    assert response.value == pytest.approx(0.5) and isinstance(response.value, float)
    assert response.number_format == "0.0%"
    street = next(row for row in rows if row[0].value == "舞阳大街社区")
    assert street[2].value == 1 and street[2].number_format == "0.0%"
    assert "办件少于10件" in street[8].value
    assert "本月未结束" in wb["三率"]["A1"].value
    monthly = list(wb["逐月"].iter_rows(values_only=True))
    assert monthly[-1][-1] == "本月未结束" and not monthly[-2][-1]
