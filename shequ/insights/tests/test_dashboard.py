"""The officers' dashboard: read from the rollups, drills down prefecture → county →
township → community, every bar links somewhere in scope, a table view per chart, the
.xlsx export; and the workbench hook ``officer_dashboard``."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.utils import timezone

from conftest import Personas, ReceiveCase
from shequ.insights import rates, rollups
from shequ.insights.dashboards import officer_dashboard
from shequ.insights.models import FigureRollup
from shequ.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(receive: ReceiveCase, personas: Personas) -> list[Any]:
    made = [receive("MZ-001") for _ in range(3)]
    made.append(receive("MZ-001", channel="hotline"))
    rates.refresh_rate_rollups()
    return made


def test_the_case_rollup_counts_channels_and_the_dashboard_reads_it(
    cases: list[Any], personas: Personas
) -> None:
    year = timezone.localdate().year
    month = rates.local_month(cases[0].received_at)
    rows = dict(
        FigureRollup.objects.filter(unit=personas.guanpo, month=month).values_list("key", "value")
    )
    assert rows["cases:window"] == 3 and rows["cases:hotline"] == 1
    assert rows["qh_applies"] >= 0
    dash = officer_dashboard(personas.county)
    assert dash["unit"].code == "422801000000" and dash["year"] == year
    month_chart = dash["options"]["cases_month"]
    i = month.month - 1
    by_name = {s["name"]: s["data"][i] for s in month_chart["series"]}
    assert by_name == {"服务热线": 1, "窗口": 3}
    # the county's children are its townships; a bar opens the township's dashboard
    child = dash["options"]["rates_child"]
    assert "舞阳坝街道" in child["categories"]
    link = child["links"][child["categories"].index("舞阳坝街道")]
    client = personas.client(personas.county)
    page = client.get(link)
    assert page.status_code == 200
    township = page.context["dash"]
    assert township["unit"].name == "舞阳坝街道"
    # a township's bars open the cases behind the figure of each community
    t_child = township["options"]["rates_child"]
    records = t_child["links"][t_child["categories"].index("官坡社区")]
    assert records.startswith("/insights/records/")
    listed = client.get(records)
    assert listed.status_code == 200
    assert {c.pk for c in listed.context["rows"]} == {c.pk for c in cases}
    # by month and channel
    hot = client.get(
        f"/insights/records/?unit={personas.guanpo.pk}&month={month:%Y-%m}&channel=hotline"
    )
    assert [c.pk for c in hot.context["rows"]] == [cases[3].pk]
    html = page.content.decode()
    assert 'id="insights-options"' in html and "echarts.common.min.js" in html
    assert 'id="table-rates_child"' in html and "data-chart-png" in html
    json.loads(
        html.split('id="insights-options" type="application/json">')[1].split("</script>")[0]
    )


def test_scope_export_and_non_officers(cases: list[Any], personas: Personas) -> None:
    lichuan = personas.lichuan_clerk
    client = personas.client(personas.township)
    assert (
        client.get(f"/insights/?unit={OrgUnit.objects.get(code='422801000000').pk}").status_code
        == 404
    )
    response = client.get("/insights/?format=xlsx")
    assert response.status_code == 200
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content))
    assert "按月、按渠道的办件" in book.sheetnames
    sheet = book["按月、按渠道的办件"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert 3 in values  # numbers stay numbers
    other = personas.client(lichuan)
    assert other.get(f"/insights/records/?unit={personas.guanpo.pk}").status_code == 404
    assert officer_dashboard(personas.outsider) == {}
    assert officer_dashboard(personas.clerk)["unit"] == personas.guanpo
    assert client.get("/insights/?year=abc").status_code == 200
    assert client.get("/insights/records/?unit=x").status_code == 404


def test_rebuild_equals_incremental(cases: list[Any], personas: Personas) -> None:
    def snapshot() -> set[tuple[Any, ...]]:
        return set(FigureRollup.objects.values_list("unit_id", "month", "key", "value"))

    rollups.rebuild()
    receive: Any = None
    del receive
    from shequ.services.actions import do_receive_case
    from shequ.services.models import ServiceItem

    do_receive_case(
        personas.clerk,
        unit=personas.guanpo,
        item=ServiceItem.objects.get(code="MZ-001"),
        channel="online",
        applicant_kind="resident",
        resident=cases[0].resident,
    )
    rates.refresh_rate_rollups()
    rollups.refresh_domain_rollups()
    incremental = snapshot()
    assert any(key == "cases:online" for _u, _m, key, _v in incremental)
    rollups.rebuild()
    assert snapshot() == incremental


def test_the_dashboard_in_english(cases: list[Any], personas: Personas) -> None:
    client = personas.client(personas.county)
    client.cookies["django_language"] = "en"
    page = client.get("/insights/").content.decode()
    assert "Cases by month and channel" in page and "Download PNG" in page
    assert "按月、按渠道的办件" not in page
    assessment = client.get("/insights/assessment/").content.decode()
    assert "Quantified assessment" in assessment


def test_a_reminder_event_recomputes_nothing(
    personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shequ.governance.verbs import GovernanceVerb
    from shequ.orgs.events import record_event

    g = personas.guanpo
    record_event(None, GovernanceVerb.DISCLOSURE_PUBLISHED, g, unit=g)
    rollups.rebuild()  # the cursor past that event
    recomputed: list[Any] = []
    monkeypatch.setattr(rollups, "refresh_domain", lambda units, *a: recomputed.append(units))
    record_event(None, GovernanceVerb.DISCLOSURE_REMINDED, g, unit=g)
    assert rollups.refresh_domain_rollups() == 1 and recomputed == []
    record_event(None, GovernanceVerb.DISCLOSURE_PUBLISHED, g, unit=g)
    assert rollups.refresh_domain_rollups() == 1 and len(recomputed) == 1
