from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from conftest import GUANPO, LICHUAN, unit
from shequ.notify.models import Message
from shequ.notify.outbox import enqueue
from shequ.orgs.models import OrgUnit


@pytest.fixture
def guanpo(db: None) -> OrgUnit:
    return unit(GUANPO)


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
            payload={"n": n},
            **extra,
        )
