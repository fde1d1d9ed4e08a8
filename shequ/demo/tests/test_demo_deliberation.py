"""The deliberation demo: every consultation form and outcome, results done on time,
late and overdue, milestones, written once (a second load adds nothing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shequ.demo.deliberation import ensure_demo_deliberation
from shequ.governance.figures import deliberation_rows, results_on_time_by_month
from shequ.governance.models import (
    Consultation,
    ConsultationForm,
    Milestone,
    Outcome,
    Result,
    Topic,
)
from shequ.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_form_and_outcome_and_some_results_are_late(
    settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    made = ensure_demo_deliberation()
    assert made > 100
    assert ensure_demo_deliberation() == 0
    assert set(Consultation.objects.values_list("form", flat=True)) == set(ConsultationForm.values)
    assert set(Topic.objects.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    assert Milestone.objects.exclude(photo="").exists()
    assert Result.objects.filter(parent__isnull=False).exists()
    enshi = OrgUnit.objects.get(code="422801000000")
    rows = deliberation_rows(enshi, 2025, today=dt.date(2026, 12, 1))
    assert sum(r.on_time for r in rows) and sum(r.late for r in rows)
    by_month = results_on_time_by_month([enshi], 2025, today=dt.date(2026, 12, 1))
    assert (
        sum(v["due"] for v in by_month.values()) == Result.objects.filter(due_on__year=2025).count()
    )
