"""The cases API: create with an Idempotency-Key, steps, scope, field errors."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from conftest import GUANPO, Personas, ReceiveCase, unit
from shequ.people.models import Resident
from shequ.services.models import Case, CaseStatus


def post(client: Client, url: str, body: dict[str, object], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_create_is_idempotent(personas: Personas, catalogue: int, resident: Resident) -> None:
    client = personas.client(personas.clerk)
    body = {
        "unit_id": unit(GUANPO).pk,
        "item": "MZ-004",
        "channel": "agency",
        "applicant_kind": "resident",
        "resident_id": resident.pk,
    }
    first = post(client, "/api/v1/services/cases/", body, **{"Idempotency-Key": "k-1"})
    again = post(client, "/api/v1/services/cases/", body, **{"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["applicant_name"] == "向桂英"
    assert Case.objects.count() == 1


def test_bad_input_is_422_with_field_messages(personas: Personas, catalogue: int) -> None:
    client = personas.client(personas.clerk)
    body = {"unit_id": unit(GUANPO).pk, "item": "LD-007", "applicant_kind": "resident_unit"}
    response = post(client, "/api/v1/services/cases/", body)
    assert response.status_code == 422
    assert "org_name" in response.json()["errors"]
    body["item"] = "NOPE"
    assert post(client, "/api/v1/services/cases/", body).status_code == 422
    assert not Case.objects.exists()


def test_steps_and_a_lost_race(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001")
    client = personas.client(personas.clerk)
    url = f"/api/v1/services/cases/{case.pk}/steps/"
    response = post(client, url + "accept/", {})
    assert response.status_code == 200
    assert response.json()["status"] == CaseStatus.ACCEPTED
    again = post(client, url + "accept/", {})
    assert again.status_code == 422
    assert "status" in again.json()["errors"]
    assert post(client, url + "fly/", {}).status_code == 404
    detail = client.get(f"/api/v1/services/cases/{case.pk}/").json()
    assert [e["verb"] for e in detail["events"]] == ["received", "accepted"]


def test_out_of_scope_is_404(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001")
    client = personas.client(personas.lichuan_clerk)
    assert client.get(f"/api/v1/services/cases/{case.pk}/").status_code == 404
    assert post(client, f"/api/v1/services/cases/{case.pk}/steps/accept/", {}).status_code == 404
    assert client.get("/api/v1/services/cases/").json()["count"] == 0
    assert Client().get("/api/v1/services/cases/").status_code == 401


def test_a_page_out_of_range_is_422(personas: Personas) -> None:
    client = personas.client(personas.clerk)
    for page in ("0", "995894630461278208"):
        response = client.get("/api/v1/services/cases/", {"page": page})
        assert response.status_code == 422
    assert client.get("/api/v1/services/cases/", {"page": "2"}).status_code == 200


def test_the_api_registers_cases_for_the_same_roles_as_the_page(
    personas: Personas, catalogue: int
) -> None:
    """Issue 11, item 8: one rule (``services.access.may_receive_case``). Failed before:
    county and township officers got 201 from the API and 403 from the page."""
    body = {
        "unit_id": unit(GUANPO).pk,
        "item": "MZ-004",
        "applicant_kind": "caller",
        "contact_name": "向女士",
        "contact_phone": "13972700002",
    }
    for officer in (personas.township, personas.county):
        client = personas.client(officer)
        assert client.get("/services/cases/new/").status_code == 403
        refused = post(client, "/api/v1/services/cases/", body)
        assert refused.status_code == 403 and set(refused.json()) == {"detail", "errors"}
    assert not Case.objects.exists()
    clerk = personas.client(personas.clerk)
    assert clerk.get("/services/cases/new/").status_code == 200
    assert post(clerk, "/api/v1/services/cases/", body).status_code == 201
