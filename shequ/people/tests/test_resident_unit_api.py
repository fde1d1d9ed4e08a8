"""/api/v1/people/resident-units: the same scope, roles and checks as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from shequ.lib.creditcode import make_credit_code
from shequ.people.models import ResidentUnit

pytestmark = pytest.mark.django_db
BASE = "/api/v1/people/resident-units"


def send(client: Client, method: str, url: str, data: dict[str, Any], **headers: str) -> Any:
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json", headers=headers
    )


def body(personas: Personas, **fields: Any) -> dict[str, Any]:
    return {
        "unit_id": personas.guanpo.pk,
        "name": "恩施市清江食品有限公司",
        "credit_code": make_credit_code("422801", 7001),
        "trade": "C",
        "size": "small",
        "contact_name": "田经理",
        "contact_phone": "13972700031",
        **fields,
    }


def test_create_is_idempotent_masked_and_validated(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    data = body(personas)
    a = send(c, "post", BASE, data, **{"Idempotency-Key": "ru-1"})
    b = send(c, "post", BASE, data, **{"Idempotency-Key": "ru-1"})
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] == b.json()["id"]
    assert a.json()["contact_phone"] == "139****0031"
    assert ResidentUnit.objects.count() == 1
    dup = send(c, "post", BASE, {**data, "name": "另一家"})
    assert dup.status_code == 422 and "credit_code" in dup.json()["errors"]
    bad = send(c, "post", BASE, {**data, "credit_code": "1", "trade": "?"})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"credit_code", "trade"}
    county = send(personas.client(personas.county), "post", BASE, body(personas, client_token="x"))
    assert county.status_code == 404  # the county may read but registers in no community
    outside = send(personas.client(personas.lichuan_clerk), "post", BASE, data)
    assert outside.status_code == 404


def test_list_get_update_and_reveal_are_scoped(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    ru = send(c, "post", BASE, body(personas)).json()
    listed = c.get(BASE, {"q": ru["credit_code"]}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == ru["id"]
    assert c.get(f"{BASE}/{ru['id']}").json()["registration_authority"].startswith("市场监管")
    other = personas.client(personas.lichuan_clerk)
    assert other.get(f"{BASE}/{ru['id']}").status_code == 404
    assert other.get(BASE).json()["count"] == 0
    changed = send(c, "put", f"{BASE}/{ru['id']}", body(personas, size="medium"))
    assert changed.status_code == 200 and changed.json()["size"] == "medium"
    url = f"{BASE}/{ru['id']}/reveal"
    assert send(c, "post", url, {"reason": "核实联系方式"}).status_code == 403
    shown = send(personas.client(personas.director), "post", url, {"reason": "核实联系方式"})
    assert shown.json()["value"] == "13972700031"
