"""/api/v1/orgs/: the tree in scope (roots, search, a unit's children and counts) and
posts (give, end) with the tree page's role rule; errors in one shape."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.utils import translation

from conftest import ENSHI_CITY, GUANPO, LICHUAN, Personas, unit
from shequ.orgs.actions import do_create_api_token
from shequ.orgs.models import Post, User


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="api test")
    assert secret is not None
    return Client(headers={"Authorization": f"Bearer {secret}"})


def post(client: Client, url: str, body: dict[str, Any], **headers: str) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_the_tree_is_the_callers_scope(personas: Personas) -> None:
    client = token_client(personas.county)
    roots = client.get("/api/v1/orgs/units/roots").json()
    assert [r["code"] for r in roots] == [ENSHI_CITY]
    city = client.get(f"/api/v1/orgs/units/{roots[0]['id']}").json()
    assert city["counts"]["townships"] == len(city["children_units"]) > 0
    assert city["ancestors"] == []  # the prefecture is above the county officer's scope
    assert (
        sum(c["counts"]["communities"] for c in city["children_units"])
        == city["counts"]["communities"]
    )
    found = client.get("/api/v1/orgs/units", {"q": "官坡"}).json()
    assert [u["code"] for u in found["items"]] == [GUANPO]
    children = client.get("/api/v1/orgs/units", {"parent": roots[0]["id"], "page_size": 3}).json()
    assert children["count"] == len(city["children_units"]) and len(children["items"]) == 3
    assert all(u["parent_id"] == roots[0]["id"] for u in children["items"])
    r = client.get(f"/api/v1/orgs/units/{unit(LICHUAN).pk}")
    assert r.status_code == 404 and set(r.json()) == {"detail", "errors"}


def test_a_director_gives_and_ends_a_post_once(personas: Personas) -> None:
    client = token_client(personas.director)
    body = {
        "unit_id": personas.guanpo.pk,
        "username": "new_agent",
        "full_name": "谭新",
        "role": "agent",
    }
    first = post(client, "/api/v1/orgs/posts", body, **{"Idempotency-Key": "p-1"})
    again = post(client, "/api/v1/orgs/posts", body, **{"Idempotency-Key": "p-1"})
    assert first.status_code == again.status_code == 201, first.content
    assert first.json()["id"] == again.json()["id"]
    assert "password" not in json.dumps(first.json())
    assert not User.objects.get(username="new_agent").has_usable_password()
    assert Post.objects.filter(user__username="new_agent").count() == 1
    listed = client.get("/api/v1/orgs/posts", {"role": "agent", "active": "true"}).json()
    assert [p["username"] for p in listed["items"]] == ["new_agent"]
    ended = post(client, f"/api/v1/orgs/posts/{first.json()['id']}/end", {})
    assert ended.status_code == 200 and ended.json()["ended_on"] is not None
    twice = post(client, f"/api/v1/orgs/posts/{first.json()['id']}/end", {})
    assert twice.status_code == 422 and twice.json()["errors"]["ended_on"]
    wrong = post(client, "/api/v1/orgs/posts", {**body, "username": "x2", "role": "grid_worker"})
    assert wrong.status_code == 422 and "unit" in wrong.json()["errors"]


def test_a_clerk_may_not_give_posts(personas: Personas) -> None:
    body = {
        "unit_id": personas.guanpo.pk,
        "username": "p_agent2",
        "full_name": "某",
        "role": "agent",
    }
    r = post(token_client(personas.clerk), "/api/v1/orgs/posts", body)
    assert r.status_code == 403 and set(r.json()) == {"detail", "errors"}
    with translation.override("zh-hans"):  # the request's English must not outlive it
        en = post(
            token_client(personas.clerk), "/api/v1/orgs/posts", body, **{"Accept-Language": "en"}
        )
    assert en.status_code == 403 and not any(
        "\u4e00" <= ch <= "\u9fff" for ch in en.json()["detail"]
    )
    assert not User.objects.filter(username="p_agent2").exists()
