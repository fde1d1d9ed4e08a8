"""The authorisation form's resident picker searches the registry (who may give an
authorisation at the user's stations) instead of listing everyone in a dropdown."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.urls import reverse
from django.utils import timezone

from conftest import MakeResident, Personas
from shequ.agency.models import AgencyStation, Authorization
from shequ.agency.tests.conftest import scan
from shequ.orgs.crypto import cipher
from shequ.orgs.models import Event, User
from shequ.people.models import Resident


def _radios(html: str) -> list[str]:
    return re.findall(r'type="radio" name="resident" value="(\d+)"', html)


def test_the_search_answers_from_the_registry_within_who_may_authorise(
    personas: Personas,
    station: AgencyStation,
    agent: User,
    elderly: Resident,
    make_resident: MakeResident,
    catalogue: int,
) -> None:
    disabled = make_resident("disabled", name="田大军")
    make_resident(None, name="田小军")  # in no agency category: never offered
    c = personas.client(agent)
    url = reverse("agency:resident_search")
    found = json.loads(c.post(url, {"q": "田"}).content)["results"]
    assert [r["id"] for r in found] == [disabled.pk]
    assert "残疾人" in found[0]["label"] and "田小军" not in str(found)
    assert [r["id"] for r in json.loads(c.post(url, {"q": "xgy"}).content)["results"]] == [
        elderly.pk
    ]
    # by exact ID number: the registry's lookup, logged
    number = cipher().decrypt(elderly.id_number_enc)
    by_id = c.post(url, {"q": number})
    assert [r["id"] for r in json.loads(by_id.content)["results"]] == [elderly.pk]
    assert number not in by_id.content.decode()
    assert Event.objects.filter(verb="resident.looked_up", actor=agent).count() == 1
    assert c.get(url, {"q": "田"}).status_code == 405  # never in a URL
    # another county's clerk finds nobody here
    other = personas.client(personas.lichuan_clerk)
    assert json.loads(other.post(url, {"q": "田"}).content)["results"] == []


def test_the_form_finds_on_the_server_without_javascript_and_keeps_the_draft(
    personas: Personas,
    station: AgencyStation,
    agent: User,
    elderly: Resident,
    make_resident: MakeResident,
    catalogue: int,
) -> None:
    disabled = make_resident("disabled", name="田大军")
    c = personas.client(agent)
    page = c.get(reverse("agency:authorization_new"))
    assert page.status_code == 200
    assert '<select name="resident"' not in page.text
    assert 'id="resident-picker"' in page.text
    draft = {
        "station": station.pk,
        "agent": agent.pk,
        "channel": "hotline",
        "all_items": "on",
        "valid_until": (timezone.localdate() + dt.timedelta(days=300)).isoformat(),
        "family_name": "田明",
        "resident_q": "tdj",
        "op": "find",
    }
    found = c.post(reverse("agency:authorization_new"), draft)
    assert found.status_code == 200
    assert _radios(found.text) == [str(disabled.pk)]
    assert 'value="田明"' in found.text  # what was typed is kept
    assert not Authorization.objects.exists()
    draft.pop("op")
    saved = c.post(
        reverse("agency:authorization_new"),
        {**draft, "resident": disabled.pk, "form_scan": scan()},
    )
    assert saved.status_code == 302
    assert Authorization.objects.get().resident == disabled


def test_the_residents_page_link_prefills_the_picker(
    personas: Personas, station: AgencyStation, agent: User, elderly: Resident, catalogue: int
) -> None:
    page = personas.client(agent).get(
        f"{reverse('agency:authorization_new')}?resident={elderly.pk}"
    )
    assert re.search(rf'value="{elderly.pk}" id="resident-{elderly.pk}" checked', page.text)
