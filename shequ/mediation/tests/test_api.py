"""/api/v1/mediation/: register with an Idempotency-Key, walk steps, scope and errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Personas
from shequ.mediation.models import Committee, Dispute, DisputeStatus

pytestmark = pytest.mark.django_db
BASE = "/api/v1/mediation"


def post(client: Client, url: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_register_and_walk_by_api(personas: Personas, committee: Committee) -> None:
    c = personas.client(personas.mediator)
    body = {
        "unit_id": personas.guanpo.pk,
        "committee_id": committee.pk,
        "source": "application",
        "kind": "marriage_family",
        "summary": "夫妻因赡养老人问题发生矛盾",
        "parties": [
            {"side": "applicant", "name": "王芳", "phone": "13972700001"},
            {"side": "respondent", "name": "张强"},
        ],
        "amount": "5000.00",
    }
    r = post(c, f"{BASE}/disputes/", body, **{"Idempotency-Key": "k-1"})
    assert r.status_code == 201, r.content
    first = r.json()
    assert first["steps"] and "accept" in first["steps"]
    again = post(c, f"{BASE}/disputes/", body, **{"Idempotency-Key": "k-1"})
    assert again.status_code == 201 and again.json()["id"] == first["id"]
    assert Dispute.objects.count() == 1
    url = f"{BASE}/disputes/{first['id']}/steps"
    assert post(c, f"{url}/accept/", {}).status_code == 200
    held = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    r = post(
        c,
        f"{url}/session/",
        {
            "held_at": held,
            "place": "调解室",
            "participants": "双方",
            "record": "双方陈述意见,初步同意和解。",
        },
    )
    assert r.status_code == 200, r.content
    r = post(
        c,
        f"{url}/agreement/",
        {
            "form": "written",
            "facts": "赡养纠纷事实",
            "terms": "每月支付赡养费",
            "effective_on": str(timezone.localdate()),
        },
    )
    assert r.status_code == 422 and "performance_manner" in r.json()["errors"]
    r = post(c, f"{url}/close/", {})
    assert r.status_code == 422
    detail = c.get(f"{BASE}/disputes/{first['id']}/").json()
    assert detail["status"] == DisputeStatus.MEDIATING
    assert detail["parties"][0]["phone_masked"] == "139****0001"
    assert "13972700001" not in json.dumps(detail)
    listing = c.get(f"{BASE}/disputes/?status=mediating").json()
    assert listing["count"] == 1


def test_api_scope_and_bad_input(personas: Personas, committee: Committee) -> None:
    c = personas.client(personas.lichuan_clerk)
    r = post(
        c,
        f"{BASE}/disputes/",
        {
            "unit_id": personas.guanpo.pk,
            "committee_id": committee.pk,
            "source": "x",
            "kind": "x",
            "summary": "x",
            "parties": [],
        },
    )
    assert r.status_code == 404
    m = personas.client(personas.mediator)
    r = post(
        m,
        f"{BASE}/disputes/",
        {
            "unit_id": personas.guanpo.pk,
            "committee_id": committee.pk,
            "source": "initiative",
            "kind": "duel",
            "summary": "吵架吵得很凶",
            "parties": [],
        },
    )
    assert r.status_code == 422 and "kind" in r.json()["errors"]
    assert c.get(f"{BASE}/disputes/999999/").status_code == 404
    assert personas.client(personas.county).get(f"{BASE}/figures/").status_code == 200
    assert m.get(f"{BASE}/figures/").status_code == 403
    assert m.get(f"{BASE}/committees/").json()[0]["warnings"] == []
