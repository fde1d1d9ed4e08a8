"""Printed papers: each notice carries the office's contacts, the clerk, signature and
seal places and a QR code to the case's public status page; print links name the
notice; an item that produces a certificate prints it once completed."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from conftest import Personas, ReceiveCase
from shequ.orgs.models import OrgUnit
from shequ.services.actions import (
    do_accept_case,
    do_complete_case,
    do_refuse_case,
    do_return_case_for_correction,
)
from shequ.services.models import Case


def _office(unit: OrgUnit) -> None:
    OrgUnit.objects.filter(pk=unit.pk).update(
        office_address="官坡社区党群服务中心一楼", office_phone="0718-8221433", office_hours=""
    )


def _notice(client: Client, case: Case, kind: str) -> str:
    response = client.get(reverse("services:case_notice", args=[case.pk, kind]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_notice_carries_the_office_the_clerk_the_seal_and_the_status_qr_code(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = receive("MZ-001")
    _office(case.unit)
    do_return_case_for_correction(personas.clerk, case, missing=["户口簿", "家庭财产申报表"])
    client = personas.client(personas.clerk)
    page = _notice(client, case, "returned")
    assert "补正材料一次性告知书" in page
    assert "官坡社区党群服务中心一楼" in page and "0718-8221433" in page
    assert personas.clerk.display_name in page
    assert "经办人(签名)" in page and "申请人(签收)" in page and "(盖章)" in page
    assert "<svg" in page
    url = re.search(r'class="status-url">([^<]+)<', page)
    assert url is not None and "/services/status/" in url.group(1)

    # the status page opens without signing in, and shows no personal numbers
    anonymous = Client()
    status = anonymous.get(url.group(1))
    assert status.status_code == 200
    text = status.content.decode()
    assert case.number is not None and case.number in text and "待补正" in text
    assert case.resident is not None
    assert case.resident.name not in text and case.resident.id_number_masked not in text
    assert anonymous.get(url.group(1)[:-3] + "xyz/").status_code == 404  # forged link


def test_print_links_name_the_notices(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001")
    do_return_case_for_correction(personas.clerk, case, missing=["户口簿"])
    do_accept_case(personas.clerk, case)
    client = personas.client(personas.clerk)
    links = client.get(case.get_absolute_url()).content.decode()
    links = links[links.index('id="print-links"') :]
    links = links[: links.index("</p>")]
    for name in ("登记回执", "受理回执", "答复时间告知书", "一次性告知书"):
        assert name in links
    assert "待补正" not in links and "已受理" not in links  # not the status
    reply = _notice(client, case, "reply")
    assert "答复时间告知书" in reply and "正式答复" in reply

    other = receive("MZ-002")
    do_refuse_case(personas.clerk, other, reason="不属于本社区", legal_basis="《办法》第三条")
    refused = _notice(client, other, "refused")
    assert "不予受理通知书" in refused and "不属于本社区" in refused
    # a notice the case does not have is not printed
    response = client.get(reverse("services:case_notice", args=[other.pk, "returned"]))
    assert response.status_code == 404


def test_a_certificate_item_prints_its_certificate_on_completion(
    receive: ReceiveCase, personas: Personas
) -> None:
    case = receive("SQ-003")  # 居住情况证明
    client = personas.client(personas.clerk)
    url = reverse("services:case_notice", args=[case.pk, "certificate"])
    assert client.get(url).status_code == 404  # not before it is completed
    do_complete_case(personas.clerk, case, result="该居民自2019年起在本社区实际居住。")
    links = client.get(case.get_absolute_url()).content.decode()
    assert f'href="{url}"' in links
    page = _notice(client, case, "certificate")
    assert "居住情况证明" in page and "兹证明" in page and "2019年起" in page
    assert "<svg" in page and "(盖章)" in page
    # an item without a certificate has none
    plain = receive("MZ-004")
    do_accept_case(personas.clerk, plain)
    do_complete_case(personas.clerk, plain, result="已发放")
    response = client.get(reverse("services:case_notice", args=[plain.pk, "certificate"]))
    assert response.status_code == 404


def test_out_of_scope_staff_cannot_print(receive: ReceiveCase, personas: Personas) -> None:
    case = receive("MZ-001")
    client = personas.client(personas.lichuan_clerk)
    response = client.get(reverse("services:case_notice", args=[case.pk, "receipt"]))
    assert response.status_code == 404
