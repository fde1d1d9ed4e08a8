"""Open311 documents in XML and in JSON (the Spark convention: the XML without its root
element, every container of repeated elements an array, empty elements null)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

FORMATS = {"xml": "text/xml; charset=utf-8", "json": "application/json; charset=utf-8"}
# The element name of each repeated child, by its container.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def w3(value: dt.datetime | None) -> str | None:
    """W3C date-time with the offset, in the server's zone: 2026-11-27T09:30:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, list):
        for child in value:
            _fill(element, ITEM_TAGS[name], child)
    elif isinstance(value, dict):
        for key, child in value.items():
            _fill(element, key, child)
    else:
        element.text = _text(value)


def to_xml(root: str, data: list[Any] | dict[str, Any]) -> bytes:
    element = ET.Element(root)
    if isinstance(data, list):
        for child in data:
            _fill(element, ITEM_TAGS[root], child)
    else:
        for key, child in data.items():
            _fill(element, key, child)
    body = ET.tostring(element, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()


def respond(
    fmt: str, root: str, data: list[Any] | dict[str, Any], status: int = 200
) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False).encode() if fmt == "json" else to_xml(root, data)
    return HttpResponse(body, status=status, content_type=FORMATS.get(fmt, FORMATS["xml"]))


def errors(fmt: str, status: int, *problems: tuple[int, str]) -> HttpResponse:
    """The spec's error document; ``problems`` are (code, description) pairs."""
    data = [{"code": code, "description": description} for code, description in problems]
    return respond(fmt if fmt in FORMATS else "xml", "errors", data, status=status)
