from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from conftest import LICHUAN, unit
from shequ.notify.models import Message
from shequ.notify.outbox import TEST_TEXT, enqueue
from shequ.orgs.models import OrgUnit


@pytest.fixture
def lichuan(db: None) -> OrgUnit:
    return unit(LICHUAN)


def queue(where: OrgUnit, n: int = 0, **extra: Any) -> Message:
    with transaction.atomic():
        return enqueue(
            unit=where,
            channel=extra.pop("channel", "sms"),
            recipient=extra.pop("recipient", "13907180019"),
            kind="notify.test",
            text=TEST_TEXT,
            payload={"n": n},
            **extra,
        )
