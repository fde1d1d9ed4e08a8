"""Every handover of documents is a receipt: who gave what to whom, when."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import Personas
from shequ.agency.actions import do_open_agency_case, do_record_handover
from shequ.agency.models import Handover
from shequ.agency.tests.conftest import Authorize, item
from shequ.notify.models import Message
from shequ.orgs.models import User
from shequ.services.models import Case


def test_every_handover_has_a_receipt(
    authorize: Authorize, agent: User, personas: Personas
) -> None:
    ac = do_open_agency_case(agent, authorization=authorize(), items=[item("MZ-004")])
    case = Case.objects.get()
    steps = [
        ("collect_materials", "向桂英", "覃春兰(代办员)", ["居民身份证", "户口簿"]),
        ("submit_materials", "覃春兰(代办员)", "民政窗口", ["居民身份证复印件", "户口簿复印件"]),
        ("collect_result", "民政窗口", "覃春兰(代办员)", ["高龄津贴核定通知"]),
        ("return_result", "覃春兰(代办员)", "向桂英", ["高龄津贴核定通知", "居民身份证"]),
    ]
    for n, (kind, giver, taker, docs) in enumerate(steps):
        do_record_handover(
            agent,
            ac,
            kind=kind,
            from_party=giver,
            to_party=taker,
            documents=docs,
            case=case,
            client_token=f"h-{n}",
        )
    do_record_handover(
        agent,
        ac,
        kind="collect_materials",
        from_party="x",
        to_party="y",
        documents=["z"],
        client_token="h-0",
    )  # a retry
    receipts = list(Handover.objects.filter(agency_case=ac))
    assert len(receipts) == 4
    assert len({h.receipt_number for h in receipts}) == 4
    assert all(
        h.receipt_number.startswith("JJ") and h.at and h.recorded_by == agent for h in receipts
    )
    assert [h.documents for h in receipts] == [s[3] for s in steps]
    assert Message.objects.filter(kind="agency.handover").count() == 8
    with pytest.raises(ValidationError) as exc:
        do_record_handover(
            agent, ac, kind="collect_materials", from_party="", to_party="", documents=[]
        )
    assert set(exc.value.message_dict) == {"documents", "from_party", "to_party"}
    with pytest.raises(PermissionDenied):
        do_record_handover(
            personas.lichuan_clerk,
            ac,
            kind="collect_materials",
            from_party="a",
            to_party="b",
            documents=["c"],
        )
