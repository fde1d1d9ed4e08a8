"""Find things fast: the item picker filters by name, code and pinyin initials; the case
list searches by case number, applicant name or ID number (an ID search is the
registry's lookup: in a POST body, logged, throttled)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse

from conftest import Personas, ReceiveCase, new_id_number, new_resident
from shequ.orgs.crypto import cipher
from shequ.orgs.models import Event
from shequ.people.models import Resident
from shequ.services.models import ServiceItem


def test_each_item_option_carries_its_code_name_and_pinyin_initials(
    personas: Personas, catalogue: int
) -> None:
    page = personas.client(personas.clerk).get(reverse("services:case_new"))
    assert page.status_code == 200
    select = re.search(r'<select name="item"[^>]*>.*?</select>', page.text, re.S)
    assert select is not None and "data-typeahead" in select.group(0)
    options = dict(re.findall(r'value="([A-Z]{2}-\d{3})" data-search="([^"]+)"', select.group(0)))
    assert options["MZ-001"] == "mz-001 最低生活保障申请 zdshbzsq"
    assert len(options) == ServiceItem.objects.filter(active=True).count()  # a plain select
    assert "services/typeahead.js" in page.text


def _search(client: Client, q: str) -> Any:
    return client.post(reverse("services:cases"), {"q": q}, follow=True)


def test_the_case_list_finds_by_number_name_and_initials(
    receive: ReceiveCase, personas: Personas, resident: Resident
) -> None:
    mine = receive("MZ-001")
    other = new_resident(personas.grid, name="田大军")
    theirs = receive("LD-001", resident=other)
    client = personas.client(personas.clerk)
    assert mine.number is not None
    for q, expected in (
        (mine.number, [mine]),
        (mine.number[:8], [theirs, mine]),
        ("向桂", [mine]),
        ("tdj", [theirs]),
    ):
        response = _search(client, q)
        assert response.status_code == 200, q
        assert [c.pk for c in response.context["page"]] == [c.pk for c in expected], q
    # a name search is a GET (pageable, bookmarkable)
    assert client.post(reverse("services:cases"), {"q": "向桂"}).status_code == 302


def test_an_id_search_stays_in_the_body_is_logged_and_throttled(
    receive: ReceiveCase, personas: Personas, resident: Resident
) -> None:
    case = receive("MZ-001")
    number = cipher().decrypt(resident.id_number_enc)
    client = personas.client(personas.clerk)
    response = client.post(reverse("services:cases"), {"q": number})
    assert response.status_code == 200
    assert [c.pk for c in response.context["page"]] == [case.pk]
    assert number not in response.text  # not echoed back
    assert response["Cache-Control"] == "no-store"
    event = Event.objects.get(verb="resident.looked_up")
    assert (event.actor, event.object_id) == (personas.clerk, str(resident.pk))
    # in a URL it is refused, and nothing is looked up
    refused = client.get(reverse("services:cases"), {"q": number})
    assert refused.status_code == 400
    assert str(case.number) not in refused.text
    assert Event.objects.filter(verb="resident.looked_up").count() == 1
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        codes = [
            client.post(reverse("services:cases"), {"q": new_id_number()}).status_code
            for _ in range(40)
        ]
    assert codes[-1] == 429 and codes.count(200) == 30


def test_an_id_search_does_not_reach_beyond_scope(
    receive: ReceiveCase, personas: Personas, resident: Resident
) -> None:
    receive("MZ-001")
    number = cipher().decrypt(resident.id_number_enc)
    response = personas.client(personas.lichuan_clerk).post(
        reverse("services:cases"), {"q": number}
    )
    assert response.status_code == 200
    assert list(response.context["page"]) == []
