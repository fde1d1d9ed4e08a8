"""The replica router: rollup reads go to ``replica`` when it is configured, writes and
everything else to the primary."""

from __future__ import annotations

from typing import Any

from shequ.insights.models import FigureRollup, RateRollup, ScoreSheet
from shequ.insights.routers import InsightsReplicaRouter
from shequ.orgs.models import OrgUnit


def test_rollup_reads_go_to_the_replica_when_set(settings: Any) -> None:
    router = InsightsReplicaRouter()
    assert router.db_for_read(FigureRollup) is None  # no replica: the primary
    settings.DATABASES = {**settings.DATABASES, "replica": dict(settings.DATABASES["default"])}
    assert router.db_for_read(FigureRollup) == "replica"
    assert router.db_for_read(RateRollup) == "replica"
    assert router.db_for_read(ScoreSheet) is None
    assert router.db_for_read(OrgUnit) is None
    assert router.db_for_write(FigureRollup) is None
    assert router.allow_migrate("replica", "insights") is False
