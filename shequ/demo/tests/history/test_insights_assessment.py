"""A scheme computed for the townships of 恩施市 for 2025 of demo data: every computed
indicator of a score sheet checked against an independent query on the domain rows;
an upheld objection changes the score; a frozen score survives new data; rebuilding the
rollups from scratch gives what the incremental path wrote; the dashboard and the score
sheet pages and exports.

Two things keep the module's load small without changing what it checks. The registry
is the demo's in miniature and only in 恩施市, the county assessed (12 residents a
community, 400 in 官坡社区, as test_demo_population loads it): no indicator counts
residents, and the governance demo's meetings in 恩施市 (官坡社区's and the villages',
which register their own villagers) are the same with it; the full 21,000 took a third
of the load. And the
rollups start at the first year that holds records (the case history's and the
mediation's two years back): the years before it hold nothing to roll up but each
community's standards count, which the rebuild and the incremental path compute with the
same function, so comparing them there compared nothing the later years do not."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min, Q
from django.test import Client
from django.utils import timezone

from shequ.demo.governance import ensure_demo_governance
from shequ.demo.mediation import ensure_demo_mediation
from shequ.demo.residents import ensure_demo_residents
from shequ.governance.models import Meeting, MeetingStatus
from shequ.insights import actions, rollups
from shequ.insights.models import FigureRollup, ScoreSheet, SheetStatus
from shequ.insights.schemes import TOWNSHIP_SCHEME, township_indicators
from shequ.mediation.models import Dispute, Outcome
from shequ.orgs.models import Event, OrgUnit, User
from shequ.services.models import Case

pytestmark = pytest.mark.django_db
YEAR = 2025
ENSHI_CITY = "422801000000"


@pytest.fixture(scope="module")
def demo(case_history: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Any]:
    from django.conf import settings

    media, first_year = settings.MEDIA_ROOT, settings.SHEQU_INSIGHTS_FIRST_YEAR
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), transaction.atomic():
        # the case history is the package's (conftest.py), in the outer transaction
        ensure_demo_residents(
            per_community=12,
            demo_community=400,
            communities=OrgUnit.objects.filter(
                path__startswith=OrgUnit.objects.get(code=ENSHI_CITY).path
            ),
        )
        ensure_demo_mediation()
        # every record of past work writes its audit event at its own time
        earliest = Event.objects.aggregate(first=Min("created_at"))["first"]
        settings.SHEQU_INSIGHTS_FIRST_YEAR = timezone.localtime(earliest).year
        # the incremental path: the worker's two cursors (the first run computes all),
        # then governance's work arrives as audit events
        from shequ.insights.rates import refresh_rate_rollups

        while refresh_rate_rollups(limit=50_000):
            pass
        while rollups.refresh_domain_rollups(limit=50_000):
            pass
        before = FigureRollup.objects.filter(key="meetings_held").count()
        ensure_demo_governance()
        while refresh_rate_rollups(limit=50_000):
            pass
        while rollups.refresh_domain_rollups(limit=50_000):
            pass
        assert FigureRollup.objects.filter(key="meetings_held").count() > before
        incremental = set(FigureRollup.objects.values_list("unit_id", "month", "key", "value"))
        rollups.rebuild()
        rebuilt = set(FigureRollup.objects.values_list("unit_id", "month", "key", "value"))
        county = OrgUnit.objects.get(code=ENSHI_CITY)
        officer = User.objects.get(username="county")
        scheme = actions.do_create_scheme(
            officer, county, year=YEAR, indicators=township_indicators(), **TOWNSHIP_SCHEME
        )
        sheets = [
            actions.do_compute_sheet(officer, scheme, t)
            for t in county.children().filter(kind="township").order_by("path")
        ]
        yield {
            "county": county,
            "officer": officer,
            "scheme": scheme,
            "sheets": sheets,
            "incremental": incremental,
            "rebuilt": rebuilt,
        }
        transaction.set_rollback(True)
    settings.MEDIA_ROOT, settings.SHEQU_INSIGHTS_FIRST_YEAR = media, first_year


def _bounds() -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(YEAR, 1, 1, tzinfo=tz),
        dt.datetime(YEAR + 1, 1, 1, tzinfo=tz),
    )


def _pct(a: int, b: int) -> Decimal | None:
    if not b:
        return None
    return (Decimal(a * 100) / Decimal(b)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_rebuild_equals_incremental(demo: dict[str, Any]) -> None:
    assert demo["incremental"] == demo["rebuilt"]
    assert len(demo["rebuilt"]) > 100


def test_every_computed_indicator_matches_an_independent_query(demo: dict[str, Any]) -> None:
    start, end = _bounds()
    checked = 0
    for sheet in demo["sheets"]:
        unit = sheet.unit
        lines = {line.indicator.code: line for line in sheet.lines.select_related("indicator")}
        cases = Case.objects.filter(
            unit__path__startswith=unit.path, received_at__gte=start, received_at__lt=end
        )
        n = cases.count()
        responded = cases.filter(
            Q(quarter_hour_applies=True, quarter_hour_met=True)
            | Q(
                Q(accepted_at__lte=F("received_at") + dt.timedelta(hours=24))
                | Q(completed_at__lte=F("received_at") + dt.timedelta(hours=24)),
                quarter_hour_applies=False,
            )
        ).count()
        assert lines["A1"].value == _pct(responded, n), unit.name
        qh = cases.filter(quarter_hour_applies=True)
        assert lines["A4"].value == _pct(qh.filter(quarter_hour_met=True).count(), qh.count())
        meetings = Meeting.objects.filter(
            unit__path__startswith=unit.path, status=MeetingStatus.CLOSED, held_on__year=YEAR
        )
        assert lines["B1"].value == _pct(meetings.filter(quorate=True).count(), meetings.count())
        disputes = Dispute.objects.filter(
            unit__path__startswith=unit.path, received_at__gte=start, received_at__lt=end
        )
        agreed = disputes.filter(outcome=Outcome.AGREED).count()
        ended = agreed + disputes.filter(outcome=Outcome.NO_AGREEMENT).count()
        assert lines["C1"].value == _pct(agreed, ended)
        for code in ("A1", "A4", "B1", "C1"):
            assert lines[code].computed and lines[code].source
            checked += lines[code].value is not None
        assert not lines["B3"].computed  # disclosures: entered with evidence
    assert checked >= 4  # the demo gives real values, not only "no data"


def test_objection_upheld_changes_the_score_and_frozen_survives(demo: dict[str, Any]) -> None:
    officer = demo["officer"]
    sheet = ScoreSheet.objects.get(pk=demo["sheets"][0].pk)
    township_user = _township_officer(sheet.unit)
    line = sheet.lines.get(indicator__code="B3")
    actions.do_enter_value(township_user, line, Decimal("80"), "公开栏照片 12 张")
    sheet.refresh_from_db()
    before = sheet.total
    actions.do_review_sheet(officer, sheet, "数据核对无误")
    c1 = sheet.lines.get(indicator__code="C1")
    c1_points = c1.points
    assert c1_points < 10  # the objection can change something
    objection = actions.do_raise_objection(
        township_user, c1, "两件调解成功未录入", Decimal("100"), client_token="tok-1"
    )
    assert (
        actions.do_raise_objection(township_user, c1, "x", None, client_token="tok-1") == objection
    )
    actions.do_decide_objection(officer, objection, upheld=True, note="核实属实")
    sheet.refresh_from_db()
    assert sheet.total == before + (Decimal(10) - c1_points)
    assert sheet.status == SheetStatus.DECIDED
    actions.do_compute_sheet(officer, sheet.scheme, sheet.unit)  # the adjusted value stays
    sheet.refresh_from_db()
    assert sheet.lines.get(indicator__code="C1").value == Decimal("100")
    actions.do_approve_sheet(officer, sheet)
    frozen = sheet.total
    # new data: a quorum-failing meeting row and a change of every rollup
    FigureRollup.objects.filter(unit__path__startswith=sheet.unit.path).update(value=0)
    again = actions.do_compute_sheet(officer, sheet.scheme, sheet.unit)
    assert again.total == frozen and again.frozen
    with pytest.raises(ValidationError):
        actions.do_enter_value(township_user, line, Decimal("1"), "x")


def _township_officer(unit: OrgUnit) -> User:
    from conftest import make_staff
    from shequ.orgs.models import Role

    return make_staff(f"t_{unit.code}", (Role.TOWNSHIP_OFFICER, unit))


def test_pages_ranking_sheet_print_and_exports(demo: dict[str, Any]) -> None:
    client = Client()
    client.force_login(demo["officer"])
    scheme = demo["scheme"]
    page = client.get(f"/insights/assessment/{scheme.pk}/")
    assert page.status_code == 200
    ranks = [s.total for s in page.context["sheets"]]
    assert ranks == sorted(ranks, reverse=True)
    sheet = demo["sheets"][0]
    assert client.get(f"/insights/assessment/sheets/{sheet.pk}/").status_code == 200
    printed = client.get(f"/insights/assessment/sheets/{sheet.pk}/print/")
    assert "盖章" in printed.content.decode()
    from openpyxl import load_workbook

    book = load_workbook(
        io.BytesIO(client.get(f"/insights/assessment/sheets/{sheet.pk}/?format=xlsx").content)
    )
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert any(isinstance(v, (int, float)) and not isinstance(v, bool) for v in cells)
    assert client.get(f"/insights/assessment/{scheme.pk}/?format=xlsx").content[:2] == b"PK"
    outsider = Client()
    outsider.force_login(User.objects.get(username="prefecture"))
    assert outsider.get(f"/insights/assessment/sheets/{sheet.pk}/").status_code == 200
    dash = client.get(f"/insights/?year={YEAR}")
    assert dash.status_code == 200
    options = dash.context["dash"]["options"]
    assert sum(v or 0 for s in options["meetings_child"]["series"] for v in s["data"]) > 0
    assert sum(v or 0 for s in options["mediation_child"]["series"] for v in s["data"]) > 0
