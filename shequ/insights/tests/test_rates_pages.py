"""The three rates follow the ratings (an upheld appeal drops a rating from them), and
the three-rates page and its export."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas, ReceiveCase
from shequ.insights import rates
from shequ.insights.rates import refresh_rate_rollups
from shequ.orgs.models import OrgUnit
from shequ.services.hall import do_add_hall_window, do_create_service_hall
from shequ.services.models import AppealStatus, Rectification, ServiceHall, ServiceItem
from shequ.services.ratings import do_appeal_rating, do_decide_rating_appeal, do_rate_case


def completed(receive: ReceiveCase, personas: Personas) -> Any:
    from shequ.services.actions import do_complete_case

    return do_complete_case(personas.clerk, receive("LD-001"), result="已办理")


@pytest.fixture
def hall(personas: Personas, catalogue: int, guanpo: OrgUnit) -> ServiceHall:
    hall = do_create_service_hall(personas.director, guanpo)
    window_type = ServiceItem.objects.get(code="LD-001").window_type
    do_add_hall_window(personas.director, hall, number=1, window_type=window_type)
    return hall


def test_an_upheld_appeal_changes_the_satisfaction_rate_and_stays_on_record(
    receive: ReceiveCase, personas: Personas
) -> None:
    good = [completed(receive, personas) for _ in range(3)]
    for case in good:
        do_rate_case(None, case, channel="pad", grade=5)
    bad = do_rate_case(None, completed(receive, personas), channel="pad", grade=1)
    month = rates.local_month(bad.rated_at)
    rates.refresh_rate_rollups()
    community = bad.unit
    assert rates.rates_for(community, month).satisfaction_rate == pytest.approx(0.75)

    appeal = do_appeal_rating(personas.clerk, bad, reason="老人误按了“非常不满意”")
    with pytest.raises(PermissionDenied):
        do_decide_rating_appeal(personas.clerk, appeal, uphold=True)
    do_decide_rating_appeal(personas.director, appeal, uphold=True, note="查看录像属实")
    with pytest.raises(ValidationError):
        do_decide_rating_appeal(personas.township, appeal, uphold=False)
    rates.refresh_rate_rollups()
    assert rates.rates_for(community, month).satisfaction_rate == 1.0
    bad.refresh_from_db()
    assert bad.counted is False and bad.grade == 1  # the rating stays, uncounted
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.UPHELD and appeal.decided_by == personas.director
    assert Rectification.objects.filter(rating=bad).exists()


def test_the_three_rates_page_and_its_export(
    hall: ServiceHall, personas: Personas, receive: ReceiveCase
) -> None:
    from openpyxl import load_workbook

    from shequ.services.actions import do_complete_case

    do_complete_case(personas.clerk, receive("LD-001"), result="已办理")
    refresh_rate_rollups()
    township = personas.client(personas.township)
    response = township.get("/insights/rates/")
    assert response.status_code == 200
    assert "官坡社区" in response.text and "—" in response.text
    export = township.get("/insights/rates/export.xlsx")
    assert export.status_code == 200
    wb = load_workbook(io.BytesIO(export.content))
    ranked = [row for row in wb["排名"].iter_rows(values_only=True)]
    assert ranked[1][0] == "官坡社区" and ranked[1][7] == 1
    assert any(row[7] == "—" for row in ranked[2:])
    outsider = personas.client(personas.lichuan_clerk)
    assert outsider.get(f"/insights/rates/?unit={hall.unit.pk}").status_code == 404
    assert township.get("/insights/rates/?month=2026-99").status_code == 200


def test_the_admin_shows_the_rollup_read_only(personas: Personas) -> None:
    from django.test import Client

    from shequ.orgs.models import User

    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/insights/raterollup/").status_code == 200
    assert client.get("/admin/insights/raterollup/add/").status_code == 403
