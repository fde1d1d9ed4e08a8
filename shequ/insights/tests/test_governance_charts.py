"""The dashboard's disclosure and deliberation charts read the figure rollup, which the
worker fills from governance's own functions: disclosures due and published on time,
deliberation results due and done on time, per community and month."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from shequ.governance.tests.conftest import Village, populate, rural, village  # noqa: F401
from shequ.governance.tests.disclosure_helpers import (
    finance_due,
    on_calendar,
    publish,
    supervision,
)
from shequ.insights import rollups
from shequ.insights.dashboards import officer_dashboard
from shequ.insights.models import FigureRollup

pytestmark = pytest.mark.django_db


def test_disclosures_on_time_reach_the_rollup_and_the_township_chart(
    village: Village,  # noqa: F811 - the fixture imported above
    personas: object,
) -> None:
    reviewer = supervision(village)
    on_calendar(village)
    publish(finance_due(village, "2025Q1"), reviewer, dt.date(2025, 4, 18))  # on time
    publish(finance_due(village, "2025Q2"), reviewer, dt.date(2025, 7, 25))  # late
    with time_machine.travel(dt.datetime(2025, 12, 31, 4, tzinfo=dt.UTC), tick=False):
        township = village.unit.ancestors().get(kind="township")
        rollups.refresh_domain([township], [2025])
        rows = FigureRollup.objects.filter(unit=village.unit, key__startswith="disclosures_")
        due = sum(r.value for r in rows if r.key == "disclosures_due")
        on_time = sum(r.value for r in rows if r.key == "disclosures_on_time")
        # finance Q1 on time (due in April), Q2 late (due in July), the rest never published
        april = {r.key: r.value for r in rows if r.month == dt.date(2025, 4, 1)}
        july = {r.key: r.value for r in rows if r.month == dt.date(2025, 7, 1)}
        assert april["disclosures_on_time"] == 1 and april["disclosures_due"] >= 1
        assert "disclosures_on_time" not in july and july["disclosures_due"] >= 1
        assert due >= 3 and on_time >= 1 and on_time < due
        dash = officer_dashboard(village.staff, township, 2025)
    chart = dash["options"]["disclosure_child"]
    i = chart["categories"].index(village.unit.name)
    by_name = {s["name"]: s["data"][i] for s in chart["series"]}
    assert by_name == {"应公开": due, "按时公布": on_time}
    assert chart["links"][i] == f"/governance/disclosure/units/{village.unit.pk}/"
    assert "results_child" in dash["options"]
