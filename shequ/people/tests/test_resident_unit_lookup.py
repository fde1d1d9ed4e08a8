"""Issue 11, item 3, for resident units: a lookup by the contact's mobile writes an event,
is throttled per user (one budget with resident lookups) and travels in a POST body, on
the page and in the API. Fails before: the mobile was a silent, unlimited GET, in the URL.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from conftest import Personas
from shequ.orgs.models import Event
from shequ.people.tests.conftest import new_id_number
from shequ.people.tests.test_resident_unit_pages import make_unit

pytestmark = pytest.mark.django_db
VERB = "resident_unit.looked_up"
API = "/api/v1/people/resident-units"


def _post_json(c: Any, path: str, data: dict[str, Any]) -> Any:
    return c.post(path, json.dumps(data), content_type="application/json")


def test_a_lookup_leaves_an_event_found_or_not(personas: Personas) -> None:
    ru = make_unit(personas, contact_phone="13972700031")
    c = personas.client(personas.clerk)
    page = c.post(reverse("people:resident_units"), {"q": "139 7270 0031"})
    body = page.content.decode()
    assert page.status_code == 200 and ru.name in body
    assert "13972700031" not in body and "139 7270 0031" not in body  # not echoed back
    assert page["Cache-Control"] == "no-store"
    event = Event.objects.get(verb=VERB)
    assert (event.actor, event.object_id, event.unit) == (personas.clerk, str(ru.pk), ru.unit)
    assert event.after == {"field": "contact_phone", "matched": 1}
    assert "0031" not in str(event.after) + event.object_repr
    c.post(reverse("people:resident_units"), {"q": "13900001111"})
    miss = Event.objects.filter(verb=VERB).latest("pk")
    assert miss.after == {"field": "contact_phone", "matched": 0}
    assert (miss.object_type, miss.actor) == ("orgs.user", personas.clerk)
    # Out of scope, the lookup finds nothing and says so.
    personas.client(personas.lichuan_clerk).post(
        reverse("people:resident_units"), {"q": "13972700031"}
    )
    outside = Event.objects.filter(verb=VERB).latest("pk")
    assert (outside.actor, outside.after) == (personas.lichuan_clerk, miss.after)


def test_a_mobile_in_a_url_is_refused(personas: Personas) -> None:
    ru = make_unit(personas, contact_phone="13972700031")
    c = personas.client(personas.clerk)
    page = c.get(reverse("people:resident_units"), {"q": "13972700031"})
    assert page.status_code == 400 and ru.name not in page.content.decode()
    api = c.get(API, {"q": "139-7270-0031"})
    assert api.status_code == 422 and "q" in api.json()["errors"]
    assert ru.name not in api.content.decode()
    assert not Event.objects.filter(verb=VERB).exists()
    # A name or a (public) credit code is still a GET, pageable and logged nowhere.
    assert c.post(reverse("people:resident_units"), {"q": "清江"}).status_code == 302
    assert (
        ru.name in c.get(reverse("people:resident_units"), {"q": ru.credit_code}).content.decode()
    )
    assert c.get(API, {"q": ru.credit_code}).json()["count"] == 1
    assert not Event.objects.filter(verb=VERB).exists()


def test_the_api_takes_a_lookup_in_the_body(personas: Personas) -> None:
    ru = make_unit(personas, contact_phone="13972700031")
    c = personas.client(personas.clerk)
    found = _post_json(c, f"{API}/lookup", {"q": "13972700031"})
    assert found.status_code == 200, found.content
    assert [row["id"] for row in found.json()["items"]] == [ru.pk]
    assert "13972700031" not in found.content.decode()  # masked as everywhere
    event = Event.objects.get(verb=VERB)
    assert (event.actor, event.object_id) == (personas.clerk, str(ru.pk))
    by_name = _post_json(c, f"{API}/lookup", {"q": "清江"})
    assert by_name.json()["count"] == 1
    assert Event.objects.filter(verb=VERB).count() == 1


def test_200_lookups_in_a_minute_are_refused(personas: Personas) -> None:
    make_unit(personas)
    c = personas.client(personas.clerk)
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, 5, tzinfo=dt.UTC), tick=False):
        codes = [
            c.post(reverse("people:resident_units"), {"q": f"1390000{i:04d}"}).status_code
            for i in range(200)
        ]
        assert codes.count(200) == 30 and codes[-1] == 429
        assert Event.objects.filter(verb=VERB).count() == 30
        api = _post_json(c, f"{API}/lookup", {"q": "13900009999"})
        assert api.status_code == 429 and set(api.json()) == {"detail", "errors"}
        # One budget with resident lookups: the registry is no way around it.
        resident = c.post(reverse("people:residents"), {"q": new_id_number()})
        assert resident.status_code == 429
        other = personas.client(personas.agent)
        assert other.post(reverse("people:resident_units"), {"q": "13900001111"}).status_code == 200
