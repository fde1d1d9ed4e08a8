"""/api/v1/services/ halls, windows, tickets, ratings, rectifications and appeals: read
in scope, call next at a window, rate on behalf by phone (idempotent), act on a
rectification step by step, appeal and decide."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from conftest import Personas, ReceiveCase
from shequ.orgs.actions import do_create_api_token
from shequ.orgs.models import OrgUnit, User
from shequ.services.hall import do_add_hall_window, do_create_service_hall, do_take_ticket
from shequ.services.models import Rating, Rectification, ServiceHall, ServiceItem


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="api test")
    assert secret is not None
    return Client(headers={"Authorization": f"Bearer {secret}"})


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def hall(personas: Personas, catalogue: int, guanpo: OrgUnit) -> ServiceHall:
    hall = do_create_service_hall(personas.director, guanpo)
    ld = ServiceItem.objects.get(code="LD-001").window_type
    do_add_hall_window(personas.director, hall, number=1, window_type=ld)
    return hall


def test_a_clerk_reads_the_hall_and_calls_the_next_number(
    hall: ServiceHall, personas: Personas
) -> None:
    window = hall.windows.get()
    do_take_ticket(hall, window_type=window.window_type, name="张三")
    do_take_ticket(hall, window_type=window.window_type, name="李四")
    client = token_client(personas.clerk)
    detail = client.get(f"/api/v1/services/halls/{hall.pk}/").json()
    assert detail["today"]["taken"] == 2 and detail["today"]["waiting"] == 2
    assert "device_key" not in json.dumps(detail)  # the devices' secret stays on the page
    assert [w["number"] for w in detail["windows"]] == [1]
    url = f"/api/v1/services/halls/{hall.pk}/windows/{window.pk}/"
    called = client.post(url + "call-next/").json()["ticket"]
    assert called["number"] == "A001" and called["status"] == "called"
    assert client.get(url).json()["current"]["number"] == "A001"
    assert client.post(url + "call-next/").json()["ticket"]["number"] == "A002"
    assert client.post(url + "call-next/").json()["ticket"] is None
    tickets = client.get(f"/api/v1/services/halls/{hall.pk}/tickets/").json()
    assert [t["number"] for t in tickets["items"]] == ["A001", "A002"]
    # a volunteer may read the hall but not call numbers; the rule is the console's
    r = token_client(personas.volunteer).post(url + "call-next/")
    assert r.status_code == 403 and r.json()["detail"]


def rated(receive: ReceiveCase, personas: Personas, grade: int, key: str) -> Any:
    case = receive("MZ-004", channel="window")
    client = token_client(personas.clerk)
    post(client, f"/api/v1/services/cases/{case.pk}/steps/accept/", {})
    done = post(client, f"/api/v1/services/cases/{case.pk}/steps/complete/", {"result": "已办"})
    assert done.status_code == 200, done.content
    return client, post(
        client,
        f"/api/v1/services/cases/{case.pk}/rating/",
        {"grade": grade, "comment": "电话回访"},
        **{"Idempotency-Key": key},
    )


def test_a_rating_by_phone_is_recorded_once(receive: ReceiveCase, personas: Personas) -> None:
    client, first = rated(receive, personas, 5, "r-1")
    assert first.status_code == 201 and first.json()["channel"] == "phone"
    case_id = first.json()["case_id"]
    again = post(
        client,
        f"/api/v1/services/cases/{case_id}/rating/",
        {"grade": 5},
        **{"Idempotency-Key": "r-1"},
    )
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    other = post(client, f"/api/v1/services/cases/{case_id}/rating/", {"grade": 4})
    assert other.status_code == 422 and other.json()["errors"]["grade"]
    assert Rating.objects.count() == 1
    listed = client.get("/api/v1/services/ratings/", {"grade": 5}).json()
    assert [r["id"] for r in listed["items"]] == [first.json()["id"]]
    assert (
        token_client(personas.lichuan_clerk)
        .get(f"/api/v1/services/ratings/{first.json()['id']}/")
        .status_code
        == 404
    )


def test_a_bad_rating_is_rectified_step_by_step_and_appealed(
    receive: ReceiveCase, personas: Personas
) -> None:
    client, bad = rated(receive, personas, 1, "r-2")
    assert bad.json()["rectification_id"] is not None
    rect_id = bad.json()["rectification_id"]
    page = client.get("/api/v1/services/rectifications/").json()
    assert [r["id"] for r in page["items"]] == [rect_id]
    url = f"/api/v1/services/rectifications/{rect_id}/steps/"
    assert post(client, url + "fix/", {"note": "x"}).status_code == 422  # verify first
    for step in ("verify", "fix", "reply"):
        r = post(client, url + f"{step}/", {"note": f"{step} 说明"})
        assert r.status_code == 200, r.content
    last = post(client, url + "follow_up/", {"note": "回访", "second_grade": 4})
    assert last.json()["status"] == "done" and last.json()["next_step"] is None
    assert Rectification.objects.get().second_grade == 4
    assert post(client, url + "dance/", {"note": "x"}).status_code == 404
    # the clerk appeals (a retry answers the same pending appeal), the director decides
    rating_id = bad.json()["id"]
    a1 = post(client, f"/api/v1/services/ratings/{rating_id}/appeals/", {"reason": "按错键"})
    a2 = post(client, f"/api/v1/services/ratings/{rating_id}/appeals/", {"reason": "按错键"})
    assert (a1.status_code, a2.status_code) == (201, 200)
    assert a1.json()["id"] == a2.json()["id"]
    decision = {"uphold": True, "note": "核实为误评"}
    appeal_url = f"/api/v1/services/appeals/{a1.json()['id']}/decision/"
    assert post(client, appeal_url, decision).status_code == 403  # not one's own appeal
    decided = post(token_client(personas.director), appeal_url, decision)
    assert decided.status_code == 200 and decided.json()["status"] == "upheld"
    assert client.get(f"/api/v1/services/ratings/{rating_id}/").json()["counted"] is False
