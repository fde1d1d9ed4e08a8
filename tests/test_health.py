from __future__ import annotations

import pytest
from django.test import Client

from shequ.orgs.models import WorkerHeartbeat
from shequ.orgs.worker import Worker

pytestmark = pytest.mark.django_db


def test_health_is_degraded_until_the_worker_beats() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["migrations"] == "ok"
    assert body["worker"] == "never seen"


def test_health_is_ok_with_a_live_worker() -> None:
    from django.utils import timezone

    from shequ.orgs.worker import beat

    calls: list[int] = []

    def task() -> int:
        calls.append(1)
        return 0

    worker = Worker([task], poll_seconds=0.01, name="test-worker")
    beat(worker.name, timezone.now())
    worker.run_once()
    assert calls == [1]
    response = Client().get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["worker_heartbeat_age_seconds"] < 5


def test_a_stale_heartbeat_is_reported() -> None:
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    WorkerHeartbeat.objects.create(
        name="old", started_at=now - dt.timedelta(hours=1), beat_at=now - dt.timedelta(minutes=10)
    )
    body = Client().get("/healthz").json()
    assert body["worker"] == "stale"
