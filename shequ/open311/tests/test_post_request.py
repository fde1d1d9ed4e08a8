"""POST requests: a partner's request becomes an ordinary case through do_receive_case,
once, in the right community; every error in the spec's format."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from conftest import GUANPO, WUYANG_STREET, unit
from shequ.open311.actions import do_issue_partner_key, do_revoke_partner_key
from shequ.open311.models import PartnerKey, ServiceRequest
from shequ.open311.tests.conftest import (
    BASE,
    ENSHI,
    LICHUAN,
    PUBLIC_ITEM,
    FileRequest,
    check_errors,
    spark,
    textify,
)
from shequ.orgs.models import Event, OrgUnit
from shequ.services.models import Case, ServiceItem

pytestmark = pytest.mark.django_db


def test_it_files_a_case_through_the_services_action(
    file_request: FileRequest, guanpo: OrgUnit, partner: tuple[PartnerKey, str]
) -> None:
    hukou = ServiceItem.objects.get(code=PUBLIC_ITEM).materials.get(name="户口簿")
    r = file_request(
        "json",
        account_id="wx-42",
        **{"attribute[materials_ready][]": [f"material_{hukou.pk}"]},
    )
    assert r.status_code == 200, r.content
    assert r["Content-Type"] == "application/json; charset=utf-8"
    [answer] = r.json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    assert answer["account_id"] == "wx-42"
    assert isinstance(answer["service_notice"], str)
    case = Case.objects.get(number=answer["service_request_id"])
    assert case.channel == "api" and case.applicant_kind == "caller"
    assert case.unit == guanpo and case.item.code == PUBLIC_ITEM
    assert case.contact_name == "向桂英" and case.contact_phone_masked.startswith("139")
    assert "老人独居" in case.summary and "已备材料:户口簿" in case.summary
    assert case.client_token and case.client_token.startswith("o311-")
    row = ServiceRequest.objects.get(case=case)
    assert row.partner == partner[0] and row.account_id == "wx-42"
    assert Event.objects.filter(verb="case.received", object_id=str(case.pk)).exists()
    assert Event.objects.filter(verb="open311.request_filed", unit=guanpo).exists()


def test_the_xml_answer_has_the_same_fields(file_request: FileRequest) -> None:
    from xml.etree import ElementTree as ET

    r = file_request("xml")
    assert r.status_code == 200
    assert r["Content-Type"] == "text/xml; charset=utf-8"
    tree = ET.fromstring(r.content)  # noqa: S314 - our own server's answer
    [answer] = spark(tree)
    case = Case.objects.get()
    assert answer == textify(
        {
            "service_request_id": case.number,
            "service_notice": answer["service_notice"],
            "account_id": None,
        }
    )


def test_a_resent_request_makes_no_second_case(file_request: FileRequest, client: Client) -> None:
    first = file_request().json()[0]["service_request_id"]
    again = file_request().json()[0]["service_request_id"]
    assert first == again
    assert Case.objects.count() == ServiceRequest.objects.count() == 1
    # With an Idempotency-Key the client decides what counts as the same request.
    keyed = file_request(description="第二件事")
    assert keyed.json()[0]["service_request_id"] != first
    assert Case.objects.count() == 2


def test_an_idempotency_key_header_is_honoured(
    client: Client, catalogue: int, guanpo: OrgUnit, partner: tuple[PartnerKey, str]
) -> None:
    data = {
        "api_key": partner[1],
        "jurisdiction_id": ENSHI,
        "service_code": PUBLIC_ITEM,
        "address_id": guanpo.code,
        "first_name": "桂英",
        "last_name": "向",
        "phone": "13972700019",
    }
    headers = {"Idempotency-Key": "abc-1"}
    one = client.post(f"{BASE}/requests.json", data, headers=headers).json()
    two = client.post(
        f"{BASE}/requests.json", {**data, "description": "补充"}, headers=headers
    ).json()
    assert one == two
    assert Case.objects.count() == 1


def test_it_places_a_request_by_the_community_named_in_the_address(
    file_request: FileRequest,
) -> None:
    r = file_request(address_id=None, address_string="恩施市舞阳坝街道舞阳大街社区3组")
    assert r.status_code == 200, r.content
    assert Case.objects.get().unit == unit(WUYANG_STREET)
    r = file_request(address_id=None, address_string="官坡社区", description="x")
    assert Case.objects.get(number=r.json()[0]["service_request_id"]).unit == unit(GUANPO)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_api_key_errors_are_403(
    file_request: FileRequest, partner: tuple[PartnerKey, str], fmt: str
) -> None:
    assert "api_key" in check_errors(file_request(fmt, api_key=None), 403, fmt)[0]
    check_errors(file_request(fmt, api_key="o311_wrong"), 403, fmt)
    do_revoke_partner_key(None, partner[0])
    check_errors(file_request(fmt), 403, fmt)
    assert not Case.objects.exists()


def test_a_county_key_files_only_in_its_county(file_request: FileRequest) -> None:
    lichuan = OrgUnit.objects.get(code=f"{LICHUAN}000000")
    _, key = do_issue_partner_key(None, name="利川市热线", county=lichuan)
    check_errors(file_request(api_key=key), 403, "json")
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    ("fields", "status", "needle"),
    [
        ({"jurisdiction_id": None}, 400, "jurisdiction_id"),
        ({"jurisdiction_id": "123456"}, 404, "123456"),
        ({"service_code": None}, 400, "service_code"),
        ({"service_code": "NOPE-1"}, 404, "NOPE-1"),
        ({"address_id": None}, 400, "lat"),
        ({"address_id": None, "lat": "30.29"}, 400, "long"),
        ({"address_id": None, "lat": "95", "long": "109.48"}, 400, "lat"),
        ({"address_id": None, "lat": "30.29", "long": "109.48"}, 400, "address_string"),
        ({"address_id": "422802001001"}, 404, "422802001001"),
        ({"address_id": None, "address_string": "火星"}, 400, "address_string"),
        ({"phone": "12345"}, 400, "phone"),
        ({"description": "长" * 4001}, 400, "4000"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"attribute[colour]": "red"}, 400, "colour"),
        ({"attribute[materials_ready][]": "material_0"}, 400, "material_0"),
    ],
)
def test_bad_requests_are_refused_with_the_spec_errors(
    file_request: FileRequest, fmt: str, fields: dict[str, object], status: int, needle: str
) -> None:
    descriptions = check_errors(file_request(fmt, **fields), status, fmt)
    assert any(needle in d for d in descriptions), descriptions
    assert not Case.objects.exists()


def test_a_private_item_cannot_be_filed(file_request: FileRequest) -> None:
    private = ServiceItem.objects.filter(public=False).first()
    assert private is not None
    check_errors(file_request(service_code=private.code), 404, "json")


def test_an_oversized_body_is_refused(file_request: FileRequest, settings: object) -> None:
    settings.SHEQU_OPEN311_MAX_BODY_BYTES = 4096  # type: ignore[attr-defined]
    r = file_request(media_url="https://example.org/" + "a" * 5000)
    check_errors(r, 400, "json", code=413)
    assert not Case.objects.exists()


def test_posts_are_rate_limited_per_key(file_request: FileRequest, settings: object) -> None:
    settings.SHEQU_OPEN311_KEY_RATE_PER_MINUTE = 2  # type: ignore[attr-defined]
    with time_machine.travel(dt.datetime(2026, 11, 27, 2, 0, 30, tzinfo=dt.UTC), tick=False):
        assert file_request(description="一").status_code == 200
        assert file_request(description="二").status_code == 200
        r = file_request(description="三")
        check_errors(r, 429, "json")
        assert r["Retry-After"] == "30"
    assert Case.objects.count() == 2


def test_partners_need_no_csrf_token(
    catalogue: int, guanpo: OrgUnit, partner: tuple[PartnerKey, str]
) -> None:
    r = Client(enforce_csrf_checks=True).post(
        f"{BASE}/requests.xml",
        {
            "api_key": partner[1],
            "jurisdiction_id": ENSHI,
            "service_code": PUBLIC_ITEM,
            "address_string": "恩施市舞阳坝街道官坡社区",
            "last_name": "向",
            "first_name": "桂英",
            "phone": "13972700019",
        },
    )
    assert r.status_code == 200, r.content
    assert Case.objects.get().unit == guanpo


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_filing_without_name_phone_or_email_is_anonymous(
    file_request: FileRequest, fmt: str, partner: tuple[PartnerKey, str]
) -> None:
    """Issue 11: the spec makes first_name, last_name, phone and email optional; before,
    such a filing was refused (400 "请填写来电人姓名")."""
    r = file_request(fmt, first_name=None, last_name=None, phone=None)
    assert r.status_code == 200, r.content
    case = Case.objects.get()
    assert case.contact_name.startswith("匿名") and partner[0].name in case.contact_name
    assert case.contact_phone_masked == ""
    assert "匿名诉求" in case.summary and partner[0].name in case.summary
