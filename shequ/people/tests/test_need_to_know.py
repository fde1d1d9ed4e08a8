"""Issue 11, item 2: volunteers, legal advisors and mediators do not read the registry;
exports are for community leads and above and are events; forms a role may not use are
not shown. Fails before issue 11: every post in scope listed and opened every resident,
and a clerk exported the whole community."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import Personas, make_staff
from shequ.orgs.models import Event, Role
from shequ.people.tests.conftest import MakeResident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["volunteer", "legal_advisor", "mediator"])
def test_it_keeps_the_registry_from_roles_that_do_not_need_it(
    personas: Personas, make_resident: MakeResident, role: str
) -> None:
    r = make_resident(name="覃低保", category="extreme_hardship")
    c = personas.client(getattr(personas, role))
    assert c.get(reverse("people:residents")).status_code == 403
    assert c.get(r.get_absolute_url()).status_code == 404
    assert c.get("/api/v1/people/residents").json()["count"] == 0
    assert c.get(f"/api/v1/people/residents/{r.pk}").status_code == 404
    categories = c.get(reverse("people:categories")).content.decode()
    assert "覃低保" not in categories
    assert c.post(reverse("people:export")).status_code == 302
    assert not Event.objects.filter(verb="resident.exported").exists()


def test_a_clerk_who_also_mediates_keeps_the_clerks_view(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident()
    both = make_staff("p_both", (Role.CLERK, personas.guanpo), (Role.MEDIATOR, personas.guanpo))
    assert personas.client(both).get(r.get_absolute_url()).status_code == 200


def test_exports_are_for_leads_and_each_is_an_event(
    personas: Personas, make_resident: MakeResident
) -> None:
    make_resident()
    make_resident(name="李四")
    for role in ("clerk", "agent", "grid_worker"):
        c = personas.client(getattr(personas, role))
        assert c.post(reverse("people:export")).status_code == 302
        assert 'id="export"' not in c.get(reverse("people:residents")).content.decode()
    d = personas.client(personas.director)
    assert 'id="export"' in d.get(reverse("people:residents")).content.decode()
    assert d.post(reverse("people:export")).status_code == 200
    event = Event.objects.get(verb="resident.exported")
    assert event.actor == personas.director
    assert event.unit == personas.guanpo
    assert event.after is not None
    assert event.after["count"] == 2 and event.after["revealed"] is False


def test_forms_a_role_may_not_use_are_not_shown(
    personas: Personas, make_resident: MakeResident
) -> None:
    r = make_resident()
    county = personas.client(personas.county).get(r.get_absolute_url()).content.decode()
    for form in ('id="grant"', 'id="status"', 'id="new-household"'):
        assert form not in county
    assert 'id="reveal"' in county
    clerk = personas.client(personas.clerk).get(r.get_absolute_url()).content.decode()
    assert 'id="reveal"' not in clerk and 'id="grant"' in clerk
