from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from shequ.notify.backends import DeliveryError, PermanentDeliveryError
from shequ.notify.delivery import claim, deliver_one, deliver_outbox, retry_delay
from shequ.notify.models import Delivery, Message, MessageStatus
from shequ.notify.tests.conftest import queue
from shequ.orgs.models import OrgUnit


class Failing:
    name = "failing"

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    def send(self, message: Message) -> str:
        raise self.exc

    def record(self, message: Message, ref: str, worker: str) -> None:
        raise AssertionError("not reached")


def test_it_delivers_pending_messages_once(guanpo: OrgUnit) -> None:
    messages = [queue(guanpo, i) for i in range(3)]
    assert deliver_outbox() == 3
    assert deliver_outbox() == 0
    for m in messages:
        m.refresh_from_db()
        assert m.status == MessageStatus.SENT
        assert m.attempts == 1
        assert m.sent_at is not None
    assert Delivery.objects.count() == 3


def test_it_leaves_messages_for_later_alone(guanpo: OrgUnit) -> None:
    queue(guanpo, send_after=timezone.now() + dt.timedelta(hours=1))
    assert deliver_outbox() == 0


def test_two_claims_never_share_a_message(guanpo: OrgUnit) -> None:
    for i in range(5):
        queue(guanpo, i)
    first = claim("a", 3)
    second = claim("b", 10)
    assert len(first) == 3
    assert len(second) == 2
    assert not {pk for pk, _ in first} & {pk for pk, _ in second}


def test_it_backs_off_exponentially_and_keeps_the_error(
    guanpo: OrgUnit, settings: SettingsWrapper
) -> None:
    settings.SHEQU_NOTIFY_RETRY_BASE_SECONDS = 30
    settings.SHEQU_NOTIFY_MAX_ATTEMPTS = 3
    message = queue(guanpo)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for attempt, delay in [(1, 30), (2, 60)]:
            [(pk, token)] = claim("w", 10)
            status = deliver_one(pk, token, "w", Failing(DeliveryError("gateway down")))
            assert status == MessageStatus.PENDING
            message.refresh_from_db()
            assert message.attempts == attempt
            assert message.last_error == "gateway down"
            assert message.next_attempt_at == timezone.now() + dt.timedelta(seconds=delay)
            assert claim("w", 10) == []  # not before its time
            traveller.shift(dt.timedelta(seconds=delay))
        [(pk, token)] = claim("w", 10)
        assert deliver_one(pk, token, "w", Failing(DeliveryError("still down"))) == "failed"
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 3
    assert message.last_error == "still down"


def test_backoff_is_capped(settings: SettingsWrapper) -> None:
    settings.SHEQU_NOTIFY_RETRY_BASE_SECONDS = 30
    settings.SHEQU_NOTIFY_RETRY_MAX_SECONDS = 3600
    assert retry_delay(1) == dt.timedelta(seconds=30)
    assert retry_delay(3) == dt.timedelta(seconds=120)
    assert retry_delay(20) == dt.timedelta(hours=1)


def test_a_permanent_error_fails_at_once(guanpo: OrgUnit) -> None:
    message = queue(guanpo)
    [(pk, token)] = claim("w", 10)
    deliver_one(pk, token, "w", Failing(PermanentDeliveryError("HTTP 400 bad number")))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1


def test_a_dead_workers_claim_is_taken_over_after_the_lease(
    guanpo: OrgUnit, settings: SettingsWrapper
) -> None:
    settings.SHEQU_NOTIFY_LEASE_SECONDS = 60
    message = queue(guanpo)
    [(pk, dead_token)] = claim("dead", 10)
    assert claim("alive", 10) == []  # still leased
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        [(pk2, token)] = claim("alive", 10)
        assert pk2 == pk
        assert deliver_one(pk, token, "alive") == MessageStatus.SENT
    # The dead worker wakes up: its token no longer matches, it sends nothing.
    assert deliver_one(pk, dead_token, "dead") == "lost"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.claimed_by == "alive"
    assert Delivery.objects.filter(message=message).count() == 1


def test_nothing_is_recorded_if_the_claim_is_lost_during_sending(guanpo: OrgUnit) -> None:
    message = queue(guanpo)
    [(pk, token)] = claim("slow", 10)

    class Overtaken:
        name = "overtaken"

        def send(self, m: Message) -> str:
            Message.objects.filter(pk=m.pk).update(claim_token="someone-else")
            return "ref"

        def record(self, m: Message, ref: str, worker: str) -> None:
            raise AssertionError("must not record a lost claim")

    assert deliver_one(pk, token, "slow", Overtaken()) == "lost"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING


@pytest.mark.parametrize(
    ("channel", "recipient"), [("sms", "13907180019"), ("staff", "p_director")]
)
def test_the_log_backend_serves_both_channels(
    guanpo: OrgUnit, channel: str, recipient: str
) -> None:
    message = queue(guanpo, channel=channel, recipient=recipient)
    deliver_outbox()
    assert Delivery.objects.get().message == message
