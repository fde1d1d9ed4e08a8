"""Agency cases: each item a services case on the agency channel, resting on a valid
authorisation; completing every item completes the agency case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import Personas
from shequ.agency.actions import (
    do_complete_agency_item,
    do_open_agency_case,
    do_revoke_authorization,
    sync_agency_cases,
)
from shequ.agency.models import AgencyCase, AgencyStatus
from shequ.agency.tests.conftest import Authorize, item
from shequ.notify.models import Message
from shequ.orgs.models import User
from shequ.services.actions import do_accept_case, do_complete_case, do_send_up_case
from shequ.services.models import Case


def test_it_files_each_item_as_a_case_on_the_agency_channel(
    authorize: Authorize, agent: User
) -> None:
    auth = authorize()
    ac = do_open_agency_case(
        agent, authorization=auth, items=[item("SB-005"), item("MZ-004")], client_token="ac-1"
    )
    cases = Case.objects.filter(agency_item__agency_case=ac)
    assert cases.count() == 2
    assert set(cases.values_list("channel", flat=True)) == {"agency"}
    assert all(c.resident_id == auth.resident_id for c in cases)
    assert do_open_agency_case(agent, authorization=auth, items=[], client_token="ac-1") == ac
    assert AgencyCase.objects.count() == 1 and Case.objects.count() == 2
    assert Message.objects.filter(kind="agency.filed").count() == 2  # resident and family


def test_an_expired_authorisation_blocks_new_agency_cases(
    authorize: Authorize, agent: User
) -> None:
    auth = authorize(valid_until=timezone.localdate() + dt.timedelta(days=10))
    with (
        time_machine.travel(timezone.now() + dt.timedelta(days=11)),
        pytest.raises(ValidationError) as exc,
    ):
        do_open_agency_case(agent, authorization=auth, items=[item("SB-005")])
    assert "已于" in exc.value.message_dict["authorization"][0]
    assert "过期" in exc.value.message_dict["authorization"][0]
    assert not AgencyCase.objects.exists() and not Case.objects.exists()


def test_a_revoked_authorisation_blocks_new_agency_cases(
    personas: Personas, authorize: Authorize, agent: User
) -> None:
    auth = authorize()
    do_revoke_authorization(personas.clerk, auth, reason="家属接回同住")
    with pytest.raises(ValidationError, match="已撤销"):
        do_open_agency_case(agent, authorization=auth, items=[item("SB-005")])
    assert not Case.objects.exists()


def test_items_outside_the_authorisation_are_refused(authorize: Authorize, agent: User) -> None:
    auth = authorize(all_items=False, items=[item("SB-005")])
    with pytest.raises(ValidationError, match="不在授权范围内"):
        do_open_agency_case(agent, authorization=auth, items=[item("SB-005"), item("MZ-004")])


def test_completing_every_item_completes_the_agency_case(
    personas: Personas, authorize: Authorize, agent: User
) -> None:
    auth = authorize()
    ac = do_open_agency_case(agent, authorization=auth, items=[item("SB-005"), item("LD-005")])
    first, second = Case.objects.filter(agency_item__agency_case=ac).order_by("pk")
    do_complete_agency_item(agent, ac, first, result="已完成养老金资格认证")
    ac.refresh_from_db()
    assert ac.status == AgencyStatus.OPEN
    do_complete_agency_item(agent, ac, second, result="已报名")
    ac.refresh_from_db()
    assert ac.status == AgencyStatus.COMPLETED and ac.completed_at is not None
    assert Message.objects.filter(kind="agency.item_completed").count() == 4
    assert Message.objects.filter(kind="agency.completed").count() == 2
    family = Message.objects.filter(kind="agency.completed", recipient__startswith="139")
    assert family.count() == 2  # both numbers are 139…: resident and family each once


def test_an_item_completed_by_the_township_settles_through_the_worker(
    personas: Personas, authorize: Authorize, agent: User
) -> None:
    auth = authorize()
    ac = do_open_agency_case(agent, authorization=auth, items=[item("MZ-002")])
    case = Case.objects.get(agency_item__agency_case=ac)
    do_accept_case(agent, case)
    do_send_up_case(agent, case, to_unit=case.unit.ancestors().get(kind="township"))
    do_complete_case(personas.township, case, result="批准临时救助 800 元")
    assert sync_agency_cases() == 1
    ac.refresh_from_db()
    assert ac.status == AgencyStatus.COMPLETED
    assert sync_agency_cases() == 0


def test_a_refused_item_is_told_as_refused_not_as_done(
    personas: Personas, authorize: Authorize, agent: User
) -> None:
    from shequ.services.actions import do_refuse_case

    auth = authorize()
    ac = do_open_agency_case(agent, authorization=auth, items=[item("MZ-004")])
    case = Case.objects.get(agency_item__agency_case=ac)
    if case.status != "received":  # filed cases are accepted on filing; refuse needs received
        Case.objects.filter(pk=case.pk).update(status="received", accepted_at=None)
        case.refresh_from_db()
    do_refuse_case(agent, case, reason="年龄未满80周岁", legal_basis="《湖北省高龄津贴发放办法》")
    assert sync_agency_cases() == 1
    refused = Message.objects.filter(kind="agency.item_refused")
    assert refused.count() == 2 and "不予受理" in refused.first().body  # type: ignore[union-attr]
    assert not Message.objects.filter(kind="agency.item_completed").exists()
