"""Training: capacity, attendance, completion by the attendance share, certificates,
employment after training. The floating population: activities reach the registry's
floating residents; school-enrolment help is a services case."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import Personas, new_resident
from shequ.jobs.actions import (
    do_complete_training,
    do_create_training,
    do_enrol,
    do_open_school_help,
    do_record_activity,
    do_record_attendance,
    do_record_placement,
)
from shequ.jobs.figures import jobs_figures
from shequ.jobs.models import ActivityType, EnrolmentStatus
from shequ.jobs.tests.conftest import MakeSeeker
from shequ.people.actions import do_set_floating_info
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import Case

pytestmark = pytest.mark.django_db


@time_machine.travel(dt.datetime(2026, 4, 30, 2, tzinfo=dt.UTC))
def test_training_from_enrolment_to_employment(personas: Personas, make_seeker: MakeSeeker) -> None:
    session = do_create_training(
        personas.clerk, unit=personas.guanpo, skill="电工", provider="恩施职业技术学院",
        starts_on=dt.date(2026, 4, 20), ends_on=dt.date(2026, 4, 24), place="社区活动室",
        capacity=2,
    )  # fmt: skip
    a, b, c = (make_seeker(name=n) for n in ("甲", "乙", "丙"))
    with time_machine.travel(dt.datetime(2026, 4, 15, 2, tzinfo=dt.UTC)):
        ea, eb = (
            do_enrol(personas.clerk, session, seeker=a),
            do_enrol(personas.clerk, session, seeker=b),
        )
        assert do_enrol(personas.clerk, session, seeker=a) == ea
        with pytest.raises(ValidationError):
            do_enrol(personas.clerk, session, seeker=c)  # full
    for day in session.days():
        present = [ea.pk] if day.day != 24 else [ea.pk, eb.pk]
        do_record_attendance(personas.clerk, session, day=day, present=present)
    assert do_complete_training(personas.clerk, session, on=dt.date(2026, 4, 25)) == 1
    ea.refresh_from_db()
    eb.refresh_from_db()
    assert ea.status == EnrolmentStatus.COMPLETED and ea.certificate_no
    assert eb.status == EnrolmentStatus.FAILED and not eb.certificate_no
    page = personas.client(personas.clerk).get(reverse("jobs:certificate", args=[ea.pk]))
    assert page.status_code == 200 and ea.certificate_no in page.content.decode()
    assert "盖章" in page.content.decode()
    assert (
        personas.client(personas.clerk).get(reverse("jobs:certificate", args=[eb.pk])).status_code
        == 404
    )
    do_record_placement(personas.clerk, a, employer="州供电公司", source="other",
                        started_on=dt.date(2026, 4, 28))  # fmt: skip
    f = jobs_figures(personas.guanpo, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert (f.trained, f.employed_after_training) == (1, 1)


def _floating(personas: Personas, name: str) -> Any:
    r = new_resident(personas.grid, name=name, registration_type="floating")
    do_set_floating_info(None, r, origin="重庆市黔江区", arrived_on=dt.date(2025, 3, 1),
                         school_age_children=1)  # fmt: skip
    return r


@time_machine.travel(dt.datetime(2026, 4, 30, 2, tzinfo=dt.UTC))
def test_activities_reach_floating_residents_and_school_help_is_a_case(
    personas: Personas,
) -> None:
    ensure_catalogue()
    one, two = _floating(personas, "冉小兵"), _floating(personas, "龙小花")
    local = new_resident(personas.grid, name="本地人")
    health = ActivityType.objects.get(code="health")
    with pytest.raises(ValidationError) as error:
        do_record_activity(personas.clerk, unit=personas.guanpo, kind=health, title="义诊",
                           held_on=dt.date(2026, 4, 20), place="社区广场", reached=[local])  # fmt: skip
    assert "reached" in error.value.message_dict
    do_record_activity(personas.clerk, unit=personas.guanpo, kind=health, title="义诊",
                       held_on=dt.date(2026, 4, 20), place="社区广场", reached=[one, two],
                       others_reached=5, client_token="a1")  # fmt: skip
    f = jobs_figures(personas.guanpo, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert (f.activities, f.reach) == (1, 7)
    help_ = do_open_school_help(personas.clerk, resident=one, child_name="冉小明",
                                stage="primary", wished_school="施州小学", client_token="s1")  # fmt: skip
    assert do_open_school_help(personas.clerk, resident=one, child_name="冉小明",
                               stage="primary", client_token="s1") == help_  # fmt: skip
    case = Case.objects.get(pk=help_.case_id)
    assert case.resident == one and "冉小明" in case.summary
    with pytest.raises(ValidationError):
        do_open_school_help(personas.clerk, resident=local, child_name="x", stage="primary")
