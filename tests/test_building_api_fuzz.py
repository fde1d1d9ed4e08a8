"""Schemathesis against the building operations of /api/v1/openapi.json: generated
requests (a superuser's token, over a ledger entry, a 一事一议 project and a pledge, so
ids are found as well as missed) never answer 5xx and always match their schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import response_schema_conformance

from conftest import Personas
from shequ.building import actions
from shequ.building.models import FundSource, PledgeMeasure, Procedure, ProjectKind
from shequ.building.tests.conftest import _media, rural, rural_secretary  # noqa: F401 - fixtures
from shequ.orgs.actions import do_create_api_token
from shequ.orgs.models import OrgUnit, User
from shequ.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
pytestmark = [pytest.mark.fuzz]


@pytest.fixture
def token(
    personas: Personas,
    settings: Any,
    rural: OrgUnit,  # noqa: F811
    rural_secretary: User,  # noqa: F811
) -> Iterator[str]:
    settings.SHEQU_API_TOKEN_RATE_PER_MINUTE = 0
    actions.do_record_entry(
        personas.county, unit=personas.guanpo, entry_date=dt.date(2015, 1, 1), level="county",
        source="county_fund", six_bits="fiscal", kind="allocated", amount="10",
    )  # fmt: skip
    actions.do_create_project(
        rural_secretary, unit=rural, name="村道", kind=ProjectKind.ROAD,
        procedure=Procedure.CASE_BY_CASE, budget="1000",
        plan={FundSource.CASE_SELF_RAISED: "500"},
    )  # fmt: skip
    actions.do_make_pledge(
        personas.prefecture, OrgUnit.objects.get(kind="prefecture"), year=2015, title="实事",
        measure=PledgeMeasure.STANDARDS_MET, target="1",
    )  # fmt: skip
    admin = User.objects.create_superuser("fuzz", password="correct-horse-battery")
    _, secret = do_create_api_token(admin, name="schemathesis")
    assert secret is not None
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield secret
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_building_operations_never_fail_and_match_their_schema(token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    failures: dict[str, str] = {}
    exercised = 0
    for result in schema.include(path_regex="^/api/v1/building/").get_all_operations():
        if isinstance(result, Err):
            failures[f"invalid #{len(failures)}"] = str(result.err())
            continue
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=12,
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
        except Exception as error:
            failures[operation.label] = f"{type(error).__name__}: {error}"[:2000]
        exercised += 1
    assert not failures, "\n\n".join(f"{label}\n{why}" for label, why in failures.items())
    assert exercised == 10
