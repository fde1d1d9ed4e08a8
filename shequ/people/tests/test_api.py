"""The JSON API follows the same scope and role rules as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import Personas
from shequ.orgs.models import Event
from shequ.people.crypto import cipher
from shequ.people.models import Resident
from shequ.people.tests.conftest import MakeResident, new_id_number

pytestmark = pytest.mark.django_db
BASE = "/api/v1/people"


def post(client: Client, url: str, data: dict[str, str], **headers: str) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json", headers=headers)


def test_list_and_detail_are_scoped_and_masked(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident(name="API居民")
    c = personas.client(personas.clerk)
    body = c.get(f"{BASE}/residents", {"q": "API居民"}).json()
    assert body["count"] == 1
    assert body["items"][0]["id_number"] == r.id_number_masked
    assert cipher().decrypt(r.id_number_enc) not in json.dumps(body)
    assert c.get(f"{BASE}/residents/{r.pk}").status_code == 200
    other = personas.client(personas.lichuan_clerk)
    assert other.get(f"{BASE}/residents/{r.pk}").status_code == 404
    assert other.get(f"{BASE}/residents").json()["count"] == 0


def test_create_is_idempotent_and_validates(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    data = {"unit_id": personas.grid.pk, "name": "接口", "id_number": new_id_number()}
    a = post(c, f"{BASE}/residents", data, **{"Idempotency-Key": "k-1"})
    b = post(c, f"{BASE}/residents", data, **{"Idempotency-Key": "k-1"})
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] == b.json()["id"]
    assert Resident.objects.count() == 1
    dup = post(c, f"{BASE}/residents", data)
    assert dup.status_code == 422
    assert dup.json()["errors"]["existing_id"] == [str(a.json()["id"])]
    bad = post(c, f"{BASE}/residents", {**data, "id_number": "123", "phone": "1"})
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"id_number", "phone"}
    outside = post(personas.client(personas.lichuan_clerk), f"{BASE}/residents", data)
    assert outside.status_code == 404


def test_reveal_needs_the_role(personas: Personas, make_resident: MakeResident) -> None:
    r = make_resident()
    url = f"{BASE}/residents/{r.pk}/reveal"
    assert (
        post(
            personas.client(personas.clerk), url, {"field": "id_number", "reason": "核对材料"}
        ).status_code
        == 403
    )
    ok = post(personas.client(personas.director), url, {"field": "phone", "reason": "电话回访"})
    assert ok.status_code == 200 and ok.json()["value"] == "13812345678"
    assert Event.objects.filter(verb="resident.revealed").count() == 1
    assert (
        post(
            personas.client(personas.outsider), url, {"field": "phone", "reason": "xxxx"}
        ).status_code
        == 404
    )


def test_categories(personas: Personas) -> None:
    codes = [c["code"] for c in personas.client(personas.clerk).get(f"{BASE}/categories").json()]
    assert "extreme_hardship" in codes


def test_a_huge_page_is_refused_not_a_500(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    assert c.get(f"{BASE}/residents", {"page": "995894630461278208"}).status_code == 422
    assert c.get(f"{BASE}/residents", {"page": "100000"}).json()["items"] == []


def test_ids_past_bigint_are_404_not_500(personas: Personas) -> None:
    c = personas.client(personas.clerk)
    huge = "99999999999999999999999"
    assert c.get(f"{BASE}/residents/{huge}").status_code in (404, 422)
    assert c.get(f"{BASE}/households/{huge}").status_code in (404, 422)
    assert c.get(f"{BASE}/residents", {"unit": huge}).status_code == 422
    r = post(c, f"{BASE}/residents", {"unit_id": huge, "name": "x", "id_number": "1"})
    assert r.status_code in (404, 422)
    assert c.get(f"/people/{2**64}/").status_code == 404
