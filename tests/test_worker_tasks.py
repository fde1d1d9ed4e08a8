"""The worker's task list (shequ/worker.py) runs every app's background work."""

from __future__ import annotations

import signal
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from shequ.agency.actions import sync_agency_cases
from shequ.insights.rates import refresh_rate_rollups
from shequ.notify.delivery import deliver_outbox
from shequ.notify.models import Channel, Message, MessageStatus
from shequ.notify.outbox import enqueue
from shequ.orgs.models import OrgUnit, WorkerHeartbeat
from shequ.services.actions import (
    escalate_overdue_cases,
    mark_quarter_hour_breaches,
    refresh_provisional_deadlines,
    remind_due_cases,
)
from shequ.services.ratings import escalate_overdue_rectifications
from shequ.worker import tasks


def test_the_worker_runs_every_apps_tasks_and_delivers_last() -> None:
    listed = tasks()
    for task in (
        mark_quarter_hour_breaches,
        remind_due_cases,
        escalate_overdue_cases,
        escalate_overdue_rectifications,
        refresh_provisional_deadlines,
        sync_agency_cases,
        refresh_rate_rollups,
    ):
        assert task in listed
    assert listed[-1] is deliver_outbox  # messages queued by the tasks go out in the same loop
    assert len(listed) == len(set(listed))


@pytest.fixture
def own_signal_handlers() -> Iterator[None]:
    """The command installs the worker's SIGTERM/SIGINT handlers; give pytest its own back."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    yield
    for s, handler in saved.items():
        signal.signal(s, handler)


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_only_the_tasks_named(
    own_signal_handlers: None, committed_enshi: None
) -> None:
    # Committed data: the worker closes old connections between loops, and on PostgreSQL
    # that closes a test's open transaction under it.
    with transaction.atomic():
        due = enqueue(
            unit=OrgUnit.objects.get(depth=1),
            channel=Channel.STAFF,
            recipient="mediator",
            kind="test.reminder",
            text="提醒",
            payload={},
        )
    call_command("worker", "--once", "--task", "deliver_outbox")
    due.refresh_from_db()
    assert due.status == MessageStatus.SENT
    # a backlog longer than one loop's batch is drained until nothing is left
    with transaction.atomic():
        backlog = [
            enqueue(
                unit=OrgUnit.objects.get(depth=1),
                channel=Channel.STAFF,
                recipient="mediator",
                kind="test.reminder",
                text="提醒",
                payload={},
            )
            for _ in range(settings.SHEQU_NOTIFY_BATCH * 2 + 1)
        ]
    call_command("worker", "--until-idle", "--task", "deliver_outbox")
    assert not Message.objects.filter(pk__in=[m.pk for m in backlog]).exclude(
        status=MessageStatus.SENT
    )
    assert not WorkerHeartbeat.objects.exists()  # the one-off worker leaves no beat behind
    with pytest.raises(CommandError, match="remind_due_disputes"):
        call_command("worker", "--once", "--task", "no_such_task")
