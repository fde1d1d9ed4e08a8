"""/api/v1/agency/: authorisations (multipart, eligibility, idempotent), agency cases and
handover receipts, village matters, commercial services; and the scope rule: a
community clerk's token gets 404 for another county's hall, authorisation and matter."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from conftest import Personas, make_staff
from shequ.agency.models import (
    AgencyCase,
    AgencyStation,
    Authorization,
    CommercialService,
    Handover,
    RemoteMatter,
    VillagePoint,
)
from shequ.agency.tests.conftest import FAMILY_PHONE, PDF, Authorize, scan
from shequ.agency.tests.test_village import BADONG, file
from shequ.orgs.actions import do_create_api_token
from shequ.orgs.models import CommunityType, OrgUnit, Role, UnitKind, User
from shequ.people.models import Resident
from shequ.services.actions import do_complete_case
from shequ.services.hall import do_create_service_hall
from shequ.services.models import Case, CaseStatus


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="api test")
    assert secret is not None
    return Client(headers={"Authorization": f"Bearer {secret}"})


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def point(catalogue: int) -> VillagePoint:
    """A village point in 巴东县 (another county than 利川市's clerk)."""
    community = (
        OrgUnit.objects.filter(
            path__startswith=OrgUnit.objects.get(code=BADONG).path,
            kind=UnitKind.COMMUNITY,
            community_type=CommunityType.RURAL,
        )
        .order_by("path")
        .first()
    )
    assert community is not None
    return VillagePoint.objects.create(
        unit=community, name=f"{community.name}便民服务点", opened_on=dt.date(2013, 1, 1)
    )


@pytest.fixture
def operator(point: VillagePoint) -> User:
    return make_staff("p_operator", (Role.CLERK, point.unit))


def test_a_clerk_of_another_county_gets_404_for_hall_authorisation_and_matter(
    personas: Personas,
    authorize: Authorize,
    point: VillagePoint,
    operator: User,
) -> None:
    hall = do_create_service_hall(personas.director, personas.guanpo)
    auth = authorize()
    matter = file(operator, point)
    urls = [
        f"/api/v1/services/halls/{hall.pk}/",
        f"/api/v1/agency/authorizations/{auth.pk}",
        f"/api/v1/agency/matters/{matter.pk}",
    ]
    outsider = token_client(personas.lichuan_clerk)
    for url in urls:
        r = outsider.get(url)
        assert r.status_code == 404, url
        assert r.json() == {"detail": "未找到,或不在您的管辖范围内。", "errors": {}}
    # in English too, in the same shape
    with translation.override("zh-hans"):  # the request's English must not outlive it
        r = outsider.get(urls[1], headers={"Accept-Language": "en"})
    assert r.status_code == 404 and set(r.json()) == {"detail", "errors"}
    assert "范围" not in r.json()["detail"]
    # the same objects for the staff whose scope they are in
    own = token_client(personas.clerk)
    assert own.get(urls[0]).status_code == own.get(urls[1]).status_code == 200
    assert token_client(operator).get(urls[2]).status_code == 200
    # and lists never show them to the outsider
    assert outsider.get("/api/v1/services/halls/").json()["count"] == 0
    assert outsider.get("/api/v1/agency/authorizations").json()["count"] == 0
    assert outsider.get(f"/api/v1/agency/points/{point.pk}/matters").status_code == 404


def test_an_authorisation_is_registered_once_with_its_scan_and_eligibility(
    personas: Personas, station: AgencyStation, agent: User, elderly: Resident, catalogue: int
) -> None:
    client = token_client(agent)
    check = client.get(f"/api/v1/agency/stations/{station.pk}/eligibility/{elderly.pk}").json()
    assert check["eligible"] and check["categories"] == ["elderly_alone"]
    form = {
        "station_id": station.pk,
        "resident_id": elderly.pk,
        "agent_id": agent.pk,
        "channel": "hotline",
        "valid_until": (timezone.localdate() + dt.timedelta(days=300)).isoformat(),
        "all_items": "true",
        "family_name": "向明(儿子)",
        "family_phone": FAMILY_PHONE,
    }
    key = {"Idempotency-Key": "auth-1"}
    first = client.post("/api/v1/agency/authorizations", {**form, "form_scan": scan()}, headers=key)
    again = client.post("/api/v1/agency/authorizations", {**form, "form_scan": scan()}, headers=key)
    assert first.status_code == again.status_code == 201, first.content
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["family_phone"] == "139****1234"  # masked, as on the page
    assert Authorization.objects.count() == 1
    assert first.json()["problem"] == ""


def test_an_ineligible_resident_is_refused_with_the_pages_message(
    personas: Personas, station: AgencyStation, agent: User, make_resident: Any, catalogue: int
) -> None:
    young = make_resident(category=None, name="李四")
    client = token_client(agent)
    check = client.get(f"/api/v1/agency/stations/{station.pk}/eligibility/{young.pk}").json()
    assert not check["eligible"] and "不属于可全程代理的人群" in check["problem"]
    r = client.post(
        "/api/v1/agency/authorizations",
        {
            "station_id": station.pk,
            "resident_id": young.pk,
            "agent_id": agent.pk,
            "channel": "station",
            "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
            "all_items": "true",
            "form_scan": scan(),
        },
    )
    assert r.status_code == 422
    assert "不属于可全程代理的人群" in r.json()["errors"]["resident"][0]
    with translation.override("zh-hans"):
        en = client.get(
            f"/api/v1/agency/stations/{station.pk}/eligibility/{young.pk}",
            headers={"Accept-Language": "en"},
        ).json()
    assert en["problem"] and "不属于" not in en["problem"]
    assert not Authorization.objects.exists()


def test_an_agency_case_its_receipt_and_completion(
    authorize: Authorize, agent: User, personas: Personas
) -> None:
    auth = authorize()
    client = token_client(agent)
    body = {"authorization_id": auth.pk, "items": ["MZ-001", "SQ-003"], "summary": "上门代办"}
    first = post(client, "/api/v1/agency/cases", body, **{"Idempotency-Key": "ac-1"})
    again = post(client, "/api/v1/agency/cases", body, **{"Idempotency-Key": "ac-1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert AgencyCase.objects.count() == 1 and Case.objects.count() == 2
    ac = first.json()
    cases = {row["item"]: row["case_id"] for row in ac["items"]}
    receipt = {
        "kind": "collect_materials",
        "from_party": "向桂英",
        "to_party": "代办员",
        "documents": ["身份证复印件", "户口簿复印件"],
        "case_id": cases["MZ-001"],
    }
    url = f"/api/v1/agency/cases/{ac['id']}/handovers"
    h1 = post(client, url, receipt, **{"Idempotency-Key": "h-1"})
    h2 = post(client, url, receipt, **{"Idempotency-Key": "h-1"})
    assert h1.status_code == h2.status_code == 201
    assert h1.json()["receipt_number"] == h2.json()["receipt_number"]
    assert Handover.objects.count() == 1
    assert post(client, url, {**receipt, "documents": []}).json()["errors"]["documents"]
    page = client.get("/api/v1/agency/cases", {"mine": "true"}).json()
    assert page["count"] == 1 and page["items"][0]["id"] == ac["id"]
    # a community item the agent completes here; the agency case waits for the other
    item_url = f"/api/v1/agency/cases/{ac['id']}/items/{{}}/complete"
    done = post(client, item_url.format(cases["SQ-003"]), {"result": "证明已开具"})
    assert done.status_code == 200, done.content
    states = {row["item"]: row["status"] for row in done.json()["items"]}
    assert states["SQ-003"] == CaseStatus.COMPLETED and done.json()["status"] == "open"
    assert post(client, item_url.format(999999), {"result": "x"}).status_code == 404
    detail = client.get(f"/api/v1/agency/cases/{ac['id']}").json()
    assert [h["kind"] for h in detail["handovers"]] == ["collect_materials"]


def test_a_village_matter_is_filed_once_and_its_result_handed_over(
    point: VillagePoint,
    operator: User,
    catalogue: int,
) -> None:
    client = token_client(operator)
    form = {"item": "MZ-002", "villager_name": "谭大山", "villager_phone": "13971801234"}
    key = {"Idempotency-Key": "m-1"}
    url = f"/api/v1/agency/points/{point.pk}/matters"
    first = client.post(url, {**form, "scan": scan("材料.pdf")}, headers=key)
    again = client.post(url, {**form, "scan": scan("材料.pdf")}, headers=key)
    assert first.status_code == again.status_code == 201, first.content
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["contact_phone"] == "139****1234"
    assert first.json()["status"] == CaseStatus.SENT_UP
    assert RemoteMatter.objects.count() == 1
    early = client.post(f"/api/v1/agency/matters/{first.json()['id']}/hand-over")
    assert early.status_code == 422 and early.json()["errors"]["case"]
    case = Case.objects.get()
    township = make_staff(
        "p_bd_township", (Role.TOWNSHIP_OFFICER, point.unit.ancestors().get(kind="township"))
    )
    do_complete_case(township, case, result="准予")
    handed = client.post(f"/api/v1/agency/matters/{first.json()['id']}/hand-over")
    assert handed.status_code == 201 and handed.json()["kind"] == "point_result"
    retried = client.post(f"/api/v1/agency/matters/{first.json()['id']}/hand-over")
    assert retried.status_code == 200 and retried.json()["id"] == handed.json()["id"]
    assert Handover.objects.filter(kind="point_result").count() == 1
    assert client.get(url).json()["items"][0]["handed_over_at"] is not None
    bad = client.post(url, {**form, "scan": scan("x.txt", b"hello", "text/plain")})
    assert bad.status_code == 422 and "scan" in bad.json()["errors"]


def test_commercial_services_are_recorded_once_and_listed_newest_first(
    point: VillagePoint,
    operator: User,
) -> None:
    client = token_client(operator)
    url = f"/api/v1/agency/points/{point.pk}/commerce"
    for key in ("c-1", "c-1", "c-2"):
        r = post(
            client, url, {"kind": "payment", "amount_yuan": "35.50"}, **{"Idempotency-Key": key}
        )
        assert r.status_code == 201
    assert CommercialService.objects.count() == 2
    page = client.get(url, {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    assert page["items"][0]["amount_yuan"] == "35.50"
    assert post(client, url, {"kind": "gift", "amount_yuan": "1"}).status_code == 422
    listed = client.get("/api/v1/agency/points").json()
    assert [p["id"] for p in listed["items"]] == [point.pk]
    assert PDF  # the scan fixture's content is a real PDF header
