"""The resident's page shows their agency authorisations (a panel agency renders)."""

from __future__ import annotations

from django.urls import reverse

from conftest import Personas
from shequ.agency.actions import do_revoke_authorization
from shequ.agency.tests.conftest import Authorize
from shequ.people.models import Resident


def test_it_lists_the_residents_authorisations_in_force_first(
    authorize: Authorize, personas: Personas, elderly: Resident, agent: object
) -> None:
    old = authorize()
    do_revoke_authorization(agent, old, reason="家属接回照料")  # type: ignore[arg-type]
    current = authorize()
    url = reverse("agency:resident_authorizations", args=[elderly.pk])
    client = personas.client(personas.clerk)
    panel = client.get(url, headers={"HX-Request": "true"})
    assert panel.status_code == 200
    assert "<html" not in panel.text
    text = panel.text
    assert text.index(current.get_absolute_url()) < text.index(old.get_absolute_url())
    assert "已撤销" in text and "官坡社区全程代理中心站" in text
    # and a new one, its form's picker prefilled with the resident
    assert f"{reverse('agency:authorization_new')}?resident={elderly.pk}" in text
    assert url in client.get(elderly.get_absolute_url()).text


def test_another_countys_clerk_gets_404(
    authorize: Authorize, personas: Personas, elderly: Resident
) -> None:
    authorize()
    url = reverse("agency:resident_authorizations", args=[elderly.pk])
    assert personas.client(personas.lichuan_clerk).get(url).status_code == 404
