"""/api/v1/jobs/: the same rules as the pages — scope 404, role 403, field messages 422,
Idempotency-Key on every create, every list a page; a unit reports, the clerk refers,
the outcome is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from conftest import Personas, new_resident
from shequ.jobs.actions import do_create_training, do_enrol
from shequ.jobs.models import FloatingActivity, JobSeeker, Referral, VacancyReport
from shequ.jobs.tests.conftest import MakeSeeker, MakeVacancy
from shequ.people.models import ResidentUnit

pytestmark = pytest.mark.django_db
BASE = "/api/v1/jobs"


@time_machine.travel(dt.datetime(2026, 3, 28, 2, tzinfo=dt.UTC))
def test_report_refer_and_confirm(
    personas: Personas, company: ResidentUnit, make_seeker: MakeSeeker
) -> None:
    c = personas.client(personas.clerk)
    body = {
        "resident_unit_id": company.pk,
        "month": "2026-04-01",
        "vacancies": [
            {"post": "制茶工", "headcount": 2, "trade": "C", "skills": "制茶",
             "pay_min": "2800", "pay_max": "3500", "valid_until": "2026-06-30"}
        ],
    }  # fmt: skip
    r = c.post(f"{BASE}/reports", body, content_type="application/json",
               headers={"Idempotency-Key": "k1"})  # fmt: skip
    assert r.status_code == 201, r.content
    again = c.post(f"{BASE}/reports", body, content_type="application/json",
                   headers={"Idempotency-Key": "k1"})  # fmt: skip
    assert again.status_code == 201 and again.json()["id"] == r.json()["id"]
    assert VacancyReport.objects.count() == 1
    vacancy_id = r.json()["vacancies"][0]["id"]
    seeker = make_seeker(name="本地", skills="制茶")
    page = c.get(f"{BASE}/vacancies/{vacancy_id}/suggestions").json()
    assert page["count"] == 1 and page["page"] == 1
    s = page["items"]
    assert s[0]["seeker_id"] == seeker.pk and s[0]["tier"] == 0 and s[0]["name"] == "本地"
    with time_machine.travel(dt.datetime(2026, 4, 2, 2, tzinfo=dt.UTC)):
        c = personas.client(personas.clerk)  # sessions end after 8 hours
        ref = c.post(f"{BASE}/vacancies/{vacancy_id}/referrals", {"seeker_id": seeker.pk},
                     content_type="application/json")  # fmt: skip
        assert ref.status_code == 201, ref.content
        bad = c.post(f"{BASE}/referrals/{ref.json()['id']}/outcome", {"outcome": "maybe"},
                     content_type="application/json")  # fmt: skip
        assert bad.status_code == 422 and "outcome" in bad.json()["errors"]
        ok = c.post(f"{BASE}/referrals/{ref.json()['id']}/outcome",
                    {"outcome": "hired", "confirmed_by_name": "田经理"},
                    content_type="application/json")  # fmt: skip
        assert ok.status_code == 200 and ok.json()["status"] == "hired"
        f = c.get(f"{BASE}/figures", {"unit": personas.guanpo.pk, "first": "2026-04-01"}).json()
        assert f["hired"] == 1 and f["hired_local"] == 1 and f["local_share"] == "100.0"
    assert Referral.objects.get().local


@time_machine.travel(dt.datetime(2026, 3, 28, 2, tzinfo=dt.UTC))
def test_bad_input_and_scope(personas: Personas, company: ResidentUnit) -> None:
    c = personas.client(personas.clerk)
    bad = c.post(f"{BASE}/reports", {"resident_unit_id": company.pk, "month": "2026-04-01",
                 "vacancies": [{"post": "", "headcount": 0, "trade": "Z", "pay_min": "9",
                                "pay_max": "1", "valid_until": "2026-06-30"}]},
                 content_type="application/json")  # fmt: skip
    assert bad.status_code == 422
    assert {"vacancies.0.post", "vacancies.0.headcount", "vacancies.0.trade"} <= set(
        bad.json()["errors"]
    )
    other = personas.client(personas.lichuan_clerk)
    r = other.post(f"{BASE}/reports", {"resident_unit_id": company.pk, "month": "2026-04-01"},
                   content_type="application/json")  # fmt: skip
    assert r.status_code == 404
    county = personas.client(personas.county)
    r = county.post(f"{BASE}/reports", {"resident_unit_id": company.pk, "month": "2026-04-01"},
                    content_type="application/json")  # fmt: skip
    assert r.status_code == 403
    assert c.get(f"{BASE}/zero-households").status_code == 200
    assert c.get(f"{BASE}/trainings").status_code == 200
    assert c.get(f"{BASE}/seekers").status_code == 200
    assert c.get(f"{BASE}/vacancies").json()["count"] == 0


@time_machine.travel(dt.datetime(2026, 4, 2, 2, tzinfo=dt.UTC))
def test_a_retried_create_returns_the_first_answer_and_makes_nothing_new(
    personas: Personas, make_vacancy: MakeVacancy, make_seeker: MakeSeeker
) -> None:
    c = personas.client(personas.clerk)

    def twice(path: str, body: dict[str, object], key: str) -> int:
        first, again = (
            c.post(f"{BASE}/{path}", body, content_type="application/json",
                   headers={"Idempotency-Key": key})
            for _ in range(2)
        )  # fmt: skip
        assert first.status_code == again.status_code == 201, again.content
        assert again.json() == first.json()
        return int(first.json()["id"])

    resident = new_resident(personas.grid, name="李四", birth=dt.date(1990, 1, 1))
    twice("seekers", {"resident_id": resident.pk, "kind": "unemployed"}, "seeker-1")
    assert JobSeeker.objects.filter(resident=resident).count() == 1

    vacancy = make_vacancy()
    seeker = make_seeker(name="王五", skills="制茶")
    referral = twice(f"vacancies/{vacancy.pk}/referrals", {"seeker_id": seeker.pk}, "ref-1")
    assert Referral.objects.count() == 1
    hired = c.post(f"{BASE}/referrals/{referral}/outcome", {"outcome": "hired"},
                   content_type="application/json")  # fmt: skip
    assert hired.status_code == 200
    # placed now, no longer referable: the late retry still answers the first referral
    late = c.post(f"{BASE}/vacancies/{vacancy.pk}/referrals", {"seeker_id": seeker.pk},
                  content_type="application/json", headers={"Idempotency-Key": "ref-1"})  # fmt: skip
    assert late.status_code == 201 and late.json()["id"] == referral
    assert Referral.objects.count() == 1

    body = {"unit_id": personas.guanpo.pk, "kind": "health", "title": "义诊",
            "held_on": "2026-04-01", "place": "社区活动室", "others_reached": 5}  # fmt: skip
    twice("activities", body, "act-1")
    assert FloatingActivity.objects.count() == 1
    # the body's client_token is the same key for clients that cannot set headers
    again = c.post(f"{BASE}/activities", {**body, "client_token": "act-1"},
                   content_type="application/json")  # fmt: skip
    assert again.status_code == 201 and FloatingActivity.objects.count() == 1


@time_machine.travel(dt.datetime(2026, 4, 30, 2, tzinfo=dt.UTC))
def test_every_list_is_a_page(personas: Personas, make_seeker: MakeSeeker) -> None:
    for n in range(3):
        session = do_create_training(
            personas.clerk, unit=personas.guanpo, skill=f"电工{n}", provider="恩施职业技术学院",
            starts_on=dt.date(2026, 5, 10 + n), ends_on=dt.date(2026, 5, 20), place="社区活动室",
            capacity=5,
        )  # fmt: skip
    do_enrol(personas.clerk, session, seeker=make_seeker(name="甲"))
    c = personas.client(personas.clerk)
    page = c.get(f"{BASE}/trainings", {"page_size": 2}).json()
    assert (page["count"], page["page"], page["page_size"]) == (3, 1, 2)
    assert [t["skill"] for t in page["items"]] == ["电工2", "电工1"]  # latest start first
    assert page["items"][0]["enrolled"] == 1 and page["items"][0]["completed"] == 0
    assert [t["skill"] for t in c.get(f"{BASE}/trainings", {"page": 2, "page_size": 2})
            .json()["items"]] == ["电工0"]  # fmt: skip
    for path in ("vacancies", "seekers", "zero-households", "trainings"):
        body = c.get(f"{BASE}/{path}").json()
        assert {"count", "page", "page_size", "items"} == set(body), path
    too_big = c.get(f"{BASE}/zero-households", {"page_size": 500})
    assert too_big.status_code == 422 and "page_size" in too_big.json()["errors"]
