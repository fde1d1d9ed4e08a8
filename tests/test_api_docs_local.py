"""Issue 11, item 12: /api/v1/docs loads Swagger UI from the platform's own static files,
under its own CSP. Fails before issue 11: the page pointed at cdn.jsdelivr.net."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from conftest import Personas

pytestmark = pytest.mark.django_db


def test_the_api_docs_use_vendored_files(personas: Personas) -> None:
    page = personas.client(personas.clerk).get("/api/v1/docs")
    assert page.status_code == 200
    text = page.content.decode()
    assert "cdn." not in text and "https://" not in text
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', text)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert finders.find(asset), asset
    csp = page.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp
