"""A clerk completes a case while another sends it up: exactly one wins, every time, and
a case sent up is completed only by the unit it was sent to. Two threads, two database
connections, on PostgreSQL (SQLite serialises writers, so there is no race to lose)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from conftest import ENSHI_CITY, GUANPO, make_staff, new_resident, unit
from shequ.orgs.models import Role
from shequ.services.actions import (
    do_accept_case,
    do_complete_case,
    do_receive_case,
    do_send_up_case,
)
from shequ.services.models import Case, CaseEvent, CaseStatus, ServiceItem

TRIES = 15

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a race needs concurrent writers: PostgreSQL"
    ),
]


def _race(*steps: Callable[[], object]) -> list[str]:
    """Run the steps at the same moment in threads of their own; each reports 'won' or
    the error it lost with."""
    barrier = threading.Barrier(len(steps))
    results: list[str] = [""] * len(steps)

    def run(i: int, step: Callable[[], object]) -> None:
        try:
            barrier.wait()
            step()
            results[i] = "won"
        except ValidationError as exc:
            results[i] = f"lost: {' '.join(exc.messages)}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(steps)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_send_up_and_complete_never_both_win(committed_enshi: None) -> None:
    guanpo, county = unit(GUANPO), unit(ENSHI_CITY)
    clerk = make_staff("race_clerk", (Role.CLERK, guanpo))
    other = make_staff("race_other", (Role.CLERK, guanpo))
    item = ServiceItem.objects.get(code="MZ-001")  # decided by the county
    resident = new_resident(guanpo, name="赛跑")
    outcomes = []
    for i in range(TRIES):
        case = do_receive_case(
            clerk, unit=guanpo, item=item, channel="window", applicant_kind="resident",
            resident=resident, client_token=f"race-{i}",
        )  # fmt: skip
        case = do_accept_case(clerk, case)
        first, second = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)

        def send_up(c: Case = first) -> object:
            return do_send_up_case(clerk, c, to_unit=county)

        def complete(c: Case = second) -> object:
            return do_complete_case(other, c, result="已办结")

        results = _race(send_up, complete)
        assert sorted(r == "won" for r in results) == [False, True], results
        case.refresh_from_db()
        if results[0] == "won":
            assert case.status == CaseStatus.SENT_UP and case.handling_unit_id == county.pk
            assert case.completed_at is None
        else:
            assert case.status == CaseStatus.COMPLETED and case.handling_unit_id == guanpo.pk
        verbs = list(CaseEvent.objects.filter(case=case).values_list("verb", flat=True))
        assert ("sent_up" in verbs) != ("completed" in verbs)
        outcomes.append(results[0] == "won")
    # (which one wins is up to the scheduler; that exactly one does is not)
    assert len(outcomes) == TRIES
