"""/api/v1/governance/disclosure/: the catalogue, a community's calendar at a date, a
disclosure submitted (idempotently), reviewed and published, questions answered; the
township's export."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
from django.urls import reverse

from conftest import Personas
from shequ.governance import disclosure_actions as da
from shequ.governance.models import Disclosure, DisclosureQuestion
from shequ.governance.tests.conftest import Village
from shequ.governance.tests.disclosure_helpers import (
    at,
    finance_due,
    on_calendar,
    publish,
    supervision,
)

API = "/api/v1/governance/disclosure"


def test_the_api_walks_a_disclosure_through(village: Village, personas: Personas) -> None:
    chair = supervision(village)
    on_calendar(village)
    c = personas.client(village.staff)
    items = c.get(f"{API}/catalogue", {"unit": village.unit.pk}).json()["items"]
    finance = next(i for i in items if i["code"] == "v-finance")
    assert finance["cadence"] == "quarterly" and finance["cadence_frequent"] == "monthly"
    cal = c.get(
        f"{API}/units/{village.unit.pk}/calendar", {"at": "2025-05-01", "year": "2025"}
    ).json()
    q1 = next(d for d in cal["items"] if d["key"] == "2025Q1" and d["item_id"] == finance["id"])
    assert q1["due_on"] == "2025-04-21" and q1["state"] == "overdue"
    body = {
        "unit_id": village.unit.pk,
        "item_id": finance["id"],
        "due_id": q1["id"],
        "title": "2025年第一季度财务公开",
        "body": "收支明细如下。",
        "table": [["收入", "100.00"]],
    }
    headers = {"Idempotency-Key": "disc-1"}
    r = c.post(
        f"{API}/disclosures", json.dumps(body), content_type="application/json", headers=headers
    )
    assert r.status_code == 201, r.content
    again = c.post(
        f"{API}/disclosures", json.dumps(body), content_type="application/json", headers=headers
    )
    assert again.json()["id"] == r.json()["id"] and Disclosure.objects.count() == 1
    pk = r.json()["id"]
    assert c.post(f"{API}/disclosures/{pk}/publish").status_code == 422  # not approved
    review = {"reviewer_id": chair.pk, "approve": True, "note": ""}
    r = c.post(
        f"{API}/disclosures/{pk}/review", json.dumps(review), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert c.post(f"{API}/disclosures/{pk}/publish").json()["status"] == "published"
    ask = {"asker": "村民丙", "text": "收入从哪里来?"}
    r = c.post(
        f"{API}/disclosures/{pk}/questions",
        json.dumps(ask),
        content_type="application/json",
        headers={"Idempotency-Key": "q-1"},
    )
    assert r.status_code == 201 and r.json()["overdue"] is False
    qid = r.json()["id"]
    r = c.post(
        f"{API}/questions/{qid}/answer",
        json.dumps({"answer": "林地租金。"}),
        content_type="application/json",
    )
    assert r.status_code == 200 and DisclosureQuestion.objects.get().answered_at is not None
    # Out of scope: 404.
    other = personas.client(personas.lichuan_clerk)
    assert other.get(f"{API}/disclosures/{pk}").status_code == 404
    assert other.get(f"{API}/units/{village.unit.pk}/calendar").status_code == 404


def test_the_township_exports_rates_and_overdue_lists(village: Village, personas: Personas) -> None:
    on_calendar(village)
    d = publish(finance_due(village, "2025Q2"), supervision(village), dt.date(2025, 7, 30))
    da.do_ask_question(None, d, asker="=HYPERLINK(1)", text="=1+2", at=at(dt.date(2025, 8, 1)))
    township = village.unit.parent_unit()
    assert township is not None
    c = personas.client(personas.county)  # 恩施市's county officer
    r = c.get(
        reverse("governance:disclosure_township"),
        {"unit": township.pk, "year": 2025, "at": "2026-01-31", "format": "xlsx"},
    )
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    rates, overdue = book.worksheets[0], book.worksheets[1]
    row = [cell.value for cell in next(rates.iter_rows(min_row=2, max_row=2))]
    assert row[0] == village.unit.name and row[13] > 0 and row[14] == 0  # due, none on time
    assert overdue.max_row > 1 and isinstance(overdue.cell(2, 5).value, int)
    asked = book.worksheets[2]
    assert asked.cell(2, 3).value == "'=HYPERLINK(1)" and asked.cell(2, 4).value == "'=1+2"
    assert asked.cell(2, 6).value == (dt.date(2026, 1, 31) - dt.date(2025, 8, 11)).days
