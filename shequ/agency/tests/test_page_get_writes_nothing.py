"""Opening an agency case's page writes nothing. It used to settle the case on every GET,
outside a transaction: when an item had been completed elsewhere it committed "told" and
then failed to queue the messages, so the page answered 500 and the resident and the
family never heard. Now only the worker settles, in one transaction per case, and a
failure leaves the case to be settled on the next loop."""

from __future__ import annotations

import pytest

from conftest import Personas
from shequ.agency import actions
from shequ.agency.actions import do_open_agency_case, sync_agency_cases
from shequ.agency.models import AgencyItem, AgencyStatus
from shequ.agency.tests.conftest import Authorize, item
from shequ.notify.models import Message
from shequ.orgs.models import User
from shequ.services.actions import do_accept_case, do_complete_case, do_send_up_case
from shequ.services.models import Case


def _broken_outbox(*args: object, **kwargs: object) -> None:
    raise RuntimeError("outbox unavailable")


@pytest.mark.django_db(transaction=True)
def test_the_page_settles_nothing_and_the_worker_retries_until_the_messages_are_queued(
    committed_enshi: None,
    personas: Personas,
    authorize: Authorize,
    agent: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    auth = authorize()
    ac = do_open_agency_case(agent, authorization=auth, items=[item("MZ-002")])
    case = Case.objects.get(agency_item__agency_case=ac)
    do_accept_case(agent, case)
    do_send_up_case(agent, case, to_unit=case.unit.ancestors().get(kind="township"))
    do_complete_case(personas.township, case, result="批准临时救助 800 元")  # elsewhere
    told = Message.objects.filter(kind__in=["agency.item_completed", "agency.completed"])

    with monkeypatch.context() as patch:
        patch.setattr(actions, "enqueue", _broken_outbox)
        page = personas.client(agent).get(f"/agency/cases/{ac.pk}/")
        assert page.status_code == 200
        assert "全部事项已办结" in page.text  # shown from the items, before the worker runs
        row = AgencyItem.objects.get(agency_case=ac)
        assert row.completion_told_at is None  # the GET committed nothing
        assert sync_agency_cases() == 0  # logged, left for the next loop
        row.refresh_from_db()
        assert row.completion_told_at is None  # rolled back with the failed messages
        ac.refresh_from_db()
        assert ac.status == AgencyStatus.OPEN and not told.exists()

    assert sync_agency_cases() == 1  # the next loop settles it, messages and all
    row.refresh_from_db()
    ac.refresh_from_db()
    assert row.completion_told_at is not None and ac.status == AgencyStatus.COMPLETED
    assert told.filter(kind="agency.item_completed").count() == 2  # resident and family
    assert told.filter(kind="agency.completed").count() == 2
    assert sync_agency_cases() == 0
