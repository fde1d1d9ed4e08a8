"""The demo files a few Open311 requests through the real action, once."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import make_staff
from shequ.demo.open311 import ensure_demo_open311
from shequ.open311.tests.conftest import BASE, ENSHI, validate
from shequ.orgs.models import OrgUnit, Role
from shequ.services.models import Case

pytestmark = pytest.mark.django_db


def test_the_demo_files_requests_once(client: Client, catalogue: int, guanpo: OrgUnit) -> None:
    make_staff("clerk", (Role.CLERK, guanpo))
    assert ensure_demo_open311() == 3
    assert ensure_demo_open311() == 0
    assert Case.objects.filter(channel="api", unit=guanpo).count() == 3
    rows = client.get(f"{BASE}/requests.json", {"jurisdiction_id": ENSHI}).json()
    validate(rows, "requests.json")
    assert len(rows) == 3
    assert sum(1 for r in rows if r["expected_datetime"]) == 1
