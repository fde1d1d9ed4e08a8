"""The mediation demo: Enshi's mix (marriage and family, neighbour and forest/land
disputes 57.8 % of all) on the prefecture's figures page, every outcome, transfers,
confirmations granted and refused, advisors' logs; a re-run adds nothing."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from shequ.demo.accounts import ensure_demo_accounts
from shequ.demo.grids import ensure_demo_grids
from shequ.demo.mediation import ensure_demo_mediation
from shequ.mediation.models import Decision, DisputeStatus, MediationType, Outcome
from shequ.orgs.models import User


def test_the_mediation_demo_shows_enshis_mix(db: None) -> None:
    ensure_demo_grids()
    ensure_demo_accounts()
    assert ensure_demo_mediation() == 1000
    assert ensure_demo_mediation() == 0
    client = Client()
    client.force_login(User.objects.get(username="prefecture"))
    response = client.get("/mediation/figures/?first=2020-01-01&last=2030-12-31")
    assert response.status_code == 200
    f = response.context["f"]
    assert f.total == 1003  # the history and the three showcase disputes of 官坡社区
    assert f.top_three_share == Decimal("57.8")
    assert set(f.by_outcome) == {Outcome.AGREED, Outcome.NO_AGREEMENT, Outcome.TRANSFERRED}
    assert f.refused > 0 and f.transferred > 0 and f.prevented_criminal > 0
    assert f.confirmations_granted > 0 and f.confirmations_refused > 0
    assert set(f.advisor_activity) >= {"phone", "on_site", "lecture"}
    assert "57.8%" in response.content.decode()
    from shequ.mediation.models import Agreement, Dispute, Transfer

    statuses = set(Dispute.objects.values_list("status", flat=True))
    assert {DisputeStatus.ARCHIVED, DisputeStatus.PERFORMING, DisputeStatus.REGISTERED} <= statuses
    types = set(Transfer.objects.values_list("to_type", flat=True))
    assert {MediationType.JUDICIAL, MediationType.ADMINISTRATIVE, MediationType.PEOPLES} <= types
    assert Agreement.objects.filter(decision=Decision.REFUSED).exists()
