"""Officers and community leads give and end posts from the unit page."""

from __future__ import annotations

import pytest

from conftest import GUANPO, LICHUAN, Personas, unit
from shequ.orgs.models import Event, Post, Role, User

pytestmark = pytest.mark.django_db


def form(**overrides: str) -> dict[str, str]:
    data = {
        "username": "new_agent",
        "full_name": "覃小红",
        "role": Role.AGENT,
        "employment": "full_time",
        "started_on": "2026-03-01",
        "client_token": "tok-1",
    }
    data.update(overrides)
    return data


def test_a_director_gives_a_new_person_a_post(personas: Personas) -> None:
    client = personas.client(personas.director)
    url = f"/units/{unit(GUANPO).pk}/posts/new/"
    response = client.post(url, form())
    assert response.status_code == 302
    person = User.objects.get(username="new_agent")
    post = Post.objects.get(user=person)
    assert (post.unit, post.role) == (unit(GUANPO), Role.AGENT)
    page = client.get(response["Location"])
    assert "初始密码" in page.content.decode()
    assert Event.objects.filter(verb="post.assigned", actor=personas.director).count() == 1
    # a retried submission creates nothing new
    again = client.post(url, form())
    assert again.status_code == 302
    assert Post.objects.filter(user=person).count() == 1


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(personas: Personas) -> None:
    client = personas.client(personas.director)
    url = f"/units/{unit(GUANPO).pk}/posts/new/"
    response = client.post(url, form(full_name="", role="grid_worker", started_on="2026-13-01"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "role" in errors and "started_on" in errors
    response = client.post(url, form(full_name=""))
    assert "新建人员时请填写姓名" in response.content.decode()
    assert not User.objects.filter(username="new_agent").exists()


def test_a_clerk_cannot_give_posts_and_nobody_can_out_of_scope(personas: Personas) -> None:
    url = f"/units/{unit(GUANPO).pk}/posts/new/"
    assert personas.client(personas.clerk).post(url, form()).status_code == 403
    assert personas.client(personas.lichuan_clerk).post(url, form()).status_code == 404
    lichuan = f"/units/{unit(LICHUAN).pk}/posts/new/"
    assert personas.client(personas.county).post(lichuan, form()).status_code == 404
    assert not User.objects.filter(username="new_agent").exists()


def test_ending_a_post_from_the_unit_page(personas: Personas) -> None:
    post = personas.clerk.posts.get()
    client = personas.client(personas.township)
    assert client.post(f"/posts/{post.pk}/end/").status_code == 302
    post.refresh_from_db()
    assert post.ended_on is not None
    assert personas.client(personas.lichuan_clerk).post(f"/posts/{post.pk}/end/").status_code == 404
