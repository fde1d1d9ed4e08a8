"""Issue 11, item 3: an exact ID number or phone lookup writes an event, is throttled per
user and travels in a POST body, on the pages and in the API. Fails before issue 11:
lookups were silent, unlimited GETs with the full number in the URL (the API's until
after the first privacy pass)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.urls import reverse

from conftest import Personas
from shequ.orgs.models import Event
from shequ.people.tests.conftest import MakeResident, new_id_number

pytestmark = pytest.mark.django_db


def test_a_lookup_leaves_an_event_found_or_not(
    personas: Personas, make_resident: MakeResident
) -> None:
    number = new_id_number()
    r = make_resident(name="向阳", id_number=number)
    c = personas.client(personas.clerk)
    page = c.post(reverse("people:residents"), {"q": number})
    assert page.status_code == 200 and "向阳" in page.content.decode()
    assert number not in page.content.decode()  # not echoed back
    assert page["Cache-Control"] == "no-store"
    event = Event.objects.get(verb="resident.looked_up")
    assert (event.actor, event.object_id, event.unit) == (personas.clerk, str(r.pk), r.unit)
    assert event.after == {"field": "id_number", "matched": 1}
    assert number not in str(event.after) + event.object_repr
    c.post(reverse("people:residents"), {"q": "139 0000 1111"})
    miss = Event.objects.filter(verb="resident.looked_up").latest("pk")
    assert miss.after == {"field": "phone", "matched": 0}
    assert miss.object_type == "orgs.user"


def test_a_lookup_in_a_url_is_refused(personas: Personas, make_resident: MakeResident) -> None:
    number = new_id_number()
    make_resident(name="向阳", id_number=number)
    c = personas.client(personas.clerk)
    page = c.get(reverse("people:residents"), {"q": number})
    assert page.status_code == 400 and "向阳" not in page.content.decode()
    # the refusal does not carry the number on (the language switch's return path) or
    # leave it in a cache
    assert number not in page.content.decode() and page["Cache-Control"] == "no-store"
    assert not Event.objects.filter(verb="resident.looked_up").exists()
    # A name search is a GET again, so it can be paged and bookmarked.
    assert c.post(reverse("people:residents"), {"q": "向阳"}).status_code == 302


def test_200_lookups_in_a_minute_are_refused(
    personas: Personas, make_resident: MakeResident
) -> None:
    make_resident()
    c = personas.client(personas.clerk)
    # Within one minute (the limit's fixed window).
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        codes = [
            c.post(reverse("people:residents"), {"q": new_id_number()}).status_code
            for _ in range(200)
        ]
        assert codes.count(200) == 30 and codes[-1] == 429
        assert Event.objects.filter(verb="resident.looked_up").count() == 30
        api = c.post(
            "/api/v1/people/residents/lookup",
            json.dumps({"q": new_id_number()}),
            content_type="application/json",
        )
        assert api.status_code == 429 and set(api.json()) == {"detail", "errors"}
        # Another user is not affected.
        other = personas.client(personas.agent)
        assert other.post(reverse("people:residents"), {"q": new_id_number()}).status_code == 200


def test_the_api_takes_a_lookup_in_the_body_and_refuses_it_in_the_url(
    personas: Personas, make_resident: MakeResident
) -> None:
    number = new_id_number()
    r = make_resident(name="向阳", id_number=number)
    c = personas.client(personas.clerk)
    in_url = c.get("/api/v1/people/residents", {"q": number})
    assert in_url.status_code == 422 and "q" in in_url.json()["errors"]
    assert "向阳" not in in_url.content.decode()
    assert not Event.objects.filter(verb="resident.looked_up").exists()
    found = c.post(
        "/api/v1/people/residents/lookup",
        json.dumps({"q": number}),
        content_type="application/json",
    )
    assert found.status_code == 200, found.content
    assert [row["id"] for row in found.json()["items"]] == [r.pk]
    assert number not in found.content.decode()  # masked as everywhere
    event = Event.objects.get(verb="resident.looked_up")
    assert (event.actor, event.object_id) == (personas.clerk, str(r.pk))
    assert event.after == {"field": "id_number", "matched": 1}
    # A name still searches by GET, and the body's search is the list's.
    assert c.get("/api/v1/people/residents", {"q": "向阳"}).json()["count"] == 1
    by_name = c.post(
        "/api/v1/people/residents/lookup",
        json.dumps({"q": "向阳"}),
        content_type="application/json",
    )
    assert by_name.json()["count"] == 1
    assert Event.objects.filter(verb="resident.looked_up").count() == 1
