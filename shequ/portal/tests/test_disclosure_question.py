"""A signed-in resident questions a published disclosure on the portal's page; a
retried submission records one question; an anonymous visitor is sent to sign in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import Personas, make_staff
from shequ.governance.models import DisclosureQuestion
from shequ.governance.tests.conftest import Village, populate
from shequ.governance.tests.disclosure_helpers import (
    finance_due,
    on_calendar,
    publish,
    supervision,
)
from shequ.orgs.models import CommunityType, OrgUnit, Role
from shequ.portal.tests.conftest import sign_in_client


@pytest.fixture
def village(db: None) -> Village:
    unit = OrgUnit.objects.filter(kind="community", community_type=CommunityType.RURAL).order_by(
        "path"
    )[0]
    staff = make_staff("pd_director", (Role.DIRECTOR, unit))
    households, adults = populate(unit, 10)
    return Village(unit, staff, households, adults, adults[0], adults[1])


def test_a_resident_questions_on_the_portal(
    village: Village, personas: Personas, settings: Any
) -> None:
    settings.SHEQU_PORTAL_DEMO_CODES = True
    on_calendar(village)
    d = publish(finance_due(village, "2025Q1"), supervision(village), dt.date(2025, 4, 18))
    url = reverse("portal:disclosure", args=[village.unit.pk, d.pk])
    r = Client().post(url, {"name": "x", "text": "y"})
    assert r.status_code == 302 and not DisclosureQuestion.objects.exists()  # sign in first
    c = sign_in_client("13972700123")
    assert c.post(url, {"name": "向村民", "text": "", "client_token": "t1"}).status_code == 400
    r = c.post(url, {"name": "向村民", "text": "租金收入是哪一年的?", "client_token": "t1"})
    assert r.status_code == 302
    c.post(url, {"name": "向村民", "text": "租金收入是哪一年的?", "client_token": "t1"})  # retried
    q = DisclosureQuestion.objects.get()
    assert q.channel == "portal" and q.asker_ref.startswith("portal:")
    assert "租金收入是哪一年的" in c.get(url).content.decode()
