from __future__ import annotations

import pytest
from django.test import Client

from conftest import GUANPO, Personas, unit
from shequ.orgs.models import Event, OrgUnit, User

pytestmark = pytest.mark.django_db


def test_admin_edits_are_logged(personas: Personas) -> None:
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    client = Client()
    client.force_login(admin)
    guanpo = unit(GUANPO)
    response = client.post(
        f"/admin/orgs/post/{personas.clerk.posts.get().pk}/change/",
        {
            "user": personas.clerk.pk,
            "unit": guanpo.pk,
            "role": "clerk",
            "employment": "part_time",
            "title": "综合窗口",
            "started_on": "2020-01-01",
            "ended_on": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(verb="admin.changed", object_type="orgs.post")
    assert event.actor == admin
    assert event.unit == guanpo
    assert event.before is not None and event.after is not None
    assert (event.before["employment"], event.after["employment"]) == ("full_time", "part_time")


def test_units_cannot_be_deleted_in_the_admin(personas: Personas) -> None:
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    client = Client()
    client.force_login(admin)
    grid = OrgUnit.objects.get(pk=personas.grid.pk)
    assert client.post(f"/admin/orgs/orgunit/{grid.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OrgUnit.objects.filter(pk=grid.pk).exists()


def test_the_event_log_cannot_be_edited_in_the_admin(personas: Personas) -> None:
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    client = Client()
    client.force_login(admin)
    post = personas.clerk.posts.get()
    client.post(f"/admin/orgs/post/{post.pk}/delete/", {"post": "yes"})
    event = Event.objects.get(verb="admin.deleted")
    assert event.before is not None and event.before["role"] == "clerk"
    assert client.post(f"/admin/orgs/event/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
