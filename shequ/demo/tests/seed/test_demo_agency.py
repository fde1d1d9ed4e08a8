"""The Badong figures, from the demo data, through the county page's own code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client

from shequ.agency.figures import village_figures
from shequ.demo.agency import BADONG, ensure_demo_agency
from shequ.orgs.models import OrgUnit, User
from shequ.services.models import Case


def test_the_badong_demo_reproduces_the_seed_figures_on_the_county_page(
    db: None, seed_demo: dict[str, int]
) -> None:
    assert seed_demo["agency"] == 125 * 30  # the package's demo (conftest.py)
    assert ensure_demo_agency() == 0  # a re-run adds nothing
    # the platform's village matters are filed for villagers of the registry
    matters = Case.objects.filter(channel="village_point")
    assert matters.count() == 3
    assert not matters.exclude(applicant_kind="resident").exists()
    client = Client()
    client.force_login(User.objects.get(username="county"))  # 恩施市: Badong is out of scope
    badong = OrgUnit.objects.get(code=BADONG)
    assert client.get(f"/agency/figures/?unit={badong.pk}").status_code == 404
    client.force_login(User.objects.get(username="prefecture"))
    response = client.get(f"/agency/figures/?unit={badong.pk}&first=2013-01-01")
    assert response.status_code == 200
    f = response.context["figures"]
    assert f.points == 125 and f.points_with_fibre == 125
    assert f.matters_accepted == 10_013
    assert f.completion_rate == Decimal("100.0")
    assert f.commercial_services == 63_000
    assert f.money_saved_wan == Decimal("470.00")
    page = response.content.decode()
    for text in ("10013", "100.0%", "63000", "470.00"):
        assert text in page
    # the same function for a period: 2013 alone is part of it
    y2013 = village_figures(badong, dt.date(2013, 1, 1), dt.date(2013, 12, 31))
    assert 0 < y2013.matters_accepted < 10_013
