"""Registering a case (登记): applicants, channels, idempotency, scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import ENSHI_CITY, Personas, ReceiveCase, unit
from shequ.orgs.crypto import cipher
from shequ.orgs.models import Event, OrgUnit
from shequ.services.actions import do_receive_case
from shequ.services.models import Case, CaseEvent, CaseStatus, ServiceItem


def test_it_registers_a_residents_request(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001", summary="家中老人无收入来源")
    assert case.status == CaseStatus.RECEIVED
    assert case.number is not None and len(case.number) == 15
    assert case.handling_unit == case.unit
    assert case.quarter_hour_due_at - case.received_at == dt.timedelta(minutes=15)
    assert case.quarter_hour_met is None
    [event] = CaseEvent.objects.filter(case=case)
    assert (event.verb, event.actor) == ("received", personas.clerk)
    audit = Event.objects.get(verb="case.received")
    assert audit.unit == case.unit


def test_a_retried_submission_returns_the_first_case(receive: ReceiveCase) -> None:
    first = receive("MZ-001", client_token="tok-123")
    again = receive("MZ-001", client_token="tok-123")
    assert again.pk == first.pk
    assert Case.objects.count() == 1


def test_a_resident_unit_applies_with_its_credit_code(receive: ReceiveCase) -> None:
    case = receive(
        "LD-007",
        applicant_kind="resident_unit",
        org_name="恩施州民族医院",
        org_credit_code="12422800MB0000187N",
        contact_name="王会计",
        contact_phone="13872700001",
    )
    assert case.applicant_name == "恩施州民族医院"
    assert case.contact_phone_masked == "138****0001"
    assert cipher().decrypt(case.contact_phone_enc) == "13872700001"


def test_a_caller_needs_name_and_phone(receive: ReceiveCase) -> None:
    case = receive(
        "XF-002",
        channel="hotline",
        applicant_kind="caller",
        contact_name="李婆婆",
        contact_phone="13972711111",
    )
    assert case.applicant_name == "李婆婆"
    with pytest.raises(ValidationError) as caught:
        receive("XF-002", channel="hotline", applicant_kind="caller", contact_name="李婆婆")
    assert "contact_phone" in caught.value.message_dict


@pytest.mark.parametrize(
    ("code", "fields", "field"),
    [
        ("LD-007", {"applicant_kind": "resident_unit", "org_name": ""}, "org_name"),
        (
            "LD-007",
            {"applicant_kind": "resident_unit", "org_name": "某公司", "org_credit_code": "123"},
            "org_credit_code",
        ),
        (
            "XF-002",
            {"applicant_kind": "caller", "contact_name": "甲", "contact_phone": "12345"},
            "contact_phone",
        ),
        ("TJ-002", {"channel": "online"}, "channel"),  # not filed online
        ("MZ-009", {"channel": "village_point"}, "channel"),  # not at village points
        ("XF-001", {"channel": "agency"}, "channel"),  # petitions are not by agency
        ("MZ-001", {"applicant_kind": "robot"}, "applicant_kind"),
    ],
)
def test_bad_input_gets_a_field_message_and_saves_nothing(
    receive: ReceiveCase, code: str, fields: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        receive(code, **fields)
    assert field in caught.value.message_dict
    assert not Case.objects.exists()


def test_staff_elsewhere_cannot_register_here(receive: ReceiveCase, personas: Personas) -> None:
    for user in (personas.lichuan_clerk, personas.outsider):
        with pytest.raises(PermissionDenied):
            receive("MZ-001", actor=user)
    assert not Case.objects.exists()


def test_a_case_is_registered_at_a_community_not_a_county(
    personas: Personas, catalogue: int, guanpo: OrgUnit
) -> None:
    with pytest.raises(ValidationError) as caught:
        do_receive_case(
            personas.county,
            unit=unit(ENSHI_CITY),
            item=ServiceItem.objects.get(code="LD-001"),
            channel="window",
            applicant_kind="caller",
            contact_name="甲",
            contact_phone="13900000000",
        )
    assert "unit" in caught.value.message_dict
