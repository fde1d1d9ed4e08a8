"""The demo's cases load through the real actions, and only once."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import GUANPO, unit
from shequ.demo.accounts import ensure_demo_accounts
from shequ.demo.cases import ensure_demo_cases
from shequ.demo.grids import ensure_demo_grids
from shequ.lib.idcard import make_id_number
from shequ.notify.models import Message
from shequ.people.actions import do_register_resident
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import Case, CaseStatus


@pytest.mark.django_db
def test_the_demo_cases_show_every_stage() -> None:
    ensure_demo_grids()
    ensure_demo_accounts()
    ensure_catalogue()
    for n in range(1, 4):
        do_register_resident(
            None,
            unit=unit(GUANPO),
            name=f"演示居民{n}",
            id_number=make_id_number("422801", dt.date(1948, 1, n), 2 * n),
            phone=f"1397270010{n}",
        )
    assert ensure_demo_cases() == 10
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {
        CaseStatus.RECEIVED,
        CaseStatus.ACCEPTED,
        CaseStatus.RETURNED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.SENT_UP,
        CaseStatus.COMPLETED,
        CaseStatus.REFUSED,
        CaseStatus.CLOSED,
    } <= statuses
    assert Message.objects.filter(kind="case.returned").exists()
    assert ensure_demo_cases() == 0
    assert Case.objects.count() == 10
