"""The API's hot paths keep their query counts (issue 21): a case read with a token is
two queries (the case with what its answer and steps read, its timeline), an intake six
(the item, the idempotency key, the case, its number, the timeline entry, the audit
event), and a county officer's read costs the same however many units lie below it.

Counted after a first request, as a web process serves them: the token, its user and
posts are remembered for a few seconds (``orgs.tokencache``). The savepoints a test's
own transaction adds are not counted; in production the intake is one transaction."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import GUANPO, WUYANGBA, Personas, ReceiveCase, unit
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


def test_the_reads_scope_check_is_the_case_lists_rule(
    personas: Personas, receive: ReceiveCase
) -> None:
    """The read checks the scope on the row it loaded by primary key; for every persona
    it finds exactly the cases the case list (``cases_for_user``) finds, a case sent up
    included (the township sees it, another county's clerk does not)."""
    from django.http import Http404

    from shequ.services import access
    from shequ.services.actions import do_accept_case, do_receive_case, do_send_up_case
    from shequ.services.models import ServiceItem

    ours = receive("MZ-001")
    sent = receive("MZ-002")  # 临时救助: decided by the township
    do_accept_case(personas.clerk, sent)
    do_send_up_case(personas.clerk, sent, to_unit=unit(WUYANGBA))
    theirs = do_receive_case(
        personas.lichuan_clerk, unit=personas.lichuan_clerk.posts.get().unit,
        item=ServiceItem.objects.get(code="MZ-001"), channel="window",
        applicant_kind="caller", contact_name="谭先生", contact_phone="13972700019",
    )  # fmt: skip
    cases = [ours, sent, theirs]
    seen: dict[str, set[int]] = {}
    for name in ("clerk", "director", "grid_worker", "township", "county", "prefecture",
                 "lichuan_clerk", "outsider"):  # fmt: skip
        user = User.objects.get(pk=getattr(personas, name).pk)
        listed = set(access.cases_for_user(user).filter(pk__in=[c.pk for c in cases]))
        shown = set()
        for case in cases:
            with contextlib.suppress(Http404):
                shown.add(access.get_case_to_show(user, case.pk))
        assert {c.pk for c in shown} == {c.pk for c in listed}, name
        seen[name] = {c.pk for c in listed}
    assert seen["clerk"] == seen["township"] == {ours.pk, sent.pk}
    assert seen["lichuan_clerk"] == {theirs.pk} and seen["outsider"] == set()
