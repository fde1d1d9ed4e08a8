"""The front line's workbench: the clerk's queue, countdowns and hall; the grid worker's
calls and patrol reports; the agent's caseload. Each tile counts what its list shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import Personas, ReceiveCase, new_resident
from shequ.agency.actions import do_open_agency_case, do_register_authorization
from shequ.agency.models import AgencyStation, StationKind
from shequ.orgs.models import Post
from shequ.people.models import Resident
from shequ.services.actions import do_accept_case, do_receive_case
from shequ.services.hall import do_add_hall_window, do_create_service_hall, do_take_ticket
from shequ.services.models import Case, ServiceItem
from shequ.workbench.tests.conftest import assert_tiles_match_their_lists, panels, tiles


def test_it_shows_the_clerk_their_window_community_queue_and_hall(
    personas: Personas, receive: ReceiveCase
) -> None:
    item = ServiceItem.objects.get(code="MZ-001")
    hall = do_create_service_hall(personas.director, personas.guanpo)
    post = Post.objects.get(user=personas.clerk)
    do_add_hall_window(personas.director, hall, number=3, window_type=item.window_type, post=post)
    other = ServiceItem.objects.exclude(window_type=item.window_type).filter(kind="immediate")[0]
    do_add_hall_window(personas.director, hall, number=4, window_type=other.window_type)
    for name, window_type in (("甲", item.window_type), ("乙", item.window_type)):
        do_take_ticket(hall, window_type=window_type, name=name)
    do_take_ticket(hall, window_type=other.window_type, name="丙")
    mine = [receive("MZ-001") for _ in range(3)]
    elsewhere = receive(other.code)
    late = mine[0]
    do_accept_case(personas.clerk, late)
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    today = mine[1]
    do_accept_case(personas.clerk, today)
    Case.objects.filter(pk=today.pk).update(due_at=timezone.now() + dt.timedelta(minutes=5))

    client = personas.client(personas.clerk)
    found = tiles(client)
    assert found["window"].count == 3  # the item of their window, not the other one
    assert found["mine"].count == 4 and found["today"].count == 4
    assert found["quarter_hour"].count == 4 - 2  # accepting settles the quarter hour
    assert found["due_today"].count == 1 and found["overdue"].count == 1
    assert found["overdue"].alert == "danger"
    assert found["hall_window"].count == 2 and found["hall"].count == 3
    window = hall.windows.get(number=3)
    assert found["hall_window"].url == f"/services/halls/{hall.pk}/windows/{window.pk}/"
    assert_tiles_match_their_lists(personas.clerk, client)

    page = client.get("/workbench/").text
    assert 'href="/services/cases/new/"' in page  # one click to register a case
    # the live countdowns: a deadline for the script to count down from
    [panel] = panels(client)
    assert [c.pk for c in panel.countdowns] == [mine[2].pk, elsewhere.pk]  # soonest first
    for case in panel.countdowns:
        assert f'data-deadline="{timezone.localtime(case.quarter_hour_due_at).isoformat()}"' in page


def test_it_shows_the_grid_worker_calls_to_answer_and_patrol_reports(
    personas: Personas, catalogue: int, resident: Resident
) -> None:
    item = ServiceItem.objects.filter(kind="on_site").first() or ServiceItem.objects.get(
        code="MZ-001"
    )
    for channel in ("hotline", "patrol", "patrol"):
        do_receive_case(
            personas.grid_worker,
            unit=personas.grid,
            item=item,
            channel=channel,
            applicant_kind="resident",
            resident=resident,
        )
    client = personas.client(personas.grid_worker)
    found = tiles(client)
    assert found["quarter_hour"].count == 3
    assert found["patrol"].count == 2 and found["patrol_today"].count == 2
    assert "channel=patrol" in found["patrol"].url
    assert_tiles_match_their_lists(personas.grid_worker, client)
    assert "/services/cases/new/" in client.get("/workbench/").text


def test_it_shows_the_agent_caseload_what_waits_on_whom_and_expiring_authorisations(
    personas: Personas, catalogue: int, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    agent = personas.agent
    station = AgencyStation.objects.create(
        unit=personas.guanpo, kind=StationKind.CENTRAL, name="官坡社区全程代理中心站"
    )
    station.agents.set(Post.objects.filter(user=agent))
    auths = []
    for days in (10, 200):
        elderly = new_resident(
            personas.grid, name="向桂英", birth=dt.date(1942, 3, 8), category="elderly_alone"
        )
        auths.append(
            do_register_authorization(
                agent,
                station=station,
                agent=agent,
                resident=elderly,
                channel="hotline",
                all_items=True,
                valid_until=timezone.localdate() + dt.timedelta(days=days),
                form_scan=SimpleUploadedFile("f.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
            )
        )
    items = list(ServiceItem.objects.filter(agency_allowed=True, kind="commitment")[:2])
    do_open_agency_case(agent, authorization=auths[0], items=items)
    client = personas.client(agent)
    found = tiles(client)
    assert found["agency_cases"].count == 1
    assert found["wait_community"].count == 2 and found["wait_me"].count == 0
    assert found["expiring"].count == 1 and found["expiring"].alert == "warning"
    assert_tiles_match_their_lists(agent, client)
    expiring = client.get(found["expiring"].url)
    assert [a.pk for a in expiring.context["authorizations"]] == [auths[0].pk]
