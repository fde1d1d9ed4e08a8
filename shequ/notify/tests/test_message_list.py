from __future__ import annotations

from django.urls import reverse

from conftest import Personas
from shequ.notify.models import Message, MessageStatus
from shequ.notify.tests.conftest import queue
from shequ.orgs.models import Event, OrgUnit


def failed(where: OrgUnit, n: int = 0) -> Message:
    message = queue(where, n)
    message.status = MessageStatus.FAILED
    message.last_error = "HTTP 503 Service Unavailable"
    message.attempts = 8
    message.save(update_fields=["status", "last_error", "attempts"])
    return message


def test_it_lists_undelivered_messages_of_the_officers_units(
    personas: Personas, guanpo: OrgUnit, lichuan: OrgUnit
) -> None:
    failed(guanpo, 1)
    queue(lichuan, 2)
    response = personas.client(personas.director).get(reverse("notify:messages"))
    assert response.status_code == 200
    assert "测试消息 1" in response.text
    assert "HTTP 503" in response.text
    assert "139****0019" in response.text
    assert "13907180019" not in response.text
    assert "测试消息 2" not in response.text  # another county


def test_the_prefecture_sees_every_county(
    personas: Personas, guanpo: OrgUnit, lichuan: OrgUnit
) -> None:
    failed(guanpo, 1)
    queue(lichuan, 2)
    response = personas.client(personas.prefecture).get(reverse("notify:messages"))
    assert "测试消息 1" in response.text
    assert "测试消息 2" in response.text


def test_clerks_and_outsiders_see_nothing(personas: Personas, guanpo: OrgUnit) -> None:
    failed(guanpo, 1)
    for user in (personas.clerk, personas.outsider):
        response = personas.client(user).get(reverse("notify:messages"))
        assert response.status_code == 200
        assert "测试消息 1" not in response.text


def test_an_officer_can_retry_a_failed_message(personas: Personas, guanpo: OrgUnit) -> None:
    message = failed(guanpo)
    response = personas.client(personas.township).post(reverse("notify:retry", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 0
    event = Event.objects.get(verb="message.retried")
    assert event.actor == personas.township
    assert event.before is not None and event.before["status"] == "failed"


def test_retry_out_of_scope_is_404(personas: Personas, guanpo: OrgUnit) -> None:
    message = failed(guanpo)
    for user in (personas.lichuan_clerk, personas.clerk, personas.outsider):
        response = personas.client(user).post(reverse("notify:retry", args=[message.pk]))
        assert response.status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED


def test_only_failed_messages_can_be_retried(personas: Personas, guanpo: OrgUnit) -> None:
    message = queue(guanpo)
    response = personas.client(personas.director).post(
        reverse("notify:retry", args=[message.pk]), follow=True
    )
    assert "只有发送失败的消息可以重发" in response.text
    assert not Event.objects.filter(verb="message.retried").exists()
