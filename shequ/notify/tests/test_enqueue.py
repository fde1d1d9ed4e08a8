from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import transaction
from django.utils import translation

from shequ.notify import outbox
from shequ.notify.models import Message, MessageStatus
from shequ.notify.outbox import TEST_TEXT, enqueue
from shequ.notify.tests.conftest import queue
from shequ.orgs.crypto import cipher
from shequ.orgs.models import OrgUnit


def test_it_renders_the_text_and_queues_the_message(guanpo: OrgUnit) -> None:
    message = queue(guanpo, 7)
    assert message.body == "【社区服务】测试消息 7。"
    assert message.status == MessageStatus.PENDING
    assert message.attempts == 0
    assert message.masked_recipient == "139****0019"


def test_the_phone_number_is_stored_encrypted(guanpo: OrgUnit) -> None:
    message = queue(guanpo, recipient="+86 139-0718-0019")
    stored = Message.objects.filter(pk=message.pk).values()[0]
    assert "13907180019" not in str(stored)
    assert cipher().decrypt(message.recipient_enc) == "13907180019"


def test_a_bad_phone_number_is_refused(guanpo: OrgUnit) -> None:
    with pytest.raises(ValueError):
        queue(guanpo, recipient="12345")


def test_it_returns_the_first_message_for_a_repeated_dedupe_key(guanpo: OrgUnit) -> None:
    first = queue(guanpo, 1, dedupe_key="case-1-registered")
    again = queue(guanpo, 2, dedupe_key="case-1-registered")
    assert again.pk == first.pk
    assert Message.objects.filter(dedupe_key="case-1-registered").count() == 1


def test_it_writes_nothing_when_the_change_rolls_back(guanpo: OrgUnit) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(
            unit=guanpo,
            channel="sms",
            recipient="13907180019",
            kind="notify.test",
            text=TEST_TEXT,
            payload={"n": 1},
        )
        raise RuntimeError("the action failed after queueing")
    assert not Message.objects.exists()


def test_it_refuses_to_run_outside_a_transaction(
    guanpo: OrgUnit, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run inside a transaction, so pretend to be in autocommit mode.
    with monkeypatch.context() as patch, pytest.raises(RuntimeError):
        patch.setattr(outbox, "connection", SimpleNamespace(in_atomic_block=False))
        enqueue(
            unit=guanpo,
            channel="sms",
            recipient="13907180019",
            kind="notify.test",
            text=TEST_TEXT,
            payload={"n": 1},
        )


@pytest.mark.parametrize(
    ("kind", "payload", "channel"),
    [("notify.test", {}, "sms"), ("notify.test", {"n": 1}, "fax")],
)
def test_it_rejects_bad_messages(
    guanpo: OrgUnit, kind: str, payload: dict[str, int], channel: str
) -> None:
    with pytest.raises(ValueError), transaction.atomic():
        enqueue(
            unit=guanpo,
            channel=channel,
            recipient="13907180019",
            kind=kind,
            text=TEST_TEXT,
            payload=payload,
        )


def test_texts_are_chinese_whatever_the_clerks_language(guanpo: OrgUnit) -> None:
    with translation.override("en"):
        message = queue(guanpo, 9)
    assert message.body == "【社区服务】测试消息 9。"
