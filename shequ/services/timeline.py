"""Writing a case's timeline (``CaseEvent``): every change of a case writes one entry and
the matching audit event, in the change's transaction. ``insights`` follows the
timeline (through ``services.figures``), so nothing changes a case without it."""

from __future__ import annotations

from typing import Any

from shequ.orgs.events import record_event, snapshot
from shequ.orgs.kit import user_or_none
from shequ.orgs.models import User
from shequ.services.models import Case, CaseEvent
from shequ.services.verbs import CaseVerb, audit_verb

# What the audit log records of a case before and after each change.
CASE_FIELDS = [
    "status",
    "handling_unit",
    "accepted_at",
    "reply_due_at",
    "due_at",
    "legal_due_at",
    "arrived_at",
    "completed_at",
    "closed_at",
    "deferred_materials",
    "materials_due_on",
    "result",
    "quarter_hour_met",
    "quarter_hour_at",
    "deadline_provisional",
]


def log_case(
    actor: User | None,
    case: Case,
    verb: CaseVerb,
    before: dict[str, Any] | None,
    *,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    event = CaseEvent.objects.create(
        case=case,
        actor=user_or_none(actor),
        verb=verb,
        status=case.status,
        note=note,
        data=data or {},
    )
    record_event(
        actor,
        audit_verb(verb),
        case,
        unit=case.unit,
        before=before,
        after=snapshot(case, CASE_FIELDS),
    )
    return event
