"""Reading a workbench page: its tiles by key, and the list each tile links to."""

from __future__ import annotations

from typing import Any

from django.test import Client

from shequ.orgs.models import User
from shequ.workbench.tiles import Panel, Tile


def panels(client: Client) -> list[Panel]:
    response = client.get("/workbench/")
    assert response.status_code == 200
    return list(response.context["panels"])


def tiles(client: Client, role: str | None = None) -> dict[str, Tile]:
    """The tiles of the page (of the panel of ``role``, when the user has several)."""
    found = [p for p in panels(client) if role is None or p.post.role == role]
    assert len(found) == 1, [p.post.role for p in panels(client)]
    return {tile.key: tile for tile in found[0].tiles}


def listed(client: Client, tile: Tile) -> int:
    """How many rows the list behind ``tile`` holds."""
    response = client.get(tile.url)
    assert response.status_code == 200, tile.url
    context: Any = response.context
    if "page" in context:
        return int(context["page"].paginator.count)
    if tile.key == "expiring":
        return len(list(context["authorizations"]))
    return len(context["rows"])


def assert_tiles_match_their_lists(user: User, client: Client, role: str | None = None) -> None:
    for tile in tiles(client, role).values():
        if tile.url.startswith("/agency/?view=mine"):
            continue  # one agency list, split by what each item waits on
        if tile.url.startswith("/services/halls/"):
            continue  # the hall pages show the queue, not a paged list
        assert listed(client, tile) == tile.count, (user.username, tile.key, tile.url)
