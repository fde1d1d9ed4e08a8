"""The API's hot paths keep their query counts (issue 21): a case read with a token is
two queries (the case with its scope and steps' facts, its timeline), an intake six
(the item, the idempotency key, the case, its number, the timeline entry, the audit
event), and a county officer's read costs the same however many units lie below it.

Counted after a first request, as a web process serves them: the token, its user and
posts are remembered for a few seconds (``orgs.tokencache``). The savepoints a test's
own transaction adds are not counted; in production the intake is one transaction."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import GUANPO, Personas, ReceiveCase, unit
from shequ.orgs.actions import do_create_api_token, do_end_post, do_revoke_api_token
from shequ.orgs.models import OrgUnit, Post, UnitKind, User
from shequ.services.models import Case, CaseEvent


@pytest.fixture(autouse=True)
def _no_rate_limit(settings: Any) -> None:
    settings.SHEQU_API_TOKEN_RATE_PER_MINUTE = 0  # as the HTTP benchmark measures
    settings.SHEQU_API_TOKEN_CACHE_SECONDS = 5


def token_client(user: User) -> tuple[Client, str]:
    _, secret = do_create_api_token(user, name="script")
    assert secret is not None
    return Client(headers={"Authorization": f"Bearer {secret}"}), secret


def statements(ctx: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in ctx.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def read(client: Client, case: Case) -> tuple[dict[str, Any], list[str]]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/api/v1/services/cases/{case.pk}/")
    assert response.status_code == 200, response.content
    return response.json(), statements(ctx)


def test_it_reads_a_case_with_a_token_in_two_queries(
    personas: Personas, receive: ReceiveCase
) -> None:
    case = receive("MZ-001")
    client, _ = token_client(personas.clerk)
    read(client, case)  # the process meets the token
    body, sql = read(client, case)
    assert len(sql) == 2, sql
    assert body["applicant_name"] == "向桂英"
    assert body["steps"] == ["accept", "return", "refuse"]
    assert [e["verb"] for e in body["events"]] == ["received"]


def test_it_files_a_case_with_a_token_in_six_queries(personas: Personas, catalogue: int) -> None:
    client, _ = token_client(personas.clerk)
    body = {
        "unit_id": unit(GUANPO).pk,
        "item": "LD-001",
        "channel": "window",
        "applicant_kind": "caller",
        "contact_name": "向桂英",
        "contact_phone": "13972700019",
        "summary": "就业登记",
    }

    def intake(key: str) -> tuple[Any, list[str]]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(
                "/api/v1/services/cases/",
                json.dumps(body),
                content_type="application/json",
                headers={"Idempotency-Key": key},
            )
        return response, statements(ctx)

    intake("first")
    response, sql = intake("second")
    assert response.status_code == 201, response.content
    assert len(sql) == 6, sql
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.number or "").endswith(f"{case.pk:07d}")
    assert CaseEvent.objects.filter(case=case, verb="received").count() == 1
    # a retry with the key returns the first case and creates nothing
    again, _ = intake("second")
    assert again.json()["id"] == case.pk
    assert Case.objects.filter(client_token="second").count() == 1


def test_a_county_officers_read_does_not_grow_with_the_units_below(
    personas: Personas, receive: ReceiveCase
) -> None:
    case = receive("MZ-001")
    client, _ = token_client(personas.county)
    read(client, case)
    _, before = read(client, case)
    guanpo = unit(GUANPO)
    for n in range(30):
        OrgUnit.objects.add_child(
            OrgUnit.objects.get(pk=guanpo.pk),
            create_kwargs={"name": f"新网格{n}", "kind": UnitKind.GRID},
        )
    _, after = read(client, case)
    assert len(before) == len(after) == 2, after


def test_a_revoked_token_and_an_ended_post_stop_at_once(
    personas: Personas, receive: ReceiveCase
) -> None:
    case = receive("MZ-001")
    client, _ = token_client(personas.clerk)
    assert client.get(f"/api/v1/services/cases/{case.pk}/").status_code == 200
    post = Post.objects.get(user=personas.clerk)
    do_end_post(None, post, ended_on=timezone.localdate() - dt.timedelta(days=1))
    assert client.get(f"/api/v1/services/cases/{case.pk}/").status_code == 404
    row = personas.clerk.api_tokens.get()
    do_revoke_api_token(personas.clerk, row)
    assert client.get(f"/api/v1/services/cases/{case.pk}/").status_code == 401
