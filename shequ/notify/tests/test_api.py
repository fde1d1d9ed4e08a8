"""/api/v1/notify/inbox: the caller's own delivered notices, newest first; another
person's message is a 404, even for a superuser."""

from __future__ import annotations

from django.test import Client

from conftest import Personas
from shequ.notify.delivery import deliver_outbox
from shequ.notify.models import Message
from shequ.notify.tests.conftest import queue
from shequ.orgs.actions import do_create_api_token
from shequ.orgs.models import OrgUnit, User


def token_client(user: User) -> Client:
    _, secret = do_create_api_token(user, name="api test")
    assert secret is not None
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_the_inbox_lists_only_the_callers_delivered_notices(
    personas: Personas, guanpo: OrgUnit
) -> None:
    queue(guanpo, 1, channel="staff", recipient="p_director")
    queue(guanpo, 2, channel="staff", recipient="p_clerk")
    queue(guanpo, 3, channel="staff", recipient="p_director")
    deliver_outbox()
    queue(guanpo, 4, channel="staff", recipient="p_director")  # not delivered yet
    client = token_client(personas.director)
    page = client.get("/api/v1/notify/inbox", {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    bodies = [m["body"] for m in client.get("/api/v1/notify/inbox").json()["items"]]
    assert sorted(bodies) == ["【社区服务】测试消息 1。", "【社区服务】测试消息 3。"]
    mine = page["items"][0]["id"]
    assert client.get(f"/api/v1/notify/inbox/{mine}").json()["id"] == mine
    clerks = Message.objects.get(recipient="p_clerk").pk
    assert client.get(f"/api/v1/notify/inbox/{clerks}").status_code == 404
    admin = User.objects.create_superuser("root", password="correct-horse-battery")
    assert token_client(admin).get(f"/api/v1/notify/inbox/{clerks}").status_code == 404
    assert Client().get("/api/v1/notify/inbox").status_code == 401
