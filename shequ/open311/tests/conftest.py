"""Fixtures for the Open311 tests: the catalogue, a partner key, a way to file requests,
and a checker for the spec's JSON schemas (copied into shequ/open311/schemas/).

``jsonschema`` is not installed here, so ``validate`` reads the schema files and checks
the parts they use by hand: required fields, types, anyOf, enum, maxLength, date-time
and uri formats, and arrays of ``$ref`` items.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import Client

from shequ.open311.actions import do_issue_partner_key
from shequ.open311.models import PartnerKey
from shequ.orgs.models import OrgUnit

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
ENSHI = "422801"
LICHUAN = "422802"
PUBLIC_ITEM = "MZ-001"  # 最低生活保障申请: public, with materials
BASE = "/open311/v2"

_W3 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")
_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
    "null": lambda v: v is None,
}


def _schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / name).read_text())


def _check(value: Any, schema: dict[str, Any], where: str) -> list[str]:
    if "$ref" in schema:
        return _check(value, _schema(schema["$ref"]), where)
    if "anyOf" in schema:
        options = [_check(value, option, where) for option in schema["anyOf"]]
        return [] if any(not o for o in options) else [f"{where}: {options}"]
    problems: list[str] = []
    kind = schema.get("type")
    if kind is not None and not _TYPES[kind](value):
        return [f"{where}: {value!r} is not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if isinstance(value, str):
        if len(value) > schema.get("maxLength", len(value)):
            problems.append(f"{where}: longer than {schema['maxLength']}")
        if schema.get("format") == "date-time" and not _W3.match(value):
            problems.append(f"{where}: {value!r} is not a W3C date-time with a zone")
        if schema.get("format") == "uri" and not re.match(r"^[a-z][a-z0-9+.-]*:\S+$", value):
            problems.append(f"{where}: {value!r} is not a URI")
    if isinstance(value, list) and "items" in schema:
        for i, child in enumerate(value):
            problems += _check(child, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                problems.append(f"{where}: {name} missing")
        for name, child in value.items():
            if name in schema.get("properties", {}):
                problems += _check(child, schema["properties"][name], f"{where}.{name}")
    return problems


def validate(data: Any, schema_file: str) -> None:
    problems = _check(data, _schema(schema_file), schema_file)
    assert not problems, problems


def check_errors(response: Any, status: int, fmt: str, code: int | None = None) -> list[str]:
    """The spec's error document, in both formats; returns the descriptions."""
    assert response.status_code == status, response.content
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        data = json.loads(response.content)
    else:
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        root = ET.fromstring(response.content)  # noqa: S314 - our own server's answer
        assert root.tag == "errors"
        data = [
            {"code": int(e.findtext("code") or "0"), "description": e.findtext("description")}
            for e in root
        ]
        assert all(e.tag == "error" for e in root)
    assert isinstance(data, list) and data
    for error in data:
        assert set(error) == {"code", "description"}
        assert isinstance(error["code"], int) and isinstance(error["description"], str)
        assert error["description"]
    assert data[0]["code"] == (code or status)
    return [e["description"] for e in data]


def xml_items(content: bytes, root: str, item: str) -> list[dict[str, str]]:
    """Elements of an XML list document as dicts of their children's text."""
    tree = ET.fromstring(content)  # noqa: S314 - our own server's answer
    assert tree.tag == root
    assert all(child.tag == item for child in tree)
    return [{field.tag: field.text or "" for field in child} for child in tree]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner(db: None) -> tuple[PartnerKey, str]:
    return do_issue_partner_key(None, name="恩施市12345热线")


@pytest.fixture
def client() -> Client:
    return Client()


FileRequest = Callable[..., Any]


@pytest.fixture
def file_request(
    client: Client, catalogue: int, guanpo: OrgUnit, partner: tuple[PartnerKey, str]
) -> FileRequest:
    """POST a request to 官坡社区 with the partner's key; fields override the defaults."""

    def post(fmt: str = "json", **fields: Any) -> Any:
        data: dict[str, Any] = {
            "api_key": partner[1],
            "jurisdiction_id": ENSHI,
            "service_code": PUBLIC_ITEM,
            "address_id": guanpo.code,
            "first_name": "桂英",
            "last_name": "向",
            "phone": "13972700019",
            "description": "老人独居,想咨询低保怎么申请。",
        }
        data.update(fields)
        data = {k: v for k, v in data.items() if v is not None}
        return client.post(f"{BASE}/requests.{fmt}", data)

    return post


# The spec's containers of repeated elements (arrays in JSON, Spark convention).
CONTAINERS = {
    "services",
    "service_requests",
    "errors",
    "attributes",
    "values",
    "endpoints",
    "formats",
}


def spark(element: ET.Element) -> Any:
    """An XML document read back the Spark way, every leaf as text."""
    if element.tag in CONTAINERS:
        return [spark(child) for child in element]
    if len(element):
        return {child.tag: spark(child) for child in element}
    return element.text or ""


def textify(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: textify(v) for k, v in value.items()}
    if isinstance(value, list):
        return [textify(v) for v in value]
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def both_formats(client: Client, path: str, root: str, **params: Any) -> Any:
    """GET ``path`` as .json and .xml; checks headers, the XML declaration and root,
    that the XML says exactly what the JSON says, and returns the JSON."""
    as_json = client.get(f"{BASE}/{path}.json", params)
    as_xml = client.get(f"{BASE}/{path}.xml", params)
    assert as_json.status_code == as_xml.status_code == 200, (as_json.content, as_xml.content)
    assert as_json["Content-Type"] == "application/json; charset=utf-8"
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
    assert as_xml.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    tree = ET.fromstring(as_xml.content)  # noqa: S314 - our own server's answer
    assert tree.tag == root
    data = as_json.json()
    assert spark(tree) == textify(data)
    return data
