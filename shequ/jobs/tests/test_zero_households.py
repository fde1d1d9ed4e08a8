"""零就业家庭 is derived from the registry and the job seekers, never set by hand; the
quarter rule and the pledge are queries at a chosen date; exits follow the rule."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from conftest import Personas
from shequ.jobs.actions import (
    do_conclude_referral,
    do_record_placement,
    do_refer,
    do_register_seeker,
    is_zero_employment,
    pledge_overdue,
    quarter_overdue,
    sweep_zero_households,
)
from shequ.jobs.models import ZeroExit, ZeroHousehold, ZeroStatus
from shequ.jobs.tests.conftest import MakeHousehold, MakeVacancy
from shequ.orgs.models import Event

pytestmark = pytest.mark.django_db
ADULT, SPOUSE, GRANDPA = dt.date(1980, 1, 1), dt.date(1982, 6, 1), dt.date(1950, 1, 1)


def spells() -> list[ZeroHousehold]:
    return list(ZeroHousehold.objects.order_by("pk"))


@time_machine.travel(dt.datetime(2026, 5, 10, 10, tzinfo=dt.UTC))
def test_it_becomes_one_when_the_last_working_age_member_registers_and_ends_when_one_is_placed(
    personas: Personas, make_household: MakeHousehold
) -> None:
    household, (father, mother, _grandpa) = make_household(
        ("覃大军", ADULT), ("向小红", SPOUSE), ("覃老汉", GRANDPA)
    )
    do_register_seeker(personas.clerk, resident=father, kind="unemployed",
                       registered_on=dt.date(2026, 2, 3))  # fmt: skip
    assert not is_zero_employment(household, dt.date(2026, 2, 3))
    assert spells() == []
    # a mother "looking for work" while employed does not make the household one
    seeker = do_register_seeker(
        personas.clerk, resident=mother, kind="unemployed", registered_on=dt.date(2026, 2, 10)
    )
    # the grandfather is past working age: he does not count either way
    (spell,) = spells()
    assert spell.household == household and spell.status == ZeroStatus.ASSISTING
    assert spell.identified_on == dt.date(2026, 2, 10)
    assert spell.pledge_due == dt.date(2026, 3, 12)
    assert spell.quarter_due == dt.date(2026, 3, 31)
    assert Event.objects.filter(verb="jobs.zero_household_identified").count() == 1

    do_record_placement(
        personas.clerk, seeker, employer="州城家政公司", source="self",
        started_on=dt.date(2026, 3, 20),
    )  # fmt: skip
    spell.refresh_from_db()
    assert spell.status == ZeroStatus.CLEARED and spell.exit_reason == ZeroExit.PLACED
    assert spell.ended_on == dt.date(2026, 3, 20) and spell.cleared_in_time
    assert not is_zero_employment(household, dt.date(2026, 3, 20))
    assert is_zero_employment(household, dt.date(2026, 3, 19))  # as it was, on a chosen day


def test_a_looking_member_in_work_keeps_the_household_out(
    personas: Personas, make_household: MakeHousehold
) -> None:
    household, (father, mother) = make_household(("覃大军", ADULT), ("向小红", SPOUSE))
    do_register_seeker(personas.clerk, resident=father, kind="unemployed")
    do_register_seeker(personas.clerk, resident=mother, kind="looking")
    assert spells() == []
    assert not is_zero_employment(household, timezone.localdate())


@time_machine.travel(dt.datetime(2026, 5, 10, 10, tzinfo=dt.UTC))
def test_the_quarter_rule_and_the_pledge_are_overdue_at_chosen_dates(
    personas: Personas, make_household: MakeHousehold
) -> None:
    _household, (father,) = make_household(("覃大军", ADULT))
    seeker = do_register_seeker(
        personas.clerk, resident=father, kind="unemployed", registered_on=dt.date(2026, 2, 10)
    )
    qs = ZeroHousehold.objects.all()
    assert not quarter_overdue(qs, dt.date(2026, 3, 31)).exists()
    assert quarter_overdue(qs, dt.date(2026, 4, 1)).exists()
    assert not pledge_overdue(qs, dt.date(2026, 3, 12)).exists()
    assert pledge_overdue(qs, dt.date(2026, 3, 13)).exists()
    # cleared after the quarter's end: still not cleared in time
    do_record_placement(
        personas.clerk, seeker, employer="物流园", source="other", started_on=dt.date(2026, 4, 5)
    )
    (spell,) = spells()
    assert spell.status == ZeroStatus.CLEARED and not spell.cleared_in_time
    assert quarter_overdue(qs, dt.date(2026, 4, 6)).exists()
    assert not quarter_overdue(qs, dt.date(2026, 3, 31)).exists()


@time_machine.travel(dt.datetime(2026, 5, 10, 10, tzinfo=dt.UTC))
def test_a_referral_within_the_pledge_keeps_it(
    personas: Personas, make_household: MakeHousehold, make_vacancy: MakeVacancy
) -> None:
    _household, (father,) = make_household(("覃大军", ADULT))
    seeker = do_register_seeker(
        personas.clerk, resident=father, kind="unemployed", registered_on=dt.date(2026, 3, 3)
    )
    vacancy = make_vacancy(month=dt.date(2026, 3, 1), reported_on=dt.date(2026, 3, 1))
    do_refer(personas.clerk, vacancy, seeker=seeker, referred_on=dt.date(2026, 3, 20))
    assert not pledge_overdue(ZeroHousehold.objects.all(), dt.date(2026, 5, 1)).exists()


@time_machine.travel(dt.datetime(2026, 5, 10, 10, tzinfo=dt.UTC))
def test_three_refused_referrals_end_the_assistance(
    personas: Personas, make_household: MakeHousehold, make_vacancy: MakeVacancy
) -> None:
    _household, (father, mother) = make_household(("覃大军", ADULT), ("向小红", SPOUSE))
    one = do_register_seeker(personas.clerk, resident=father, kind="unemployed",
                             registered_on=dt.date(2026, 4, 1))  # fmt: skip
    two = do_register_seeker(personas.clerk, resident=mother, kind="unemployed",
                             registered_on=dt.date(2026, 4, 1))  # fmt: skip
    (spell,) = spells()
    vacancies = [make_vacancy(post=f"岗位{n}", month=dt.date(2026, 5, 1)) for n in range(3)]
    outcomes = [(one, "refused_by_person"), (two, "refused_by_person"), (one, "refused_by_unit")]
    for vacancy, (seeker, outcome) in zip(vacancies, outcomes, strict=True):
        referral = do_refer(personas.clerk, vacancy, seeker=seeker)
        do_conclude_referral(personas.clerk, referral, outcome=outcome, confirmed_by_name="田经理")
    spell.refresh_from_db()
    assert spell.status == ZeroStatus.ASSISTING  # refused by the unit is not the family's
    extra = make_vacancy(post="岗位4", month=dt.date(2026, 5, 1))
    referral = do_refer(personas.clerk, extra, seeker=two)
    do_conclude_referral(
        personas.clerk, referral, outcome="refused_by_person", confirmed_by_name="田经理"
    )
    spell.refresh_from_db()
    assert spell.status == ZeroStatus.EXITED and spell.exit_reason == ZeroExit.REFUSED
    assert spell.ended_on == dt.date(2026, 5, 10)
    # the sweep does not reopen it on the same facts
    assert sweep_zero_households() == 0
    assert ZeroHousehold.objects.count() == 1


def test_three_months_without_contact_end_it(
    personas: Personas, make_household: MakeHousehold
) -> None:
    _household, (father,) = make_household(("覃大军", ADULT))
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC)):
        do_register_seeker(personas.clerk, resident=father, kind="unemployed")
    with time_machine.travel(dt.datetime(2026, 4, 5, 10, tzinfo=dt.UTC)):
        assert sweep_zero_households() == 0
    with time_machine.travel(dt.datetime(2026, 4, 6, 10, tzinfo=dt.UTC)):
        assert sweep_zero_households() == 1
    (spell,) = spells()
    assert spell.status == ZeroStatus.EXITED and spell.exit_reason == ZeroExit.NO_CONTACT


def test_the_sweep_finds_a_household_the_registry_changed(
    personas: Personas, make_household: MakeHousehold
) -> None:
    from shequ.people.actions import do_change_resident_status

    _household, (father, mother) = make_household(("覃大军", ADULT), ("向小红", SPOUSE))
    do_register_seeker(personas.clerk, resident=father, kind="unemployed")
    assert spells() == []
    do_change_resident_status(None, mother, status="moved_out", on=timezone.localdate())
    assert sweep_zero_households() == 1
    assert spells()[0].status == ZeroStatus.ASSISTING
