"""The deliberation API: a topic filed with an Idempotency-Key once, its steps, a
consultation record, a result and a milestone; out of scope is 404, bad input 422."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import Personas
from shequ.governance.models import Topic, TopicStatus

pytestmark = pytest.mark.django_db


def _post(c: Any, url: str, data: dict[str, Any], key: str | None = None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return c.post(url, json.dumps(data), content_type="application/json", **headers)


def test_a_topic_from_filing_to_a_milestone(personas: Personas) -> None:
    c = personas.client(personas.director)
    base = "/api/v1/governance"
    body = {"unit_id": personas.guanpo.pk, "title": "加装电梯", "description": "老楼加装",
            "source": "committee", "proposer_name": "居委会", "concerned": "五栋住户"}  # fmt: skip
    r = _post(c, f"{base}/topics", body, "k-1")
    assert r.status_code == 201, r.content
    assert _post(c, f"{base}/topics", body, "k-1").json()["id"] == r.json()["id"]
    assert Topic.objects.count() == 1
    tid = r.json()["id"]
    assert personas.client(personas.lichuan_clerk).get(f"{base}/topics/{tid}").status_code == 404
    assert _post(c, f"{base}/topics/{tid}/step", {"step": "accept"}).status_code == 200
    r = _post(c, f"{base}/topics/{tid}/step", {"step": "accept"})
    assert r.status_code == 422  # already accepted
    _post(c, f"{base}/topics/{tid}/step", {"step": "notice", "text": "预告", "on": "2026-03-01"})
    r = _post(c, f"{base}/topics/{tid}/consultations", {
        "form": "written", "held_on": "2026-03-05", "place": "书面征询", "record": "20户同意",
        "participants": [{"name": "甲", "capacity": "住户", "position": "同意"}]}, "k-2")  # fmt: skip
    assert r.status_code == 201, r.content
    assert c.get(f"{base}/topics/{tid}/consultations").json()["count"] == 1
    _post(c, f"{base}/topics/{tid}/step", {"step": "decide", "outcome": "agreed", "text": "加装",
                                           "on": "2026-03-06"})  # fmt: skip
    r = _post(c, f"{base}/topics/{tid}/results", {"title": "电梯施工", "responsible": "居委会",
                                                  "due_on": "2026-09-30"}, "k-3")  # fmt: skip
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    _post(c, f"{base}/topics/{tid}/step", {"step": "implement"})
    r = _post(c, f"{base}/results/{rid}/milestones",
              {"happened_on": "2026-05-01", "text": "井道完工", "progress": 40}, "k-4")  # fmt: skip
    assert r.status_code == 201, r.content
    assert c.get(f"{base}/results?unit={personas.guanpo.pk}").json()["items"][0]["progress"] == 40
    assert Topic.objects.get().status == TopicStatus.IMPLEMENTING
    r = _post(c, f"{base}/results/{rid}/milestones",
              {"happened_on": "2026-05-02", "text": "x", "progress": 10})  # fmt: skip
    assert r.status_code == 422
