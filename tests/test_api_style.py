"""Every router of /api/v1/ in one style, read off the OpenAPI schema: each operation
documents the shared error shape for 401/403/404/422, each create (an operation
answering 201) takes an ``Idempotency-Key`` header, each list answers a page; and the
errors themselves come in that one shape, in Chinese or English."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from conftest import Personas
from shequ.api import api
from shequ.orgs.actions import do_create_api_token

ERROR = "#/components/schemas/ErrorOut"

# Routers written before the shared shapes (``orgs.apiauth``) landed on main; their
# owners move them over (import ``ErrorOut``, ``answers``, ``PageIn``/``paginate``,
# ``IdempotencyKey``), then take them off this list — the last test says when.
NOT_YET_IN_STYLE: frozenset[str] = frozenset()


@functools.cache
def _schema() -> dict[str, Any]:
    """The schema as clients read it (JSON: status codes are strings)."""
    return dict(json.loads(json.dumps(api.get_openapi_schema())))


def _app(op: dict[str, Any]) -> str:
    return str(op["operationId"]).split("_", 1)[0]


def _operations(*, every: bool = False) -> list[tuple[str, str, dict[str, Any]]]:
    paths = _schema()["paths"]
    return [
        (path, method, op)
        for path, item in paths.items()
        for method, op in item.items()
        if every or _app(op) not in NOT_YET_IN_STYLE
    ]


def _undocumented_errors(ops: list[tuple[str, str, dict[str, Any]]]) -> list[str]:
    return [
        f"{method.upper()} {path} {code}"
        for path, method, op in ops
        if op.get("security") != [] and "/services/items/" not in path  # the public catalogue
        for code in ("401", "403", "404", "422")
        if code not in op["responses"] or _schema_ref(op["responses"][code]) != ERROR
    ]


def _creates_without_key(ops: list[tuple[str, str, dict[str, Any]]]) -> list[str]:
    return [
        f"{m.upper()} {p}"
        for p, m, op in ops
        if "201" in op["responses"]
        and not any(
            prm["in"] == "header" and prm["name"] == "Idempotency-Key"
            for prm in op.get("parameters", [])
        )
    ]


def _schema_ref(answer: dict[str, Any]) -> str:
    return str(answer["content"]["application/json"]["schema"].get("$ref", ""))


def test_every_operation_documents_the_one_error_shape() -> None:
    assert any("/services/items/" in p for p, _, _ in _operations())  # public, no 401
    assert not _undocumented_errors(_operations())


def test_every_create_takes_an_idempotency_key() -> None:
    assert len([op for _, _, op in _operations() if "201" in op["responses"]]) >= 10
    assert not _creates_without_key(_operations())


def test_every_list_is_a_page() -> None:
    schemas = _schema()["components"]["schemas"]
    pages = [name for name in schemas if name.endswith("Page") and name not in _PAGES_NOT_YET]
    assert len(pages) >= 15
    for name in pages:
        assert {"count", "page", "page_size", "items"} <= set(schemas[name]["properties"]), name


# The pages of the routers not yet in style.
_PAGES_NOT_YET: frozenset[str] = frozenset()


def test_the_list_of_routers_not_yet_in_style_is_current() -> None:
    """A router taken into the style comes off the list; an unknown name is a typo."""
    apps = {_app(op) for _, _, op in _operations(every=True)}
    assert apps >= NOT_YET_IN_STYLE
    for app in sorted(NOT_YET_IN_STYLE):
        ops = [o for o in _operations(every=True) if _app(o[2]) == app]
        assert _undocumented_errors(ops) or _creates_without_key(ops), (
            f"{app}'s router follows the style now: take it off NOT_YET_IN_STYLE"
        )


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


def test_no_two_schemas_share_a_title() -> None:
    """openapi-python-client names its classes after the titles and drops a second
    model of one name (and every answer that used it)."""
    titles = [c.get("title") for c in _schema()["components"]["schemas"].values()]
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)
