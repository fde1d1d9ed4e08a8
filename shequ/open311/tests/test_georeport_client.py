"""An Open311 client nobody here wrote — the ``georeport`` package from PyPI — lists
services and reads requests from a running server (pytest-django's live_server).

live_server needs a transactional database (``committed_enshi`` in the root conftest
loads the tree and the seed rows it starts without); pytest-django runs such tests last.
"""

from __future__ import annotations

from typing import Any

import requests
from georeport import GeoReport

from conftest import GUANPO, unit
from shequ.open311.actions import do_issue_partner_key
from shequ.open311.tests.conftest import ENSHI, PUBLIC_ITEM
from shequ.services.models import ServiceItem


def test_georeport_reads_services_and_requests(committed_enshi: None, live_server: Any) -> None:
    _, key = do_issue_partner_key(None, name="georeport 测试")
    root = f"{live_server.url}/open311/v2"
    posted = requests.post(
        f"{root}/requests.json",
        data={
            "api_key": key,
            "jurisdiction_id": ENSHI,
            "service_code": PUBLIC_ITEM,
            "address_id": unit(GUANPO).code,
            "first_name": "桂英",
            "last_name": "向",
            "phone": "13972700019",
            "description": "想咨询低保。",
        },
        timeout=10,
    )
    assert posted.status_code == 200, posted.text
    number = posted.json()[0]["service_request_id"]

    public = set(ServiceItem.objects.filter(public=True).values_list("code", flat=True))
    for fmt in ("json", "xml"):
        client = GeoReport(root, jurisdiction=ENSHI, output_format=fmt)
        services = client.get_service_list()
        assert {s["service_code"] for s in services} == public
        definition = client.get_service_definition(PUBLIC_ITEM)
        assert definition["service_code"] == PUBLIC_ITEM
        listed = client.get_service_requests()
        # xmltodict gives a dict, not a list, when there is one element.
        rows = listed if isinstance(listed, list) else [listed]
        assert [r["service_request_id"] for r in rows] == [number]
        one = client.get_service_request(number)
        assert one["service_request_id"] == number
        assert one["status"] == "open"
        assert one["service_code"] == PUBLIC_ITEM
        if fmt == "json":
            assert client.get_service_requests(status="closed") == []
        # (georeport 0.3.1 cannot read an empty XML list: xmltodict turns
        # <service_requests/> into None and the client subscripts it. Our answer is the
        # spec's; the limitation is the client's.)
