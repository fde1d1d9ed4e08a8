"""Referrals: the unit confirms the outcome; a hire is a placement and counts for the
vacancy's local residents; a filled post takes no more; two confirmations cannot both win."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from conftest import Personas
from shequ.jobs.actions import do_conclude_referral, do_refer
from shequ.jobs.figures import local_hire_share
from shequ.jobs.models import Placement, SeekerStatus, VacancyStatus
from shequ.jobs.tests.conftest import MakeSeeker, MakeVacancy
from shequ.notify.models import Message
from shequ.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 4, 10, 2, tzinfo=dt.UTC))
def test_a_hire_counts_for_local_residents(
    personas: Personas, make_vacancy: MakeVacancy, make_seeker: MakeSeeker,
    other_community: OrgUnit,
) -> None:  # fmt: skip
    vacancy = make_vacancy(headcount=2)
    own = make_seeker(name="本地")
    near = make_seeker(other_community, name="邻近")
    r1 = do_refer(personas.clerk, vacancy, seeker=own, client_token="r1")
    assert do_refer(personas.clerk, vacancy, seeker=own, client_token="r1") == r1
    r2 = do_refer(personas.clerk, vacancy, seeker=near)
    assert r1.local and r1.tier == 0 and not r2.local and r2.tier == 1
    assert Message.objects.filter(kind="jobs.referred").count() == 2
    assert Message.objects.filter(kind="jobs.referral_to_unit").count() == 2
    with pytest.raises(ValidationError):
        do_refer(personas.clerk, vacancy, seeker=own)
    assert local_hire_share(personas.guanpo) is None
    do_conclude_referral(personas.clerk, r1, outcome="hired", confirmed_by_name="田经理")
    vacancy.refresh_from_db()
    assert (vacancy.hired, vacancy.hired_local, vacancy.status) == (1, 1, VacancyStatus.OPEN)
    own.refresh_from_db()
    assert own.status == SeekerStatus.EMPLOYED
    assert Placement.objects.get(seeker=own).employer == vacancy.resident_unit.name
    assert local_hire_share(personas.guanpo) == 100
    do_conclude_referral(personas.clerk, r2, outcome="hired", confirmed_by_name="田经理")
    vacancy.refresh_from_db()
    assert (vacancy.hired, vacancy.hired_local, vacancy.status) == (2, 1, VacancyStatus.FILLED)
    assert vacancy.filled_on == dt.date(2026, 4, 10)
    assert local_hire_share(personas.guanpo) == 50


@time_machine.travel(dt.datetime(2026, 4, 10, 2, tzinfo=dt.UTC))
def test_a_filled_post_takes_no_more_and_an_outcome_is_final(
    personas: Personas, make_vacancy: MakeVacancy, make_seeker: MakeSeeker
) -> None:
    vacancy = make_vacancy(headcount=1)
    a, b = make_seeker(name="甲"), make_seeker(name="乙")
    ra, rb = (do_refer(personas.clerk, vacancy, seeker=s) for s in (a, b))
    do_conclude_referral(personas.clerk, ra, outcome="hired", confirmed_by_name="田经理")
    with pytest.raises(ValidationError) as error:
        do_conclude_referral(personas.clerk, rb, outcome="hired", confirmed_by_name="田经理")
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError):
        do_conclude_referral(personas.clerk, ra, outcome="no_show", confirmed_by_name="田经理")
    with pytest.raises(ValidationError) as error:
        do_conclude_referral(personas.clerk, rb, outcome="no_show")
    assert "confirmed_by_name" in error.value.message_dict  # the unit confirms
