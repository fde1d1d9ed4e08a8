"""The worker's task list (shequ/worker.py) runs every app's background work."""

from __future__ import annotations

from shequ.agency.actions import sync_agency_cases
from shequ.insights.rates import refresh_rate_rollups
from shequ.notify.delivery import deliver_outbox
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
