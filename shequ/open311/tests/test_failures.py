"""No stack trace ever: an unexpected failure answers in the spec's format (Open311) or
JSON (/api/), DEBUG or not."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory

from shequ.open311 import access
from shequ.open311.tests.conftest import BASE, ENSHI, check_errors
from shequ.open311.views import server_error

pytestmark = pytest.mark.django_db


def boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("secret internals")


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_open311_failure_is_a_spec_error_without_a_trace(
    client: Client, monkeypatch: pytest.MonkeyPatch, settings: object, debug: bool, fmt: str
) -> None:
    settings.DEBUG = debug  # type: ignore[attr-defined]
    monkeypatch.setattr(access, "services_for", boom)
    r = client.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": ENSHI})
    check_errors(r, 500, fmt)
    assert b"secret internals" not in r.content and b"Traceback" not in r.content


def test_the_500_handler_answers_per_area(rf: RequestFactory) -> None:
    r = server_error(rf.get("/open311/v2/services.json"))
    check_errors(r, 500, "json")
    r = server_error(rf.get("/open311/v2/services.xml"))
    check_errors(r, 500, "xml")
    r = server_error(rf.get("/api/v1/services/cases/"))
    assert r.status_code == 500 and r["Content-Type"] == "application/json"
    assert "detail" in json.loads(r.content)


@pytest.mark.parametrize("debug", [False, True])
def test_an_api_failure_is_json_without_a_trace(
    monkeypatch: pytest.MonkeyPatch, settings: object, debug: bool
) -> None:
    from shequ.services import access as services_access

    settings.DEBUG = debug  # type: ignore[attr-defined]
    monkeypatch.setattr(services_access, "items_for_user", boom)
    r = Client(raise_request_exception=False).get("/api/v1/services/items/")
    assert r.status_code == 500
    assert set(r.json()) == {"detail"}
    assert b"secret internals" not in r.content and b"Traceback" not in r.content
