"""The workbench of those who decide: community leads (breaches, extensions and appeals to
decide, rectifications due) and township and county officers (what was sent up to them,
village matters, the month's three rates of their units)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import WUYANGBA, Personas, ReceiveCase, make_staff, unit
from shequ.insights.rates import refresh_rate_rollups
from shequ.orgs.models import Role
from shequ.services.actions import (
    do_accept_case,
    do_complete_case,
    do_request_case_extension,
    do_send_up_case,
    mark_quarter_hour_breaches,
)
from shequ.services.models import Rectification
from shequ.services.ratings import do_appeal_rating, do_rate_case
from shequ.workbench.tests.conftest import assert_tiles_match_their_lists, panels, tiles


def test_it_shows_the_leads_what_they_decide(personas: Personas, receive: ReceiveCase) -> None:
    breached = receive("MZ-001")
    mark_quarter_hour_breaches(now=timezone.now() + dt.timedelta(hours=1))
    slow = receive("MZ-001")
    do_accept_case(personas.clerk, slow)
    do_request_case_extension(personas.clerk, slow, days=3, reason="需入户复核")
    rated = []
    for _ in range(2):
        case = do_complete_case(personas.clerk, receive("LD-001"), result="已办理")
        rated.append(do_rate_case(None, case, channel="pad", grade=1))
    do_appeal_rating(personas.clerk, rated[0], reason="误按")
    Rectification.objects.filter(rating=rated[1]).update(
        due_at=timezone.now() - dt.timedelta(days=1)
    )
    for lead in (personas.director, personas.secretary):
        client = personas.client(lead)
        found = tiles(client)
        assert found["breach"].count == 1
        assert f"month={breached.received_at:%Y-%m}" in found["breach"].url
        assert found["extension"].count == 1
        assert found["appeal"].count == 1
        assert found["rect_open"].count == 2 and found["rect_overdue"].count == 1
        assert found["rect_overdue"].alert == "danger"
        assert_tiles_match_their_lists(lead, client)


def test_it_shows_the_township_what_was_sent_up_and_its_three_rates(
    personas: Personas, receive: ReceiveCase
) -> None:
    township = unit(WUYANGBA)
    for channel in ("window", "village_point"):
        case = receive("MZ-002", channel=channel)
        do_accept_case(personas.clerk, case)
        do_send_up_case(personas.clerk, case, to_unit=township)
    receive("MZ-001")  # stays in the community: not the township's to do
    refresh_rate_rollups()
    client = personas.client(personas.township)
    found = tiles(client)
    assert found["mine"].count == 2 and found["village"].count == 1
    assert "channel=village_point" in found["village"].url
    assert_tiles_match_their_lists(personas.township, client)

    [panel] = panels(client)
    assert panel.rates is not None and panel.rates.rates.cases == 3
    assert panel.month == timezone.localdate().replace(day=1)
    guanpo = next(line for line in panel.ranking if line.rates.unit == personas.guanpo)
    assert guanpo.small  # 3 cases: below the ranking threshold
    # each rate opens the cases behind it
    behind = client.get(panel.rates.links["response"])
    assert behind.context["page"].paginator.count == 3
    assert client.get(guanpo.links["resolution"]).status_code == 200
    page = client.get("/workbench/").text
    assert "本月未结束" in page
    assert 'id="officer-dashboard"' in page  # the officers' charts


def test_a_user_with_several_posts_sees_the_tiles_of_each(
    personas: Personas, receive: ReceiveCase
) -> None:
    both = make_staff(
        "p_clerk_and_director", (Role.CLERK, personas.guanpo), (Role.DIRECTOR, personas.guanpo)
    )
    receive("MZ-001")
    client = personas.client(both)
    assert sorted(p.post.role for p in panels(client)) == [Role.CLERK, Role.DIRECTOR]
    assert tiles(client, Role.CLERK)["today"].count == 1
    assert "appeal" in tiles(client, Role.DIRECTOR)


def _queries(client: object) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/workbench/")  # type: ignore[attr-defined]
        assert response.status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_cases(
    personas: Personas, receive: ReceiveCase
) -> None:
    township = unit(WUYANGBA)

    def add(n: int) -> None:
        for i in range(n):
            case = receive("MZ-002" if i % 2 else "MZ-001")
            if i % 2:
                do_accept_case(personas.clerk, case)
                do_send_up_case(personas.clerk, case, to_unit=township)
        refresh_rate_rollups()

    users = [personas.clerk, personas.director, personas.township, personas.county]
    clients = [personas.client(u) for u in users]
    add(5)
    few = [_queries(c) for c in clients]
    add(45)
    many = [_queries(c) for c in clients]
    assert many == few
