"""The API: the same scope and rules as the pages, idempotent creates."""

from __future__ import annotations

import datetime as dt

from conftest import Personas
from shequ.governance.models import Meeting
from shequ.governance.tests.conftest import Village


def test_the_meeting_journey_over_the_api(village: Village, personas: Personas) -> None:
    c = personas.client(village.staff)
    body = {
        "unit_id": village.unit.pk,
        "meeting_type": "villagers",
        "title": "村民会议",
        "held_on": "2025-06-20",
        "notice_on": "2025-06-01",
        "place": "村委会",
        "agenda": [{"title": "宅基地使用方案", "matter": "art24_homestead"}],
    }
    r = c.post(
        "/api/v1/governance/meetings",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "api-1"},
    )
    assert r.status_code == 201, r.content
    again = c.post(
        "/api/v1/governance/meetings",
        body,
        content_type="application/json",
        headers={"Idempotency-Key": "api-1"},
    )
    assert again.json()["id"] == r.json()["id"] and Meeting.objects.count() == 1
    mid = r.json()["id"]
    assert c.post(f"/api/v1/governance/meetings/{mid}/open").status_code == 200
    for res in village.adults[:10]:
        assert (
            c.post(
                f"/api/v1/governance/meetings/{mid}/attendances",
                {"resident_id": res.pk},
                content_type="application/json",
            ).status_code
            == 201
        )
    retried = c.post(
        f"/api/v1/governance/meetings/{mid}/attendances",
        {"resident_id": village.adults[0].pk},
        content_type="application/json",
        headers={"Idempotency-Key": "sign-1"},
    )
    assert retried.status_code == 201  # a retried sign-in returns the first, adds none
    assert c.get(f"/api/v1/governance/meetings/{mid}/attendances").json()["count"] == 10
    detail = c.get(f"/api/v1/governance/meetings/{mid}").json()
    assert detail["quorum"]["quorate"] is False and "第二十二条" in detail["quorum"]["article"]
    item = detail["agenda"][0]["id"]
    refused = c.post(
        f"/api/v1/governance/meetings/{mid}/items/{item}/resolution",
        {"text": "方案", "votes_for": 10},
        content_type="application/json",
    )
    assert refused.status_code == 422 and "第二十二条" in refused.json()["detail"]
    c.post(
        f"/api/v1/governance/meetings/{mid}/attendances",
        {"resident_id": village.adults[10].pk},
        content_type="application/json",
    )
    ok = c.post(
        f"/api/v1/governance/meetings/{mid}/items/{item}/resolution",
        {"text": "方案", "votes_for": 10},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["result"] == "passed"
    bad = c.post(
        f"/api/v1/governance/meetings/{mid}/attendances",
        {"resident_id": village.child.pk},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert c.get("/api/v1/governance/rules").json()["count"] > 40
    assert (
        c.get("/api/v1/governance/resolutions", {"unit": village.unit.pk}).json()["items"][0][
            "matter"
        ]
        == "art24_homestead"
    )


def test_api_scope(village: Village, personas: Personas) -> None:
    c = personas.client(personas.lichuan_clerk)
    body = {
        "unit_id": village.unit.pk,
        "meeting_type": "villagers",
        "title": "x",
        "held_on": "2025-06-20",
        "notice_on": "2025-06-01",
        "place": "x",
        "agenda": [{"title": "x"}],
    }
    assert (
        c.post("/api/v1/governance/meetings", body, content_type="application/json").status_code
        == 404
    )
    assert c.get("/api/v1/governance/meetings").json()["items"] == []
    assert c.get("/api/v1/governance/meetings/999999").status_code == 404
    assert dt.date(2025, 6, 20)
