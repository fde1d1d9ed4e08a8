"""/api/v1/jobs/: the same rules as the pages — scope 404, role 403, field messages 422,
Idempotency-Key; a unit reports, the clerk refers, the outcome is recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from conftest import Personas
from shequ.jobs.models import Referral, VacancyReport
from shequ.jobs.tests.conftest import MakeSeeker
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
    s = c.get(f"{BASE}/vacancies/{vacancy_id}/suggestions").json()
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
