"""Schemathesis against /api/v1/openapi.json, through the WSGI app: for every operation
of the schema a bounded, derandomized number of generated requests (with a superuser's
Bearer token, over a hall, a station with an authorisation, a village point with a
matter and a commercial service, so that ids are found as well as missed); none may
answer 5xx, and every answer must match its documented schema. The test counts the
operations it exercised and fails unless that is every operation of the schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import Personas, new_resident
from shequ.agency.actions import (
    do_file_remote_matter,
    do_record_commercial_service,
    do_register_authorization,
)
from shequ.agency.models import AgencyStation, StationKind, VillagePoint
from shequ.orgs.actions import do_create_api_token
from shequ.orgs.models import Post, User
from shequ.services.catalogue import ensure_catalogue
from shequ.services.hall import do_add_hall_window, do_create_service_hall, do_take_ticket
from shequ.services.models import ServiceItem
from shequ.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

pytestmark = [pytest.mark.fuzz]

METHODS = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}
EXAMPLES_PER_OPERATION = 12

# Found by this test: a huge ``page`` (e.g. 995894630461278208) overflowed the database's
# OFFSET and answered 500 on /people/residents and /services/cases/; both are bounded
# now (422), the fuzzer generates such pages freely, and the test at the end keeps it so.

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _world(personas: Personas) -> None:
    """Something to find behind the ids the fuzzer tries (1, 2, … are likely)."""
    ensure_catalogue()
    hall = do_create_service_hall(personas.director, personas.guanpo)
    ld = ServiceItem.objects.get(code="LD-001").window_type
    do_add_hall_window(personas.director, hall, number=1, window_type=ld)
    do_take_ticket(hall, window_type=ld, name="张三")
    agent = personas.agent
    station = AgencyStation.objects.create(
        unit=personas.guanpo, kind=StationKind.CENTRAL, name="官坡社区全程代理中心站"
    )
    station.agents.set(Post.objects.filter(user=agent))
    elderly = new_resident(personas.grid, name="向桂英", category="elderly_alone")
    do_register_authorization(
        agent,
        station=station,
        resident=elderly,
        agent=agent,
        channel="hotline",
        valid_until=timezone.localdate() + dt.timedelta(days=300),
        form_scan=SimpleUploadedFile("form.pdf", PDF, content_type="application/pdf"),
        all_items=True,
    )
    point = VillagePoint.objects.create(
        unit=personas.guanpo, name="官坡社区便民服务点", opened_on=dt.date(2013, 1, 1)
    )
    do_file_remote_matter(
        personas.clerk,
        point,
        item=ServiceItem.objects.get(code="MZ-002"),
        scan=SimpleUploadedFile("m.pdf", PDF, content_type="application/pdf"),
        villager_name="谭大山",
        villager_phone="13971801234",
    )
    do_record_commercial_service(personas.clerk, point, kind="payment", amount_yuan="12.50")


@pytest.fixture
def token(personas: Personas, settings: Any, tmp_path: Any) -> Iterator[str]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SHEQU_API_TOKEN_RATE_PER_MINUTE = 0  # the fuzzer is not an abuser
    _world(personas)
    admin = User.objects.create_superuser("fuzz", password="correct-horse-battery")
    _, secret = do_create_api_token(admin, name="schemathesis")
    assert secret is not None
    # Called as a bare WSGI app, Django would close the test's connection at the end of
    # each request (PostgreSQL then fails the next query); the test client avoids it
    # the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield secret
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _operations_in_schema() -> int:
    paths = schema.raw_schema["paths"]
    return sum(1 for item in paths.values() for method in item if method in METHODS)


def test_every_operation_never_fails_and_matches_its_schema(token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    exercised: list[str] = []
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        if isinstance(result, Err):  # an operation schemathesis cannot read is a failure
            failures[f"invalid schema #{len(failures)}"] = str(result.err())
            continue
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def exercise(case: Any) -> None:
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )

        try:
            exercise()
        except Exception as error:  # every operation's failure is reported, not the first
            failures[operation.label] = f"{type(error).__name__}: {error}"[:2000]
        exercised.append(operation.label)
    assert not failures, "\n\n".join(f"{label}\n{why}" for label, why in failures.items())
    assert len(set(exercised)) == len(exercised) == _operations_in_schema() >= 50


def test_a_huge_page_number_is_refused_not_a_500(token: str) -> None:
    from django.test import Client

    paths = ["/api/v1/people/residents", "/api/v1/services/cases/", "/api/v1/agency/points"]
    for path in paths:
        r = Client(raise_request_exception=False).get(
            path, {"page": "995894630461278208"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert r.status_code == 422, path


# Found by the fuzzer on PostgreSQL: a NUL character (or a lone surrogate) in JSON text
# reached the database, which refused it with a 500. The API now answers 422.
@pytest.mark.parametrize("bad", ["a\x00b", "\udabf"])
def test_text_the_database_cannot_store_is_refused_not_a_500(token: str, bad: str) -> None:
    import json

    from django.test import Client

    client = Client(raise_request_exception=False)
    auth = {"Authorization": f"Bearer {token}"}
    body = json.dumps({"summary": bad, "item": bad, "channel": "window", "unit_id": 1})
    r = client.post("/api/v1/services/cases/", body, content_type="application/json", headers=auth)
    assert r.status_code == 400  # like any body that does not parse
    assert "detail" in r.json()
    if "\x00" in bad:  # a query string cannot carry a lone surrogate
        r = client.get("/api/v1/people/residents", {"q": bad}, headers=auth)
        assert r.status_code == 400
