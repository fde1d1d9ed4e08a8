"""What every demo record of past work is written with: a case and its timeline, built in
memory, then bulk-inserted with the same rows real work writes — the case, its timeline
entries (``CaseEvent``) and their audit events (``orgs.Event``), its pauses — and due
dates from the one deadline function (``services.deadlines``) over the calendar table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from shequ.lib.workdays import WorkCalendar
from shequ.orgs import calendar
from shequ.orgs.models import CalendarDay, Event, User
from shequ.services import deadlines
from shequ.services.models import Case, CaseEvent, CasePause, ServiceItem
from shequ.services.verbs import CaseVerb, audit_verb


@dataclass
class Draft:
    """One case and its timeline, before insertion: (at, verb, status, note, data)."""

    case: Case
    events: list[tuple[dt.datetime, CaseVerb, str, str, dict[str, Any]]] = field(
        default_factory=list
    )
    pause: CasePause | None = None

    def log(self, at: dt.datetime, verb: str, status: str, note: str = "", **data: Any) -> None:
        self.events.append((at, CaseVerb(verb), status, note, data))


@dataclass(frozen=True)
class Calendar:
    """The calendar table loaded once for a bulk load (a query per case would be slow)."""

    work: WorkCalendar
    known_until: dt.date | None

    def deadlines(
        self, item: ServiceItem, accepted_at: dt.datetime, quarter_hour_due_at: dt.datetime
    ) -> deadlines.Deadlines:
        return deadlines.compute(
            item,
            accepted_at=accepted_at,
            quarter_hour_due_at=quarter_hour_due_at,
            now=accepted_at,
            work_calendar=self.work,
            known_until=self.known_until,
        )


def load_calendar() -> Calendar:
    rows = CalendarDay.objects.values_list("date", "is_working_day")
    work = WorkCalendar(
        days_off=frozenset(d for d, w in rows if not w),
        extra_working_days=frozenset(d for d, w in rows if w),
    )
    return Calendar(work, calendar.known_until())


def set_deadlines(case: Case, cal: Calendar, accepted_at: dt.datetime) -> None:
    d = cal.deadlines(case.item, accepted_at, case.quarter_hour_due_at)
    case.accepted_at = accepted_at
    case.reply_due_at, case.due_at, case.legal_due_at = d.reply_due_at, d.due_at, d.legal_due_at
    case.deadline_provisional = d.provisional
    case.deadlines_at = accepted_at


def insert(drafts: Iterable[Draft], actor_for: Any = None) -> None:
    """Insert the drafts' cases, timelines, audit events and pauses. ``actor_for(case,
    verb)`` names who took a step (the clerk, say), else the system."""
    drafts = list(drafts)
    Case.objects.bulk_create([d.case for d in drafts], batch_size=1000)
    add_timeline(((d.case, d.events) for d in drafts if d.events), actor_for)
    pauses = []
    for d in drafts:
        if d.pause is not None:
            d.pause.case = d.case
            pauses.append(d.pause)
    CasePause.objects.bulk_create(pauses)


def add_timeline(
    entries: Iterable[tuple[Case, list[tuple[dt.datetime, CaseVerb, str, str, dict[str, Any]]]]],
    actor_for: Any = None,
) -> None:
    """Timeline entries of cases already in the database, with their audit events."""
    events: list[CaseEvent] = []
    audit: list[Event] = []
    for case, rows in entries:
        for at, verb, status, note, data in rows:
            actor: User | None = actor_for(case, verb) if actor_for else None
            events.append(
                CaseEvent(
                    case=case, at=at, actor=actor, verb=verb, status=status, note=note, data=data
                )
            )
            audit.append(
                Event(
                    created_at=at,
                    actor=actor,
                    verb=audit_verb(verb),
                    object_type="services.case",
                    object_id=str(case.pk),
                    object_repr=str(case)[:200],
                    unit_id=case.unit_id,
                    after={"status": status},
                )
            )
    CaseEvent.objects.bulk_create(events, batch_size=2000)
    Event.objects.bulk_create(audit, batch_size=2000)
