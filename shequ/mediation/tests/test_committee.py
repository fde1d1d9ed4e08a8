"""Committees (第八条: 3–9 members, a woman, a minority member), advisors' plans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas
from shequ.mediation import actions
from shequ.mediation.models import Committee, CommitteeMember
from shequ.orgs.models import Event

pytestmark = pytest.mark.django_db


def test_a_full_committee_has_no_warnings(committee: Committee) -> None:
    assert actions.committee_warnings(committee) == []
    chair = committee.members.get(role="chair")
    assert chair.resolution_ref == "官坡居民会议〔2024〕2号"
    assert chair.term_ends_on == dt.date(2027, 3, 1)


def test_it_warns_of_what_article_8_asks(personas: Personas) -> None:
    c = actions.do_create_committee(personas.director, unit=personas.guanpo)
    warnings = " ".join(actions.committee_warnings(c))
    assert "3 至 9" in warnings and "妇女" in warnings and "少数民族" in warnings
    for n in range(10):
        actions.do_add_member(
            personas.director,
            c,
            name=f"委员{n}",
            gender="female",
            ethnicity="土家族",
            chosen_on=dt.date(2025, 1, 1),
        )
    warnings = " ".join(actions.committee_warnings(c))
    assert "委员 10 人" in warnings and "妇女" not in warnings
    actions.do_end_member(personas.director, c.members.first(), ended_on=dt.date(2025, 6, 1))  # type: ignore[arg-type]
    assert actions.committee_warnings(c) == ["尚未推选调解委员会主任。"]
    assert Event.objects.filter(verb="mediation.member_added").count() == 10


def test_a_committee_without_a_minority_member_outside_multi_ethnic_areas(
    personas: Personas,
) -> None:
    c = actions.do_create_committee(None, unit=personas.guanpo, multi_ethnic=False)
    for n in range(3):
        actions.do_add_member(
            None,
            c,
            name=f"委员{n}",
            gender="female",
            chosen_on=dt.date(2025, 1, 1),
            role="chair" if n == 0 else "member",
        )
    assert actions.committee_warnings(c) == []


def test_only_leads_and_officers_set_up_committees(
    personas: Personas, committee: Committee
) -> None:
    with pytest.raises(PermissionDenied):
        actions.do_create_committee(personas.clerk, unit=personas.guanpo, name="另一个")
    with pytest.raises(PermissionDenied):
        actions.do_add_member(
            personas.mediator, committee, name="某", gender="male", chosen_on=dt.date(2025, 1, 1)
        )
    with pytest.raises(ValidationError):
        actions.do_create_committee(personas.director, unit=personas.grid)
    with pytest.raises(ValidationError):  # one chair at a time
        actions.do_add_member(
            personas.director,
            committee,
            name="某",
            gender="male",
            role="chair",
            chosen_on=dt.date(2025, 1, 1),
        )
    assert CommitteeMember.objects.filter(committee=committee).count() == 3


def test_the_advisors_plan(personas: Personas) -> None:
    a = actions.do_assign_advisor(
        personas.township,
        unit=personas.guanpo,
        name="陈律师",
        firm="湖北施南律师事务所",
        started_on=dt.date(2025, 1, 1),
        phone="13907182222",
    )
    assert a.phone_masked == "139****2222" and "13907182222" not in a.phone_enc
    for month in range(1, 13):
        actions.do_log_advisor_activity(
            personas.township, a, kind="phone", on=dt.date(2025, month, 5), note="电话联系村委会"
        )
    for month in (2, 5, 8):
        actions.do_log_advisor_activity(
            personas.township, a, kind="on_site", on=dt.date(2025, month, 15), note="到社区坐班"
        )
    rows = {r.kind: r for r in actions.plan_status(a, 2025, today=dt.date(2026, 1, 10))}
    assert (rows["phone"].periods, rows["phone"].met) == (12, 12)
    assert (rows["on_site"].periods, rows["on_site"].met) == (4, 3)
    assert (rows["lecture"].periods, rows["lecture"].met) == (1, 0)
    with pytest.raises(ValidationError):
        actions.do_log_advisor_activity(
            personas.township, a, kind="phone", on=dt.date(2024, 12, 1), note="聘任前"
        )
    first = actions.do_log_advisor_activity(
        personas.township,
        a,
        kind="lecture",
        on=dt.date(2025, 12, 1),
        note="法治讲座",
        client_token="t1",
    )
    again = actions.do_log_advisor_activity(
        personas.township,
        a,
        kind="lecture",
        on=dt.date(2025, 12, 1),
        note="法治讲座",
        client_token="t1",
    )
    assert first.pk == again.pk
