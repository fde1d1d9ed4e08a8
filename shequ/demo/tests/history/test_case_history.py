"""The demo's years of case history (built once for the package, see conftest.py):
plausible mixes, verdicts and timelines that agree with the timestamps, and a re-run that
adds nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db.models import Count, F, Q
from django.utils import timezone

from shequ.demo.case_history import CASES, TOKEN, ensure_case_history
from shequ.insights.models import RateRollup, RollupCursor
from shequ.orgs.models import CalendarDay
from shequ.services.models import (
    QUARTER_HOUR_CHANNELS,
    Case,
    CaseEvent,
    CaseQuerySet,
    CaseStatus,
    Channel,
    ItemKind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(case_history: None, db: None) -> None:
    return None


def history_cases() -> CaseQuerySet:
    return Case.objects.filter(client_token__startswith=f"{TOKEN}-")


def test_it_spreads_over_channels_kinds_outcomes_and_years(history: None) -> None:
    cases = history_cases()
    channels = Counter(cases.values_list("channel", flat=True))
    assert set(channels) == set(Channel.values)
    assert channels[Channel.WINDOW] > channels[Channel.ONLINE] > channels[Channel.API] > 0
    kinds = Counter(cases.values_list("item__kind", flat=True))
    assert set(kinds) == set(ItemKind.values)
    statuses = Counter(cases.values_list("status", flat=True))
    assert statuses[CaseStatus.CLOSED] > CASES * 0.6
    for status in CaseStatus.values:
        if status != CaseStatus.RECEIVED:
            assert statuses[status] > 0, status
    assert cases.exclude(handling_unit=F("unit")).count() > CASES * 0.3  # sent up
    assert 10 < cases.overdue().count() < CASES * 0.05
    first = cases.order_by("received_at").first()
    assert first is not None
    assert first.received_at < timezone.now() - dt.timedelta(days=700)
    assert cases.values("unit__path").annotate(n=Count("pk")).count() > 200
    counties = {path[:8] for path in cases.values_list("unit__path", flat=True).distinct()}
    assert len(counties) == 8


def test_it_settles_the_quarter_hour_as_the_timestamps_say(history: None) -> None:
    cases = history_cases()
    applies = cases.filter(quarter_hour_applies=True)
    assert set(applies.values_list("channel", flat=True)) <= set(QUARTER_HOUR_CHANNELS)
    assert not applies.filter(quarter_hour_met__isnull=True).exists()
    outside = cases.filter(quarter_hour_applies=False)
    assert not outside.filter(quarter_hour_met__isnull=False).exists()
    met = applies.filter(quarter_hour_met=True)
    breached = applies.filter(quarter_hour_met=False)
    assert 0.02 < breached.count() / applies.count() < 0.15
    assert not met.filter(quarter_hour_at__gt=F("quarter_hour_due_at")).exists()
    assert not breached.exclude(quarter_hour_at=F("quarter_hour_due_at")).exists()
    # the step that settled a pass is on the timeline at that moment; a breach has the
    # worker's mark and its first step comes later
    for case in met.order_by("pk")[:300]:
        assert case.quarter_hour_at is not None
        assert case.events.filter(at=case.quarter_hour_at).exclude(verb="received").exists()
    for case in breached.order_by("pk")[:300]:
        assert case.events.filter(verb="quarter_hour_breached").count() == 1
        skip = ["received", "quarter_hour_breached"]
        if case.item.kind == ItemKind.ON_SITE:
            skip.append("accepted")  # on site, arrival settles the quarter hour
        step = case.events.exclude(verb__in=skip).first()
        assert step is None or step.at > case.quarter_hour_due_at


def test_timelines_agree_with_statuses_and_due_dates_skip_holidays(history: None) -> None:
    cases = history_cases()
    for case in cases.order_by("?")[:500]:
        events = list(case.events.all())
        assert events[0].verb == "received"
        assert [e.at for e in events] == sorted(e.at for e in events)
        last = [e for e in events if e.verb != "overdue"][-1]
        assert last.status == case.status, case.number
        if case.completed_at:
            assert case.events.filter(verb="completed", at=case.completed_at).exists()
        if case.due_at and case.item.kind != ItemKind.IMMEDIATE:
            local = timezone.localtime(case.due_at)
            assert local.time() == dt.time(23, 59, 59)
            assert is_working_day(local.date()), case.number
    done = cases.filter(completed_at__isnull=False)
    assert done.filter(completed_at__gt=F("due_at")).count() > 0  # some finished late
    assert not done.filter(Q(accepted_at__isnull=True) | Q(completed_at__lt=F("received_at")))
    assert RateRollup.objects.exists()
    cursor = RollupCursor.objects.get()
    assert not CaseEvent.objects.filter(pk__gt=cursor.last_event_id).exists()


def is_working_day(day: dt.date) -> bool:
    row = CalendarDay.objects.filter(date=day).first()
    return row.is_working_day if row is not None else day.weekday() < 5


def test_a_rerun_adds_nothing(history: None) -> None:
    before = (history_cases().count(), CaseEvent.objects.count())
    assert ensure_case_history() == 0
    assert (history_cases().count(), CaseEvent.objects.count()) == before
