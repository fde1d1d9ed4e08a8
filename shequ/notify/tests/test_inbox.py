from __future__ import annotations

from django.urls import reverse

from conftest import Personas
from shequ.notify.delivery import deliver_outbox
from shequ.notify.tests.conftest import queue
from shequ.orgs.models import OrgUnit


def test_staff_read_the_notices_sent_to_them(personas: Personas, guanpo: OrgUnit) -> None:
    queue(guanpo, 1, channel="staff", recipient="p_director")
    queue(guanpo, 2, channel="staff", recipient="p_clerk")
    queue(guanpo, 3, channel="staff", recipient="p_director")
    deliver_outbox()
    queue(guanpo, 4, channel="staff", recipient="p_director")
    response = personas.client(personas.director).get(reverse("notify:inbox"))
    assert response.status_code == 200
    assert "测试消息 1" in response.text
    assert "测试消息 3" in response.text
    assert "测试消息 2" not in response.text
    assert "测试消息 4" not in response.text  # still in the outbox
