"""Agency papers to sign: the 授权委托书 and the handover receipt (one handover may
cover several items of an agency case)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from conftest import Personas
from shequ.agency.actions import do_open_agency_case, do_record_handover
from shequ.agency.tests.conftest import Authorize, item
from shequ.orgs.models import User
from shequ.services.models import Case


def test_the_authorisation_prints_as_a_form_to_sign(
    authorize: Authorize, agent: User, personas: Personas
) -> None:
    auth = authorize()
    client = Client()
    client.force_login(agent)
    detail = client.get(auth.get_absolute_url()).content.decode()
    url = reverse("agency:authorization_paper", args=[auth.pk])
    assert url in detail
    page = client.get(url).content.decode()
    assert "授权委托书" in page and auth.resident.name in page
    assert auth.resident.id_number_masked in page
    assert "委托人(签名或按指印)" in page and "(盖章)" in page and "<svg" in page
    assert auth.station.name in page
    outsider = Client()
    outsider.force_login(personas.lichuan_clerk)
    assert outsider.get(url).status_code == 404


def test_one_handover_covers_several_items_and_prints_its_receipt(
    authorize: Authorize, agent: User
) -> None:
    ac = do_open_agency_case(
        agent, authorization=authorize(), items=[item("MZ-004"), item("SB-005"), item("MZ-005")]
    )
    cases = list(Case.objects.filter(agency_item__agency_case=ac).order_by("pk"))
    client = Client()
    client.force_login(agent)
    response = client.post(
        ac.get_absolute_url(),
        {
            "step": "handover",
            "kind": "collect_materials",
            "cases": [cases[0].pk, cases[1].pk],
            "from_party": "向桂英",
            "to_party": "覃春兰(代办员)",
            "documents": "居民身份证\n户口簿",
        },
    )
    assert response.status_code == 302
    handover = ac.handovers.get()
    assert set(handover.cases.all()) == {cases[0], cases[1]}
    page = client.get(ac.get_absolute_url()).content.decode()
    receipt_url = reverse("agency:handover_receipt", args=[handover.pk])
    assert receipt_url in page
    receipt = client.get(receipt_url).content.decode()
    assert handover.receipt_number in receipt
    for case in cases[:2]:
        assert case.item.name in receipt
    assert cases[2].item.name not in receipt
    assert "<li>户口簿</li>" in receipt and "(盖章)" in receipt and "<svg" in receipt

    # naming no item covers them all
    whole = do_record_handover(
        agent, ac, kind="return_result", from_party="a", to_party="b", documents=["c"]
    )
    assert [c.pk for c in whole.covered_cases()] == [c.pk for c in cases]
