"""Quantified assessment on a small tree: a county scheme of its townships, computed from
the rollups, the pages' whole flow (enter with evidence, review, objection, decision,
approval), scope, roles, bad input and freezing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import WUYANGBA, Personas, ReceiveCase, unit
from shequ.insights import actions, assessment, rates
from shequ.insights.models import Indicator, IndicatorKind, ScoreSheet, SheetStatus
from shequ.insights.schemes import TOWNSHIP_SCHEME, township_indicators
from shequ.orgs.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheme(personas: Personas, receive: ReceiveCase) -> Any:
    for _ in range(4):
        receive("MZ-001")
    rates.refresh_rate_rollups()
    county = unit("422801000000")
    return actions.do_create_scheme(
        personas.county, county, year=_year(), indicators=township_indicators(), **TOWNSHIP_SCHEME
    )


def _year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def test_points_rules() -> None:
    i = Indicator(weight=Decimal(10), target=Decimal(90), kind=IndicatorKind.SCORED)
    assert assessment.points_for(i, Decimal(45)) == Decimal("5.00")
    assert assessment.points_for(i, Decimal(99)) == Decimal(10)
    assert assessment.points_for(i, None) == 0
    low = Indicator(weight=Decimal(5), target=Decimal(5), lower_is_better=True)
    assert assessment.points_for(low, Decimal(3)) == 5
    assert assessment.points_for(low, Decimal("7.5")) == Decimal("2.50")
    assert assessment.points_for(low, Decimal(20)) == 0
    bonus = Indicator(weight=Decimal(3), kind=IndicatorKind.BONUS)
    assert assessment.points_for(bonus, Decimal(1)) == 3
    ded = Indicator(weight=Decimal(5), target=Decimal(2), kind=IndicatorKind.DEDUCTION)
    assert assessment.points_for(ded, Decimal(2)) == -4
    assert assessment.points_for(ded, Decimal(9)) == -5
    veto = Indicator(kind=IndicatorKind.VETO)
    assert assessment.vetoes(veto, Decimal(1)) and not assessment.vetoes(veto, Decimal(0))


def test_compute_from_the_rollups_and_the_whole_flow(scheme: Any, personas: Personas) -> None:
    township = unit(WUYANGBA)
    with pytest.raises(PermissionDenied):
        actions.do_compute_sheet(personas.township, scheme, township)  # not the assessor
    with pytest.raises(ValidationError):
        actions.do_compute_sheet(personas.county, scheme, personas.guanpo)  # two levels down
    sheet = actions.do_compute_sheet(personas.county, scheme, township)
    a1 = sheet.lines.get(indicator__code="A1")
    expected = rates.rates_for(township, scheme_first(scheme), scheme_last(scheme)).response_rate
    assert a1.computed and a1.source
    assert a1.value == (None if expected is None else assessment.q2(Decimal(str(expected)) * 100))
    assert Event.objects.filter(verb="insights.sheet_computed").exists()

    client = personas.client(personas.township)
    url = f"/insights/assessment/sheets/{sheet.pk}/"
    assert client.get(url).status_code == 200
    b3 = sheet.lines.get(indicator__code="B3")
    # bad input: no evidence → 400, nothing saved
    bad = client.post(url, {"action": "enter", "line": b3.pk, "value": "90", "evidence": ""})
    assert bad.status_code == 400
    b3.refresh_from_db()
    assert b3.value is None
    ok = client.post(url, {"action": "enter", "line": b3.pk, "value": "90", "evidence": "照片"})
    assert ok.status_code == 302
    b3.refresh_from_db()
    assert b3.points == Decimal("5.40")
    assert client.post(url, {"action": "nonsense"}).status_code == 400

    county = personas.client(personas.county)
    assert county.post(url, {"action": "review", "note": "核对"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.REVIEWED
    total = sheet.total
    form = {"action": "object", "line": b3.pk, "reason": "实际全部按时公开", "claimed_value": "100"}
    assert client.post(url, {**form, "client_token": "t1"}).status_code == 302
    assert client.post(url, {**form, "client_token": "t1"}).status_code == 302  # sent twice
    objection = b3.objections.get()
    assert (
        county.post(
            url, {"action": "decide", "objection": objection.pk, "upheld": "1", "note": "属实"}
        ).status_code
        == 302
    )
    sheet.refresh_from_db()
    assert sheet.total == total + Decimal("0.60") and sheet.status == SheetStatus.DECIDED
    assert county.post(url, {"action": "approve"}).status_code == 302
    sheet.refresh_from_db()
    assert sheet.frozen
    frozen_total = sheet.total
    receive_more = actions.do_compute_sheet(personas.county, scheme, township)
    assert receive_more.total == frozen_total
    with pytest.raises(ValidationError):
        actions.do_approve_sheet(personas.county, sheet)

    # scope: 利川's clerk sees nothing; the print page carries the seal places
    other = personas.client(personas.lichuan_clerk)
    assert other.get(url).status_code == 404
    assert other.get(f"/insights/assessment/{scheme.pk}/").status_code == 404
    printed = county.get(f"/insights/assessment/sheets/{sheet.pk}/print/").content.decode()
    assert "盖章" in printed and "签字" in printed
    ranking = county.get(f"/insights/assessment/{scheme.pk}/")
    assert [s.pk for s in ranking.context["sheets"]] == [sheet.pk]
    assert ScoreSheet.objects.count() == 1


def scheme_first(scheme: Any) -> Any:
    import datetime as dt

    return dt.date(scheme.year, 1, 1)


def scheme_last(scheme: Any) -> Any:
    import datetime as dt

    return dt.date(scheme.year, 12, 1)


def test_new_scheme_from_the_model_on_the_page(personas: Personas) -> None:
    county = personas.client(personas.county)
    response = county.post("/insights/assessment/", {"year": "2025"})
    assert response.status_code == 302
    page = county.get(response["Location"])
    assert page.status_code == 200 and "一票否决" in page.content.decode()
    clerk = personas.client(personas.clerk)
    assert clerk.post("/insights/assessment/", {"year": "2025"}).status_code == 403
    assert county.post("/insights/assessment/", {"year": "abc"}).status_code == 200
