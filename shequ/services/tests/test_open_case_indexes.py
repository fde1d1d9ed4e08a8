"""The queue and overdue lists at scale: which cases they hold, and that their queries are
the ones the partial indexes on the work in hand (migration 0013) can serve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from conftest import Personas, ReceiveCase
from shequ.services import worklists
from shequ.services.models import Case, CaseStatus

PAST = dt.timedelta(days=3)


@pytest.fixture
def cases(receive: ReceiveCase) -> dict[str, Case]:
    """One case of 官坡社区 in each status, due three days ago, and one not yet due."""
    made = {}
    for status in CaseStatus.values:
        case = receive("MZ-001")
        Case.objects.filter(pk=case.pk).update(status=status, due_at=timezone.now() - PAST)
        made[status] = case
    later = receive("MZ-001")
    Case.objects.filter(pk=later.pk).update(
        status=CaseStatus.ACCEPTED, due_at=timezone.now() + PAST
    )
    made["later"] = later
    return made


OVERDUE = {"received", "accepted", "in_progress", "sent_up"}
OPEN = OVERDUE | {"returned", "later"}


def _listed(personas: Personas, user_name: str, view: str) -> set[int]:
    user = getattr(personas, user_name)
    response = personas.client(user).get(reverse("services:cases"), {"view": view})
    assert response.status_code == 200
    return {case.pk for case in response.context["page"].object_list}


@pytest.mark.parametrize("who", ["clerk", "county"])
def test_overdue_lists_the_running_cases_past_due_and_the_queue_every_open_one(
    cases: dict[str, Case], personas: Personas, who: str
) -> None:
    ids = {key: case.pk for key, case in cases.items()}
    overdue = {ids[key] for key in OVERDUE}
    assert set(Case.objects.overdue().values_list("pk", flat=True)) == overdue
    assert _listed(personas, who, "overdue") == overdue
    # waiting for the applicant's correction: in the queue, its clock stands
    assert _listed(personas, who, "open") == {ids[key] for key in OPEN}
    assert ids["returned"] not in overdue


def test_overdue_is_no_one_elses(cases: dict[str, Case], personas: Personas) -> None:
    assert _listed(personas, "lichuan_clerk", "overdue") == set()
    assert worklists.count_cases(
        personas.lichuan_clerk, {"overdue": worklists.CaseFilter("overdue")}
    ) == {"overdue": 0}


def _plan(queryset: QuerySet[Case, Any]) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(str(row) for row in cursor.fetchall())


@pytest.fixture
def only_partial_indexes(db: None) -> Iterator[None]:
    """The case table without its full-table indexes on status, unit and due time, so a
    plan can only use the partial ones if the query matches their condition (rolled back
    afterwards)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in _full_indexes():
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        transaction.set_rollback(True)


def _full_indexes() -> list[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Case._meta.db_table)
    columns = {"status", "unit_id", "due_at", "handling_unit_id", "received_at"}
    return [
        name
        for name, found in constraints.items()
        if found["index"]
        and not found["unique"]
        and not found["primary_key"]
        and not name.startswith(("case_open_", "case_running_"))
        and set(found["columns"]) & columns
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite uses a partial index only for literal values, and Django binds them",
)
def test_the_queue_and_overdue_queries_use_the_partial_indexes(
    cases: dict[str, Case], personas: Personas, only_partial_indexes: None
) -> None:
    now = timezone.now()
    assert "case_running_" in _plan(Case.objects.overdue(now).values("pk"))
    clerk_overdue = worklists.cases(personas.clerk, worklists.CaseFilter("overdue"), now)
    assert "case_running_unit_due_idx" in _plan(clerk_overdue.values("pk"))
    county_overdue = worklists.cases(personas.county, worklists.CaseFilter("overdue"), now)
    assert "case_running_unit_due_idx" in _plan(county_overdue.values("pk"))
    queue = worklists.cases(personas.clerk, worklists.CaseFilter("open"), now)
    assert "case_open_unit_received_idx" in _plan(queue.order_by("-received_at").values("pk"))
