"""The three rates on a hand-built month: arithmetic, ranking, a unit with no cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import override_settings

from conftest import GUANPO, WUYANG_STREET, WUYANGBA, Personas, ReceiveCase, unit
from shequ.insights import rates
from shequ.orgs.models import OrgUnit
from shequ.services.models import Case, CaseStatus, Rating, ServiceItem

TZ = dt.timezone(dt.timedelta(hours=8))
MARCH = dt.date(2026, 3, 1)


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=TZ)


def make_case(where: OrgUnit, received: dt.datetime, **fields: object) -> Case:
    fields.setdefault("quarter_hour_applies", True)
    return Case.objects.create(
        unit=where,
        handling_unit=where,
        channel="window" if fields["quarter_hour_applies"] else "online",
        item=ServiceItem.objects.get(code="MZ-001"),
        applicant_kind="caller",
        contact_name="测试",
        received_at=received,
        quarter_hour_due_at=received + dt.timedelta(minutes=15),
        **fields,
    )


def rate(case: Case, grade: int, when: dt.datetime) -> None:
    Rating.objects.create(
        case=case,
        unit=case.unit,
        handling_unit=case.handling_unit,
        channel="pad",
        grade=grade,
        rated_at=when,
    )


@pytest.fixture
def march(personas: Personas, catalogue: int) -> None:
    a, b = unit(GUANPO), unit(WUYANG_STREET)
    done = {"status": CaseStatus.COMPLETED}
    c1 = make_case(a, at(2), quarter_hour_met=True, due_at=at(5), completed_at=at(3), **done)
    c2 = make_case(a, at(3), quarter_hour_met=False, due_at=at(5), completed_at=at(9), **done)
    # online: accepted within 2 hours, still open past its due time
    make_case(
        a,
        at(4),
        quarter_hour_applies=False,
        accepted_at=at(4, 11),
        due_at=at(10),
        status=CaseStatus.ACCEPTED,
    )
    # online: accepted after two days, not yet due
    make_case(
        a,
        at(20),
        quarter_hour_applies=False,
        accepted_at=at(22),
        due_at=at(20) + dt.timedelta(days=60),
        status=CaseStatus.ACCEPTED,
    )
    rate(c1, 5, at(6))
    rate(c2, 2, at(10))
    make_case(b, at(5), quarter_hour_met=True, due_at=at(9), completed_at=at(6), **done)
    # another month: must not count
    make_case(a, at(2) + dt.timedelta(days=40), quarter_hour_met=False)
    rates.refresh_month(MARCH, now=at(31))
    rates.refresh_month(dt.date(2026, 4, 1), now=at(31))


@override_settings(SHEQU_RATE_WEIGHTS=(30, 35, 35))
def test_it_computes_the_three_rates_of_a_community(march: None) -> None:
    r = rates.rates_for(unit(GUANPO), MARCH)
    assert (r.cases, r.responded, r.resolvable, r.resolved) == (4, 2, 3, 1)
    assert (r.ratings, r.good_ratings) == (2, 1)
    assert r.response_rate == 0.5
    assert r.resolution_rate == pytest.approx(1 / 3)
    assert r.satisfaction_rate == 0.5
    assert r.composite == pytest.approx((30 * 0.5 + 35 / 3 + 35 * 0.5) / 100)
    township = rates.rates_for(unit(WUYANGBA), MARCH)
    assert (township.cases, township.responded, township.resolved) == (5, 3, 2)


@override_settings(SHEQU_RATE_WEIGHTS=(30, 35, 35))
def test_it_ranks_communities_and_shows_a_dash_for_one_without_cases(
    march: None, django_assert_num_queries: Any
) -> None:
    township = unit(WUYANGBA)
    with django_assert_num_queries(2):  # the children, and their rollup rows
        ranked = rates.ranking(township, MARCH)
    assert [r.unit.code for r in ranked[:2]] == [WUYANG_STREET, GUANPO]
    assert [r.rank for r in ranked[:2]] == [1, 2]
    # 舞阳大街: no ratings, so its composite is the weighted mean of the two rates it has
    assert ranked[0].satisfaction_rate is None and ranked[0].composite == 1.0
    empty = ranked[-1]
    assert empty.cases == 0 and empty.rank is None
    assert empty.response_rate is None and empty.composite is None
    assert rates.percent(empty.response_rate) == "—"
    assert rates.percent(ranked[1].response_rate) == "50.0%"


def test_a_month_without_any_case_has_no_rates(march: None) -> None:
    r = rates.rates_for(unit(GUANPO), dt.date(2025, 1, 1))
    assert r.cases == 0 and r.composite is None


def test_the_worker_keeps_the_rollup_current_from_the_case_timeline(
    personas: Personas, receive: ReceiveCase
) -> None:
    from shequ.services.actions import do_accept_case, escalate_overdue_cases

    case = do_accept_case(personas.clerk, receive("MZ-001"))
    assert rates.refresh_rate_rollups() > 0
    assert rates.refresh_rate_rollups() == 0  # nothing new on the timeline
    month = rates.local_month(case.received_at)
    r = rates.rates_for(unit(GUANPO), month)
    assert (r.cases, r.responded, r.resolvable) == (1, 1, 0)
    # the case falls overdue: the worker's escalation writes the timeline, the rollup
    # follows, and the case now counts as due and not completed in time
    assert case.due_at is not None
    later = case.due_at + dt.timedelta(minutes=1)
    assert escalate_overdue_cases(later) == 1
    with time_machine.travel(later, tick=False):
        assert rates.refresh_rate_rollups() == 1
    r = rates.rates_for(unit(GUANPO), month)
    assert (r.resolvable, r.resolved) == (1, 0) and r.resolution_rate == 0.0
