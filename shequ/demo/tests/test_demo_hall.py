"""The demo hall and its history: rankings with something to say, loaded only once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import ENSHI_CITY, GUANPO, unit
from shequ.demo.accounts import ensure_demo_accounts
from shequ.demo.cases import ensure_demo_cases
from shequ.demo.grids import ensure_demo_grids
from shequ.demo.hall import (
    HISTORY_TOKEN,
    ensure_demo_hall,
    ensure_demo_history,
    ensure_demo_ratings,
)
from shequ.insights import rates
from shequ.lib.idcard import make_id_number
from shequ.orgs.models import Event
from shequ.people.actions import do_register_resident
from shequ.services.catalogue import ensure_catalogue
from shequ.services.models import (
    AppealStatus,
    Case,
    RatingAppeal,
    Rectification,
    ServiceItem,
    Ticket,
)


@pytest.mark.django_db
def test_the_demo_hall_history_ranks_the_townships() -> None:
    ensure_demo_grids()
    ensure_demo_accounts()
    ensure_catalogue()
    do_register_resident(
        None,
        unit=unit(GUANPO),
        name="演示居民",
        id_number=make_id_number("422801", dt.date(1948, 1, 1), 2),
        phone="13972700101",
    )
    ensure_demo_cases()
    hall = ensure_demo_hall()
    # the seed's ten windows, so every catalogue item has a queue in the hall
    assert hall.windows.count() == 10
    served = set(hall.windows.values_list("window_type_id", flat=True))
    assert not ServiceItem.objects.filter(active=True).exclude(window_type__in=served).exists()
    assert ensure_demo_hall().windows.count() == 10  # a re-run adds no window
    guanpo = unit(GUANPO)
    assert guanpo.office_phone and guanpo.office_address and guanpo.office_hours
    township = guanpo.parent_unit()
    assert township is not None and township.office_phone
    assert ensure_demo_ratings() == 2
    assert Rectification.objects.filter(rating__case__client_token="demo-case-10").exists()
    assert ensure_demo_history(hall) > 0
    assert Ticket.objects.filter(hall=hall).exists()
    assert Rectification.objects.filter(status="done").exists()
    assert Rectification.objects.overdue().exists()
    assert RatingAppeal.objects.filter(status=AppealStatus.UPHELD).exists()
    month = rates.month_start(timezone.localdate() - dt.timedelta(days=31))
    ranked = rates.ranking(unit(ENSHI_CITY), month)
    composites = {round(r.composite, 3) for r in ranked if r.composite is not None}
    assert len(composites) > 3  # the ranking separates the townships
    assert ensure_demo_history(hall) == 0 and ensure_demo_ratings() == 0

    # the history's cases carry the timeline real work writes, and the audit events
    history = Case.objects.filter(client_token__startswith=f"{HISTORY_TOKEN}-")
    assert history.count() > 0
    assert not history.exclude(events__verb="received").exists()
    assert not history.filter(status="closed").exclude(events__verb="completed").exists()
    assert not history.filter(status="closed").exclude(events__verb="closed").exists()
    breached = history.filter(quarter_hour_met=False)
    assert breached.exists()
    assert not breached.exclude(events__verb="quarter_hour_breached").exists()
    assert not history.filter(rating__isnull=False).exclude(events__verb="rated").exists()
    assert Event.objects.filter(verb="case.received", object_type="services.case").count() >= (
        history.count()
    )
    # due dates from the calendar (end of a working day), not calendar days × 7/5
    commitment = history.filter(item__kind="on_site").first()
    assert commitment is not None and commitment.due_at is not None
    assert timezone.localtime(commitment.due_at).time() == dt.time(23, 59, 59)
