"""GET requests (with the spec's filters, window and limit) and GET one request."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client

from conftest import Personas, unit
from shequ.open311 import views
from shequ.open311.tests.conftest import (
    BASE,
    ENSHI,
    LICHUAN,
    PUBLIC_ITEM,
    FileRequest,
    both_formats,
    check_errors,
    validate,
)
from shequ.services.actions import (
    do_accept_case,
    do_complete_case,
    do_receive_case,
    do_send_up_case,
)
from shequ.services.models import Case, ServiceItem

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def filed(file_request: FileRequest, **fields: Any) -> Case:
    r = file_request(**fields)
    assert r.status_code == 200, r.content
    return Case.objects.get(number=r.json()[0]["service_request_id"])


def listed(client: Client, **params: Any) -> list[dict[str, Any]]:
    data = both_formats(client, "requests", "service_requests", jurisdiction_id=ENSHI, **params)
    validate(data, "requests.json")
    assert all(set(row) == REQUEST_FIELDS for row in data)
    return data


def test_it_lists_open311_requests_with_every_field(
    client: Client, file_request: FileRequest, personas: Personas
) -> None:
    case = filed(
        file_request, lat="30.2951", long="109.4826", media_url="https://example.org/p.jpg"
    )
    [row] = listed(client)
    assert row["service_request_id"] == case.number
    assert row["status"] == "open" and row["status_notes"] == "已登记"
    assert row["service_code"] == PUBLIC_ITEM and row["service_name"] == "最低生活保障申请"
    assert row["description"] == "老人独居,想咨询低保怎么申请。"
    assert row["agency_responsible"] == "官坡社区"
    assert row["requested_datetime"].endswith("+08:00")
    assert row["expected_datetime"] is None  # not accepted yet: no due date
    assert row["address_id"] == case.unit.code and row["address"] == "官坡社区"
    assert (row["lat"], row["long"]) == (30.2951, 109.4826)
    assert row["media_url"] == "https://example.org/p.jpg"
    # Accepted: the due date is the expected time; sent up: the township is responsible.
    do_accept_case(personas.clerk, case)
    case.refresh_from_db()
    [row] = listed(client)
    assert row["expected_datetime"] is not None
    assert case.due_at is not None
    assert dt.datetime.fromisoformat(row["expected_datetime"]) == case.due_at.replace(microsecond=0)
    assert row["status_notes"] == "已受理"
    assert row["updated_datetime"] >= row["requested_datetime"]
    # 低保 is decided by the county: sent up, the county is the agency responsible.
    do_send_up_case(personas.clerk, case, to_unit=unit("422801000000"))
    [row] = listed(client)
    assert row["agency_responsible"] == "恩施市" and row["status"] == "open"


def test_closed_requests_carry_the_result(
    client: Client, file_request: FileRequest, personas: Personas
) -> None:
    item = ServiceItem.objects.filter(public=True, kind="immediate", handling_level="community")[0]
    case = filed(file_request, service_code=item.code)
    do_complete_case(personas.clerk, case, result="当场开具证明。")
    [row] = listed(client, status="closed")
    assert row["status"] == "closed"
    assert row["status_notes"] == "已办结:当场开具证明。"
    assert listed(client, status="open") == []


def test_it_filters_by_id_code_status_and_dates(client: Client, file_request: FileRequest) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)):
        old = filed(file_request, description="六月")
    with time_machine.travel(dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)):
        recent = filed(file_request, description="十一月")
    with time_machine.travel(dt.datetime(2026, 11, 27, 2, 0, tzinfo=dt.UTC)):
        other_item = ServiceItem.objects.filter(public=True).exclude(code=PUBLIC_ITEM).first()
        assert other_item is not None
        third = filed(file_request, service_code=other_item.code, description="其他")
        ids = lambda rows: [r["service_request_id"] for r in rows]  # noqa: E731
        # Default: the most recent 90 days, newest first.
        assert ids(listed(client)) == [third.number, recent.number]
        assert ids(listed(client, service_code=PUBLIC_ITEM)) == [recent.number]
        assert ids(listed(client, service_code=f"{PUBLIC_ITEM},{other_item.code}")) == [
            third.number,
            recent.number,
        ]
        assert ids(listed(client, status="open")) == [third.number, recent.number]
        assert ids(listed(client, status="closed")) == []
        assert ids(listed(client, status="open,closed")) == [third.number, recent.number]
        # service_request_id overrides every other filter, the window too.
        assert ids(
            listed(client, service_request_id=f"{old.number},{recent.number}", status="closed")
        ) == [recent.number, old.number]
        june = {"start_date": "2026-05-20T00:00:00Z", "end_date": "2026-06-10T00:00:00+08:00"}
        assert ids(listed(client, **june)) == [old.number]
        assert ids(listed(client, start_date="2026-05-20T00:00:00Z")) == [old.number]
        assert ids(listed(client, end_date="2026-06-10T00:00:00Z")) == [old.number]


def test_it_returns_at_most_the_limit(
    client: Client, file_request: FileRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        filed(file_request, description=f"第{n}件")
    monkeypatch.setattr(views, "MAX_RESULTS", 2)
    assert len(listed(client)) == 2


@pytest.mark.parametrize("fmt", ["xml", "json"])
@pytest.mark.parametrize(
    ("params", "needle"),
    [
        ({"status": "pending"}, "status"),
        ({"start_date": "2026-01-01"}, "start_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"}, "90"),
        ({"start_date": "2026-06-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, "end_date"),
    ],
)
def test_bad_filters_are_400(
    client: Client, catalogue: int, fmt: str, params: dict[str, str], needle: str
) -> None:
    r = client.get(f"{BASE}/requests.{fmt}", {"jurisdiction_id": ENSHI, **params})
    assert needle in check_errors(r, 400, fmt)[0]


def test_only_open311_requests_of_the_county_are_public(
    client: Client, file_request: FileRequest, personas: Personas, guanpo: Any
) -> None:
    """Cases registered at a window are never published, nor another county's."""
    mine = filed(file_request)
    do_receive_case(
        personas.clerk,
        unit=guanpo,
        item=ServiceItem.objects.get(code=PUBLIC_ITEM),
        channel="window",
        applicant_kind="caller",
        contact_name="谭先生",
        contact_phone="13972700001",
        summary="窗口来访",
    )
    assert [r["service_request_id"] for r in listed(client)] == [mine.number]
    elsewhere = client.get(f"{BASE}/requests.json", {"jurisdiction_id": LICHUAN}).json()
    assert elsewhere == []
    r = client.get(f"{BASE}/requests/{mine.number}.json", {"jurisdiction_id": LICHUAN})
    check_errors(r, 404, "json")


def test_it_shows_one_request(client: Client, file_request: FileRequest) -> None:
    case = filed(file_request)
    data = both_formats(
        client, f"requests/{case.number}", "service_requests", jurisdiction_id=ENSHI
    )
    validate(data, "requests.json")
    [row] = data
    assert set(row) == REQUEST_FIELDS and row["service_request_id"] == case.number


@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_an_unknown_request_is_404(client: Client, catalogue: int, fmt: str) -> None:
    r = client.get(f"{BASE}/requests/202601010000001.{fmt}", {"jurisdiction_id": ENSHI})
    assert "202601010000001" in check_errors(r, 404, fmt)[0]
    check_errors(client.get(f"{BASE}/requests/202601010000001.{fmt}"), 400, fmt)


def test_listing_costs_the_same_queries_for_one_request_or_many(
    client: Client, file_request: FileRequest, django_assert_max_num_queries: Any
) -> None:
    """The per-address rate counter (one upsert in the shared database cache, issue 11),
    the county, then the requests with their cases, items and units in one query."""
    filed(file_request, description="一")
    with django_assert_max_num_queries(3):
        client.get(f"{BASE}/requests.json", {"jurisdiction_id": ENSHI})
    for n in range(4):
        filed(file_request, description=f"又{n}")
    with django_assert_max_num_queries(3):
        rows = client.get(f"{BASE}/requests.json", {"jurisdiction_id": ENSHI}).json()
    assert len(rows) == 5


def test_the_service_list_costs_a_fixed_number_of_queries(
    client: Client, catalogue: int, django_assert_max_num_queries: Any
) -> None:
    # One of them the per-address rate counter in the shared database cache (issue 11).
    with django_assert_max_num_queries(4):
        assert client.get(f"{BASE}/services.json", {"jurisdiction_id": ENSHI}).status_code == 200
