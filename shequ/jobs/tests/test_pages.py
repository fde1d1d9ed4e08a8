"""The pages: each answers for the community's staff, out of scope is 404, a bad form
shows field messages and saves nothing, the unit's own link works without an account."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from conftest import Personas
from shequ.jobs import unitlink
from shequ.jobs.actions import do_create_training, do_enrol, do_refer
from shequ.jobs.models import Referral, ReferralStatus, VacancyReport
from shequ.jobs.tests.conftest import MakeSeeker, MakeVacancy
from shequ.people.models import ResidentUnit

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 4, 10, 2, tzinfo=dt.UTC)


@time_machine.travel(NOW)
def test_every_page_answers_for_the_clerk(
    personas: Personas, make_vacancy: MakeVacancy, make_seeker: MakeSeeker
) -> None:
    vacancy = make_vacancy()
    seeker = make_seeker(name="覃明")
    session = do_create_training(
        personas.clerk, unit=personas.guanpo, skill="茶艺", provider="恩施职业技术学院",
        starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 20), place="社区活动室",
        capacity=20,
    )  # fmt: skip
    do_enrol(personas.clerk, session, seeker=seeker)
    c = personas.client(personas.clerk)
    urls = [
        reverse("jobs:overview"),
        reverse("jobs:report_new", args=[vacancy.resident_unit_id]),
        reverse("jobs:report", args=[vacancy.report_id]),
        reverse("jobs:vacancy", args=[vacancy.pk]),
        reverse("jobs:seekers") + "?q=覃",
        reverse("jobs:seeker_new", args=[seeker.resident_id]),
        reverse("jobs:seeker", args=[seeker.pk]),
        reverse("jobs:zero_list"),
        reverse("jobs:trainings"),
        reverse("jobs:training", args=[session.pk]),
        reverse("jobs:floating"),
        reverse("jobs:figures"),
    ]
    for url in urls:
        response = c.get(url)
        assert response.status_code == 200, url
    assert "覃明" in c.get(reverse("jobs:vacancy", args=[vacancy.pk])).content.decode()
    xlsx = c.get(reverse("jobs:figures_export"))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


@time_machine.travel(NOW)
def test_out_of_scope_is_404(
    personas: Personas, make_vacancy: MakeVacancy, make_seeker: MakeSeeker
) -> None:
    vacancy = make_vacancy()
    seeker = make_seeker()
    c = personas.client(personas.lichuan_clerk)
    for url in [
        reverse("jobs:report_new", args=[vacancy.resident_unit_id]),
        reverse("jobs:report", args=[vacancy.report_id]),
        reverse("jobs:vacancy", args=[vacancy.pk]),
        reverse("jobs:seeker", args=[seeker.pk]),
        reverse("jobs:seeker_new", args=[seeker.resident_id]),
        reverse("jobs:vacancy", args=[99999999999999]),
    ]:
        assert c.get(url).status_code == 404, url


@time_machine.travel(NOW)
def test_the_clerk_enters_a_report_and_a_bad_one_shows_messages(
    personas: Personas, company: ResidentUnit
) -> None:
    c = personas.client(personas.clerk)
    url = reverse("jobs:report_new", args=[company.pk])
    bad = c.post(url, {"month": "2026-05-01", "post_0": "保洁员", "headcount_0": "2",
                       "trade_0": "O", "pay_min_0": "3000", "pay_max_0": "2000",
                       "valid_until_0": "2026-06-30", "client_token": "x1"})  # fmt: skip
    assert bad.status_code == 200
    assert "月薪上限不能低于下限" in bad.content.decode()
    assert not VacancyReport.objects.exists()
    good = c.post(url, {"month": "2026-05-01", "post_0": "保洁员", "headcount_0": "2",
                        "trade_0": "O", "pay_min_0": "2000", "pay_max_0": "3000",
                        "valid_until_0": "2026-06-30", "client_token": "x2"})  # fmt: skip
    assert good.status_code == 302
    report = VacancyReport.objects.get()
    assert report.vacancies.get().post == "保洁员"


@time_machine.travel(NOW)
def test_the_unit_reports_and_confirms_through_its_link(
    personas: Personas, company: ResidentUnit, make_vacancy: MakeVacancy,
    make_seeker: MakeSeeker,
) -> None:  # fmt: skip
    vacancy = make_vacancy()
    referral = do_refer(personas.clerk, vacancy, seeker=make_seeker(name="本地"))
    from django.test import Client

    c = Client()
    url = unitlink.path(company)
    assert c.get(url).status_code == 200
    assert c.get(url[:-3] + "xx/").status_code == 404
    response = c.post(url, {"step": "outcome", "referral": referral.pk, "outcome": "hired",
                            "on": "2026-04-10", "confirmed_by_name": "田经理"})  # fmt: skip
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.HIRED and referral.outcome_channel == "unit_link"
    response = c.post(url, {"step": "report", "month": "2026-05-01", "client_token": "u1"})
    assert response.status_code == 302
    assert VacancyReport.objects.filter(month=dt.date(2026, 5, 1), channel="unit_link").exists()
    other = Referral.objects.exclude(vacancy__resident_unit=company)
    assert not other.exists()


@time_machine.travel(NOW)
def test_a_suggested_seeker_outside_the_clerks_scope_shows_by_surname(
    personas: Personas, make_vacancy: MakeVacancy, make_seeker: MakeSeeker, other_community: Any
) -> None:
    vacancy = make_vacancy()
    make_seeker(other_community, name="邻近居民")
    page = personas.client(personas.clerk).get(reverse("jobs:vacancy", args=[vacancy.pk]))
    html = page.content.decode()
    assert "邻***" in html and "邻近居民" not in html
