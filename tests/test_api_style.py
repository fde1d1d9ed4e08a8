"""Every router of /api/v1/ in one style, read off the OpenAPI schema: each operation
documents the shared error shape for 401/403/404/422, each create (an operation
answering 201) takes an ``Idempotency-Key`` header, each list answers a page; and the
errors themselves come in that one shape, in Chinese or English."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from conftest import Personas
from shequ.api import api
from shequ.orgs.actions import do_create_api_token

ERROR = "#/components/schemas/ErrorOut"


def _schema() -> dict[str, Any]:
    """The schema as clients read it (JSON: status codes are strings)."""
    return dict(json.loads(json.dumps(api.get_openapi_schema())))


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    paths = _schema()["paths"]
    return [(path, method, op) for path, item in paths.items() for method, op in item.items()]


def _schema_ref(answer: dict[str, Any]) -> str:
    return str(answer["content"]["application/json"]["schema"].get("$ref", ""))


def test_every_operation_documents_the_one_error_shape() -> None:
    missing = [
        f"{method.upper()} {path} {code}"
        for path, method, op in _operations()
        if op.get("security") != []  # the public catalogue needs no credentials
        for code in ("401", "403", "404", "422")
        if code not in op["responses"] or _schema_ref(op["responses"][code]) != ERROR
    ]
    public = [p for p, _, op in _operations() if "/services/items/" in p]
    assert public  # the catalogue is there, and public
    assert not [m for m in missing if "/services/items/" not in m], missing


def test_every_create_takes_an_idempotency_key() -> None:
    creates = [(p, m, op) for p, m, op in _operations() if "201" in op["responses"]]
    assert len(creates) >= 10
    without = [
        f"{m.upper()} {p}"
        for p, m, op in creates
        if not any(
            prm["in"] == "header" and prm["name"] == "Idempotency-Key"
            for prm in op.get("parameters", [])
        )
    ]
    assert not without, without


def test_every_list_is_a_page() -> None:
    schemas = _schema()["components"]["schemas"]
    pages = [name for name in schemas if name.endswith("Page")]
    assert len(pages) >= 15
    for name in pages:
        assert {"count", "page", "page_size", "items"} <= set(schemas[name]["properties"]), name


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("zh-hans", "请登录,或在请求头中提供有效的接口令牌。"),
        ("en", "Sign in, or send a valid API token"),
    ],
)
def test_no_credentials_is_401_in_the_shape_in_either_language(
    db: None, language: str, detail: str
) -> None:
    with translation.override("zh-hans"):  # the request's language must not outlive it
        r = Client().get("/api/v1/agency/points", headers={"Accept-Language": language})
    assert r.status_code == 401
    assert set(r.json()) == {"detail", "errors"} and r.json()["detail"].startswith(detail)


def test_bad_input_is_422_with_fields_in_the_shape(personas: Personas) -> None:
    _, secret = do_create_api_token(personas.director, name="style")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    r = client.post(
        "/api/v1/orgs/posts", json.dumps({"unit_id": "x"}), content_type="application/json"
    )
    assert r.status_code == 422 and set(r.json()) == {"detail", "errors"}
    assert isinstance(r.json()["errors"], dict) and r.json()["errors"]
    page = client.get("/api/v1/orgs/units", {"page_size": 500})
    assert page.status_code == 422 and "page_size" in json.dumps(page.json()["errors"])
