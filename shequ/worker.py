"""Every app's background tasks, in the order one worker loop runs them.

Listed here, at the project level, because the list reads every layer: the kernel's
loop (``orgs.worker``) knows nothing of the apps, and no app knows of the others.
"""

from __future__ import annotations

from shequ.agency.actions import sync_agency_cases
from shequ.governance.actions import remind_expiring_terms
from shequ.governance.disclosure_actions import remind_disclosures
from shequ.insights.rates import refresh_rate_rollups
from shequ.insights.rollups import refresh_domain_rollups
from shequ.jobs.actions import remind_unreported_units, sweep_zero_households
from shequ.mediation.actions import (
    escalate_overdue_disputes,
    remind_confirmation_deadlines,
    remind_due_disputes,
)
from shequ.notify.delivery import deliver_outbox
from shequ.orgs.ratelimit import purge_expired_counters
from shequ.orgs.worker import Task
from shequ.portal.actions import tidy_sign_in_codes
from shequ.services.actions import (
    escalate_overdue_cases,
    mark_quarter_hour_breaches,
    refresh_provisional_deadlines,
    remind_due_cases,
)
from shequ.services.ratings import escalate_overdue_rectifications


def tasks() -> list[Task]:
    return [
        mark_quarter_hour_breaches,
        remind_due_cases,
        escalate_overdue_cases,
        escalate_overdue_rectifications,
        refresh_provisional_deadlines,
        sync_agency_cases,
        remind_unreported_units,
        sweep_zero_households,
        remind_due_disputes,
        escalate_overdue_disputes,
        remind_confirmation_deadlines,
        remind_expiring_terms,
        remind_disclosures,
        refresh_rate_rollups,
        refresh_domain_rollups,
        tidy_sign_in_codes,
        purge_expired_counters,
        # last, so a loop delivers the messages the tasks above have just queued
        deliver_outbox,
    ]
