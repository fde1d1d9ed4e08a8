from __future__ import annotations

from django.test import Client


def test_the_api_lists_the_catalogue(catalogue: int) -> None:
    response = Client().get("/api/v1/services/items/")
    assert response.status_code == 200
    body = response.json()
    assert len(body) == catalogue
    first = next(i for i in body if i["code"] == "MZ-001")
    assert first["window_type"] == "civil_affairs"
    assert first["kind"] == "commitment"
    assert first["legal_limit_days"] == 30


def test_the_api_filters(catalogue: int) -> None:
    body = Client().get("/api/v1/services/items/", {"kind": "immediate"}).json()
    assert body
    assert {i["kind"] for i in body} == {"immediate"}
    body = Client().get("/api/v1/services/items/", {"window_type": "petition"}).json()
    assert {i["code"] for i in body} == {"XF-001", "XF-002"}


def test_the_api_shows_one_guide(catalogue: int) -> None:
    body = Client().get("/api/v1/services/items/MZ-001/").json()
    assert body["name"] == "最低生活保障申请"
    assert {"name": "残疾证、病历等致贫原因证明", "requirement": "deferrable", "note": ""} in body[
        "materials"
    ]
    assert "办理流程" in body["guide"]
    assert Client().get("/api/v1/services/items/NOPE/").status_code == 404
