"""An English page shows no Chinese outside the data (names of units, people, posts,
the configurable categories and kinds)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from conftest import Personas
from shequ.jobs import unitlink
from shequ.jobs.actions import do_create_training, do_enrol, do_refer
from shequ.jobs.models import ActivityType, DifficultyCategory, JobSeeker, Referral, Vacancy
from shequ.jobs.tests.conftest import MakeSeeker, MakeVacancy
from shequ.orgs.models import OrgUnit
from shequ.people.models import Resident, ResidentUnit

pytestmark = pytest.mark.django_db
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”]+")


@time_machine.travel(dt.datetime(2026, 4, 10, 2, tzinfo=dt.UTC))
def test_english_pages_show_no_chinese_outside_the_data(
    personas: Personas, make_vacancy: MakeVacancy, make_seeker: MakeSeeker
) -> None:
    vacancy = make_vacancy()
    seeker = make_seeker(name="覃明", skills="制茶", wishes="白班")
    do_refer(personas.clerk, vacancy, seeker=make_seeker(name="向红"))
    session = do_create_training(
        personas.clerk, unit=personas.guanpo, skill="茶艺", provider="恩施职业技术学院",
        starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 20), place="社区活动室",
        capacity=20,
    )  # fmt: skip
    do_enrol(personas.clerk, session, seeker=seeker)
    data = " ".join(
        [
            *OrgUnit.objects.values_list("name", flat=True),
            *Resident.objects.values_list("name", flat=True),
            *ResidentUnit.objects.values_list("name", flat=True),
            *ResidentUnit.objects.values_list("contact_name", flat=True),
            *Vacancy.objects.values_list("post", flat=True),
            *Vacancy.objects.values_list("skills", flat=True),
            *JobSeeker.objects.values_list("skills", flat=True),
            *JobSeeker.objects.values_list("wishes", flat=True),
            *DifficultyCategory.objects.values_list("name", flat=True),
            *ActivityType.objects.values_list("name", flat=True),
            "茶艺 恩施职业技术学院 社区活动室",
            # a referral keeps the reasons as they were given, in the referrer's language
            *(r for reasons in Referral.objects.values_list("reasons", flat=True) for r in reasons),
        ]
    )
    c = personas.client(personas.clerk)
    c.cookies["django_language"] = "en"
    urls = [
        reverse("jobs:overview"),
        reverse("jobs:report_new", args=[vacancy.resident_unit_id]),
        reverse("jobs:report", args=[vacancy.report_id]),
        reverse("jobs:vacancy", args=[vacancy.pk]),
        reverse("jobs:seekers"),
        reverse("jobs:seeker", args=[seeker.pk]),
        reverse("jobs:zero_list"),
        reverse("jobs:trainings"),
        reverse("jobs:training", args=[session.pk]),
        reverse("jobs:floating"),
        reverse("jobs:figures"),
        unitlink.path(vacancy.resident_unit),
    ]
    for url in urls:
        html = c.get(url, headers={"accept-language": "en"}).content.decode()
        main = html.split("<main", 1)[-1]
        text = re.sub(r"<[^>]+>", " ", main)
        left = [run for run in CJK.findall(text) if run not in data]
        assert not left, (url, left[:10])
