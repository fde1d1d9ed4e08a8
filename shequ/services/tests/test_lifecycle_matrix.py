"""Every state × step × role, against the lifecycle as the rules describe it (written out
here by hand, not read from ``services/lifecycle.py``): the case page offers exactly the
allowed steps, the API takes exactly those, and a refused step changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from conftest import ENSHI_CITY, Personas, ReceiveCase, unit
from shequ.services import lifecycle
from shequ.services.models import Case, CaseStatus

S = CaseStatus
API = "/api/v1/services/cases"
# An item of each kind: commitment sent up to the county, immediate, on-site.
ITEMS = {"commitment": "MZ-001", "immediate": "LD-001", "on_site": "XF-002"}
FRONT = {"clerk", "director", "secretary", "agent"}
ABOVE = {"township", "county", "prefecture"}  # officers over the community
ROLES = [*sorted(FRONT | ABOVE), "grid_worker", "mediator", "lichuan_clerk", "outsider"]
# The API is driven for one role of each kind of answer (front line, officer above, in
# scope without a case role, out of scope); the page and the table for every role.
API_ROLES = {"clerk", "county", "mediator", "outsider"}
# States whose steps do not depend on the kind of item are walked for one kind only.
KIND_BLIND = {S.RETURNED, S.COMPLETED, S.REFUSED, S.CLOSED}
STEPS = [s.value for s in lifecycle.Step]


def expected(status: str, kind: str, role: str, accepted_before: bool) -> set[str]:
    """The rules in words: who may take which step from which state."""
    if role in ("grid_worker", "mediator", "lichuan_clerk", "outsider"):
        return set()  # no case role over the community (or out of scope altogether)
    if status == S.SENT_UP:  # in the county's hands (MZ-001 is decided by 恩施市)
        return (
            {"complete", "extend", "return", "refuse"}
            if role in ("county", "prefecture")
            else set()
        )
    work: set[str] = {
        S.RECEIVED: {"accept", "return", "refuse"}
        | ({"complete"} if kind == "immediate" else set()),
        S.RETURNED: {"accept"} | (set() if accepted_before else {"refuse"}),
        S.ACCEPTED: {"arrive" if kind == "on_site" else "start", "return", "complete"},
        S.IN_PROGRESS: {"return", "complete"},
        S.COMPLETED: {"close"},
        S.REFUSED: {"close"},
        S.CLOSED: set(),
    }[S(status)]
    if status in (S.ACCEPTED, S.IN_PROGRESS):
        if kind == "commitment":
            work = work | {"send_up"}
        if kind != "immediate":
            work = work | {"extend"}
    return work


STATES = [
    (S.RECEIVED, False),
    (S.RETURNED, False),
    (S.RETURNED, True),
    (S.ACCEPTED, True),
    (S.IN_PROGRESS, True),
    (S.SENT_UP, True),
    (S.COMPLETED, True),
    (S.REFUSED, False),
    (S.CLOSED, True),
]


def put_in_state(case: Case, status: str, accepted_before: bool) -> Case:
    now = timezone.now()
    fields: dict[str, Any] = {"status": status}
    if accepted_before:
        fields.update(accepted_at=now, due_at=now + dt.timedelta(days=20))
    if status == S.SENT_UP:
        fields["handling_unit"] = unit(ENSHI_CITY)
    Case.objects.filter(pk=case.pk).update(**fields)
    return Case.objects.select_related("unit", "handling_unit", "item").get(pk=case.pk)


def body(step: str) -> dict[str, Any]:
    return {
        "result": "已办结",
        "reason": "材料不符合规定",
        "legal_basis": "《社会救助暂行办法》第十一条",
        "missing": ["户口簿"],
        "to_unit_id": unit(ENSHI_CITY).pk,
        "days": 3,
    }


@pytest.mark.parametrize("kind", sorted(ITEMS))
def test_the_page_and_the_api_allow_exactly_the_rules_steps(
    kind: str, personas: Personas, receive: ReceiveCase
) -> None:
    users = {role: getattr(personas, role) for role in ROLES}
    clients = {role: personas.client(user) for role, user in users.items()}
    base = receive(ITEMS[kind])
    checked = 0
    for status, accepted_before in STATES:
        if kind != "commitment" and (status == S.SENT_UP or status in KIND_BLIND):
            continue  # only an item decided above is sent up; see KIND_BLIND
        case = put_in_state(base, status, accepted_before)
        for role in ROLES:
            allowed = expected(status, kind, role, accepted_before)
            where = (kind, status, accepted_before, role)
            assert set(lifecycle.allowed_steps(case, users[role])) == allowed, where
            page = clients[role].get(f"/services/cases/{case.pk}/")
            if role in ("lichuan_clerk", "outsider", "grid_worker"):
                assert page.status_code == 404, where
            else:
                offered = {s for s in STEPS if f'id="step-{s}"' in page.text}
                assert offered == allowed, where
            for step in STEPS if role in API_ROLES else []:
                with transaction.atomic():
                    response = clients[role].post(
                        f"{API}/{case.pk}/steps/{step}/",
                        body(step),
                        content_type="application/json",
                    )
                    after = Case.objects.get(pk=case.pk)
                    if step in allowed:
                        assert response.status_code == 200, (*where, step, response.content)
                    else:
                        assert response.status_code in (403, 404, 422), (*where, step)
                        assert (after.status, after.handling_unit_id, after.due_at) == (
                            case.status,
                            case.handling_unit_id,
                            case.due_at,
                        ), (*where, step)
                    checked += 1
                    transaction.set_rollback(True)
    assert checked >= 100
