"""Discovery, GET services and GET service definition, in XML and JSON, with errors."""

from __future__ import annotations

import pytest
from django.test import Client

from shequ.open311.tests.conftest import (
    BASE,
    ENSHI,
    LICHUAN,
    PUBLIC_ITEM,
    both_formats,
    check_errors,
    spark,
    textify,
    validate,
)
from shequ.services.models import ServiceItem

pytestmark = pytest.mark.django_db

DISCOVERY_FIELDS = {"changeset", "contact", "key_service", "endpoints"}
ENDPOINT_FIELDS = {"specification", "url", "changeset", "type", "formats"}
SERVICE_FIELDS = {
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
}


@pytest.mark.parametrize("prefix", ["/open311", "/open311/v2"])
def test_discovery_in_both_formats(client: Client, prefix: str) -> None:
    as_json = client.get(f"{prefix}/discovery.json")
    as_xml = client.get(f"{prefix}/discovery.xml")
    assert as_json.status_code == as_xml.status_code == 200
    data = as_json.json()
    assert set(data) == DISCOVERY_FIELDS
    assert all(isinstance(data[k], str) and data[k] for k in DISCOVERY_FIELDS - {"endpoints"})
    [endpoint] = data["endpoints"]
    assert set(endpoint) == ENDPOINT_FIELDS
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    from xml.etree import ElementTree as ET

    tree = ET.fromstring(as_xml.content)  # noqa: S314 - our own server's answer
    assert tree.tag == "discovery"
    assert spark(tree) == textify(data)


def test_it_lists_the_public_services_of_a_county(client: Client, catalogue: int) -> None:
    data = both_formats(client, "services", "services", jurisdiction_id=ENSHI)
    validate(data, "services.json")
    assert all(set(s) == SERVICE_FIELDS for s in data)
    codes = [s["service_code"] for s in data]
    public = ServiceItem.objects.filter(public=True, active=True)
    assert sorted(codes) == sorted(public.values_list("code", flat=True))
    assert ServiceItem.objects.filter(public=False).exists()  # and those are left out
    low = next(s for s in data if s["service_code"] == PUBLIC_ITEM)
    assert low["service_name"] == "最低生活保障申请"
    assert low["metadata"] is True and low["type"] == "realtime"
    assert low["group"] == "社会救助"
    # Another county offers the same prefecture-wide catalogue.
    other = client.get(f"{BASE}/services.json", {"jurisdiction_id": LICHUAN}).json()
    assert [s["service_code"] for s in other] == codes


def test_a_service_definition_lists_materials_and_asks_which_are_ready(
    client: Client, catalogue: int
) -> None:
    data = both_formats(
        client, f"services/{PUBLIC_ITEM}", "service_definition", jurisdiction_id=ENSHI
    )
    validate(data, "service-definition.json")
    assert set(data) == {"service_code", "attributes"}
    assert data["service_code"] == PUBLIC_ITEM
    item = ServiceItem.objects.get(code=PUBLIC_ITEM)
    materials = list(item.materials.all())
    shown = [a for a in data["attributes"] if not a["variable"]]
    assert [a["description"].split(" · ")[0] for a in shown] == [m.name for m in materials]
    [ready] = [a for a in data["attributes"] if a["variable"]]
    assert ready["code"] == "materials_ready" and ready["datatype"] == "multivaluelist"
    assert [v["name"] for v in ready["values"]] == [m.name for m in materials]
    orders = [a["order"] for a in data["attributes"]]
    assert orders == list(range(1, len(orders) + 1))


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize("path", ["services", f"services/{PUBLIC_ITEM}", "requests"])
def test_jurisdiction_is_required_and_must_exist(
    client: Client, catalogue: int, fmt: str, path: str
) -> None:
    [text] = check_errors(client.get(f"{BASE}/{path}.{fmt}"), 400, fmt)
    assert "jurisdiction_id" in text
    r = client.get(f"{BASE}/{path}.{fmt}", {"jurisdiction_id": "999999"})
    assert "999999" in check_errors(r, 404, fmt)[0]
    # The prefecture is not a jurisdiction here: counties are.
    check_errors(client.get(f"{BASE}/{path}.{fmt}", {"jurisdiction_id": "422800"}), 404, fmt)


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_unknown_or_private_service_code_is_404(client: Client, catalogue: int, fmt: str) -> None:
    r = client.get(f"{BASE}/services/NOPE-1.{fmt}", {"jurisdiction_id": ENSHI})
    assert "NOPE-1" in check_errors(r, 404, fmt)[0]
    private = ServiceItem.objects.filter(public=False).first()
    assert private is not None
    r = client.get(f"{BASE}/services/{private.code}.{fmt}", {"jurisdiction_id": ENSHI})
    check_errors(r, 404, fmt)


def test_an_unknown_format_or_path_answers_in_the_spec_format(client: Client) -> None:
    check_errors(client.get(f"{BASE}/services.csv", {"jurisdiction_id": ENSHI}), 400, "xml")
    check_errors(client.get(f"{BASE}/nothing.json"), 404, "json")
    check_errors(client.get(f"{BASE}/nothing/here.xml"), 404, "xml")


def test_calls_are_rate_limited_per_address(
    client: Client, catalogue: int, settings: object
) -> None:
    import datetime as dt

    import time_machine

    settings.SHEQU_OPEN311_ADDRESS_RATE_PER_MINUTE = 2  # type: ignore[attr-defined]
    with time_machine.travel(dt.datetime(2026, 11, 27, 2, 0, 10, tzinfo=dt.UTC), tick=False):
        for _ in range(2):
            assert (
                client.get(f"{BASE}/services.json", {"jurisdiction_id": ENSHI}).status_code == 200
            )
        r = client.get(f"{BASE}/services.json", {"jurisdiction_id": ENSHI})
        check_errors(r, 429, "json")
        assert r["Retry-After"] == "50"
